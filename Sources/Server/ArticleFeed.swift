import ArticleIndex
import Foundation
public import Logging
public import ServiceLifecycle

/// Follows the articles committed to the index, whoever commits them, and tells its subscribers (the
/// `/api/stream` clients, the alert matcher) how far the index has got.
///
/// It reads the newest article id every ``pollInterval`` (20 ms by default: a `max(id)` on the id b-tree costs
/// microseconds, so about a thousandth of a core), which keeps a new article within 50 ms of its commit without
/// depending on the daemon's process: `marsad ingest` and a daemon on another machine write the same index.
/// Each subscriber gets ticks (``TickBroadcast``) carrying the newest id and asks the index itself for what it has not seen
/// (``ArticleReading/newMatches(_:options:after:newestFirst:limit:)``), so a slow subscriber never makes the
/// feed buffer articles: it only ever holds the latest tick.
///
/// Runs as a `Service`; on shutdown every subscription ends, which closes the streams.
public actor ArticleFeed: Service {
    let index: IndexHandle
    let pollInterval: Duration
    let keepAliveInterval: Duration
    let logger: Logger
    /// The `/api/stream` clients.
    public let streams: TickBroadcast
    /// In-process followers (the alert matcher): told of every new commit, not counted against the cap.
    public let followers = TickBroadcast(capacity: 16)

    private var latest: Int64?
    private var lastKeepAlive = ContinuousClock.now
    private var unavailable = false
    private var probe: IndexFileProbe
    private var lastRead = ContinuousClock.now
    /// The index is read at least this often, whatever its files say (see ``IndexFileProbe``).
    static let fullReadInterval = Duration.seconds(1)

    public init(index: IndexHandle, pollInterval: Duration = .milliseconds(20), keepAliveInterval: Duration = .seconds(15),
                capacity: Int = 1_000, logger: Logger = Logger(label: "marsad.serve")) {
        self.index = index
        self.pollInterval = pollInterval
        self.keepAliveInterval = keepAliveInterval
        self.logger = logger
        streams = TickBroadcast(capacity: capacity)
        probe = IndexFileProbe(database: index.location)
    }

    /// The newest committed id seen (nil until the index could be read).
    public var latestID: Int64? { latest }

    /// A new stream subscription, or a 503 when the cap is reached or the feed has stopped.
    public func subscribe() async throws(APIError) -> TickBroadcast.Subscription {
        if latest == nil { await poll() }
        return try await streams.subscribe(start: latest ?? 0)
    }

    public func follow() async throws(APIError) -> TickBroadcast.Subscription {
        if latest == nil { await poll() }
        return try await followers.subscribe(start: latest ?? 0)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.step()
                try await Task.sleep(for: self.pollInterval)
            }
        }
        await streams.finish()
        await followers.finish()
    }

    private func step() async {
        let before = latest
        let now = ContinuousClock.now
        if probe.changed() || latest == nil || now - lastRead >= Self.fullReadInterval {
            lastRead = now
            await poll()
        }
        let keepAlive = now - lastKeepAlive >= keepAliveInterval
        if keepAlive { lastKeepAlive = now }
        guard let latest, keepAlive || latest != before else { return }
        let tick = TickBroadcast.Tick(latest: latest, keepAlive: keepAlive)
        await followers.publish(tick)
        await streams.publish(tick)
    }

    /// Reads the newest id; while the index cannot be read, keeps the last one (and says so once).
    private func poll() async {
        do {
            let newest = try await index.withReader { try await $0.latestArticleID() }
            if let latest, newest < latest {
                logger.notice("the index's newest article is #\(newest), before #\(latest): it was rebuilt; following it from there",
                              metadata: ["event": "feed_resumed"])
                await streams.endAll()
            }
            latest = newest
            if unavailable {
                unavailable = false
                logger.notice("the index can be read again: following new articles", metadata: ["event": "feed_resumed"])
            }
        } catch {
            if !unavailable {
                unavailable = true
                logger.warning("cannot follow new articles until the index can be read: \(error)",
                               metadata: ["event": "feed_waiting"])
            }
        }
    }
}

/// Whether the index's files changed since the last look: the size and modification time of the database and
/// of its `-wal` file, from two `stat` calls.
///
/// A commit appends to the WAL (and a checkpoint writes the database), so a change of either is what makes
/// reading the newest id worth it. Reading it every 20 ms regardless cost an idle `marsad serve` 3% of a core
/// (16 clock ticks in 5 s, measured on the seeds' index: a GRDB read transaction is a few hundred
/// microseconds with its queue hops); two `stat`s cost a few microseconds. The one case the files can miss —
/// a commit inside the same coarse kernel tick as the previous look, into a WAL that has wrapped and so kept
/// its size — is caught by ``ArticleFeed/fullReadInterval``'s read a second later at most.
struct IndexFileProbe {
    let paths: [String]
    private var seen: [Int64] = []

    init(database: String) {
        paths = [database, database + "-wal"]
    }

    mutating func changed() -> Bool {
        var now: [Int64] = []
        now.reserveCapacity(6)
        for path in paths {
            var info = stat()
            if stat(path, &info) == 0 {
                now += [Int64(info.st_size), Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec)]
            } else {
                now += [-1, 0, 0]
            }
        }
        defer { seen = now }
        return now != seen
    }
}
