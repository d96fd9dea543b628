import ArticleIndex
public import Logging
public import ServiceLifecycle

/// Follows the articles committed to the index, whoever commits them, and tells its subscribers (the
/// `/api/stream` clients, the alert matcher) how far the index has got.
///
/// It reads the newest article id every ``pollInterval`` (20 ms by default: a `max(id)` on the id b-tree costs
/// microseconds, so about a thousandth of a core), which keeps a new article within 50 ms of its commit without
/// depending on the daemon's process: `marsad ingest` and a daemon on another machine write the same index.
/// Each subscriber gets ticks carrying the newest id and asks the index itself for what it has not seen
/// (``ArticleReading/newMatches(_:options:after:newestFirst:limit:)``), so a slow subscriber never makes the
/// feed buffer articles: it only ever holds the latest tick.
///
/// Runs as a `Service`; on shutdown every subscription ends, which closes the streams.
public actor ArticleFeed: Service {
    /// What a subscriber is told: the newest committed id, and whether it is time for a keep-alive.
    public struct Tick: Sendable, Equatable {
        public var latest: Int64
        public var keepAlive: Bool
    }

    public struct Subscription: Sendable {
        public let id: Int
        /// The newest id when the subscription began: articles after it are new to this subscriber.
        public let start: Int64
        public let ticks: AsyncStream<Tick>
    }

    let index: IndexHandle
    let pollInterval: Duration
    let keepAliveInterval: Duration
    /// How many subscriptions may be open at once; more are refused (a 503), so that ten thousand clients cost
    /// ten thousand refusals, not the memory of ten thousand streams.
    public let capacity: Int
    let logger: Logger

    private var latest: Int64?
    private var subscribers: [Int: AsyncStream<Tick>.Continuation] = [:]
    private var nextID = 0
    private var stopped = false
    private var lastKeepAlive = ContinuousClock.now
    private var unavailable = false

    public init(index: IndexHandle, pollInterval: Duration = .milliseconds(20), keepAliveInterval: Duration = .seconds(15),
                capacity: Int = 1_000, logger: Logger = Logger(label: "marsad.serve")) {
        self.index = index
        self.pollInterval = pollInterval
        self.keepAliveInterval = keepAliveInterval
        self.capacity = capacity
        self.logger = logger
    }

    /// How many subscriptions are open.
    public var subscriberCount: Int { subscribers.count }

    /// A new subscription, or ``APIError/unavailable(_:)`` when ``capacity`` are open or the feed has stopped.
    public func subscribe() async throws(APIError) -> Subscription {
        guard !stopped else { throw .unavailable("the server is shutting down") }
        guard subscribers.count < capacity else {
            throw .unavailable("too many open streams (\(capacity)); try again later")
        }
        if latest == nil { await poll() }
        let (ticks, continuation) = AsyncStream.makeStream(of: Tick.self, bufferingPolicy: .bufferingNewest(1))
        nextID += 1
        let id = nextID
        subscribers[id] = continuation
        return Subscription(id: id, start: latest ?? 0, ticks: ticks)
    }

    /// Ends a subscription: its holder calls this when it stops reading.
    public func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.step()
                try await Task.sleep(for: self.pollInterval)
            }
        }
        stop()
    }

    private func step() async {
        let before = latest
        await poll()
        let now = ContinuousClock.now
        let keepAlive = now - lastKeepAlive >= keepAliveInterval
        if keepAlive { lastKeepAlive = now }
        guard let latest, keepAlive || latest != before else { return }
        for continuation in subscribers.values { continuation.yield(Tick(latest: latest, keepAlive: keepAlive)) }
    }

    /// Reads the newest id; while the index cannot be read, keeps the last one (and says so once).
    private func poll() async {
        do {
            let newest = try await index.withReader { try await $0.latestArticleID() }
            latest = max(latest ?? 0, newest)
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

    private func stop() {
        stopped = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }
}
