public import Alerts
import ArabicText
import ArticleIndex
import Foundation
public import Logging
public import ServiceLifecycle

/// Matches every newly committed article against the saved searches, once, and records the matches
/// (``AlertStore``), which the alert routes, the alert feeds and streams, and the webhook calls read.
///
/// It follows ``ArticleFeed``; on each new commit it reads the articles after its cursor (kept in the alert
/// store, so a restarted serve matches what was committed while it was down), with their analyzed terms, and
/// asks a ``Percolator`` which saved searches each one matches: a dictionary look-up per distinct term of the
/// article and a check of the few searches those turn up, not one search of the index per saved search. The
/// saved searches are loaded again whenever they change, also when `marsad alerts` changed them.
public actor AlertService: Service {
    public let store: AlertStore
    let index: IndexHandle
    let feed: ArticleFeed
    let logger: Logger
    let analyzer = ArabicAnalyzer()
    let onMatches: @Sendable (Int) -> Void
    /// `/api/alerts/stream` clients, told of the newest match id.
    public let streams: TickBroadcast

    private var percolator = Percolator<Int64>()
    private var queries: [Int64: SearchQuery] = [:]
    private var loaded: Int?
    private var latestMatch: Int64 = 0

    /// Articles read and matched at a time.
    static let pageSize = 200

    /// The index's absolute path: the name its cursor is kept under in the alert state.
    public static func indexName(_ database: String) -> String {
        database.hasPrefix("/") ? database : FileManager.default.currentDirectoryPath + "/" + database
    }

    public init(store: AlertStore, index: IndexHandle, feed: ArticleFeed, capacity: Int, logger: Logger,
                onMatches: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.store = store
        self.index = index
        self.feed = feed
        self.logger = logger
        self.onMatches = onMatches
        streams = TickBroadcast(capacity: capacity)
    }

    /// How many saved searches are loaded.
    public var count: Int { percolator.count }

    public func run() async throws {
        let subscription: TickBroadcast.Subscription
        do { subscription = try await feed.follow() } catch {
            // The feed stopped before this service started: shutdown has begun and there is nothing to match.
            try? await gracefulShutdown()
            return
        }
        latestMatch = (try? await store.latestMatchID()) ?? 0
        if (try? await store.cursor()) ?? nil == nil {
            // A new alert state: saved searches match what is committed from now on, not the whole index.
            try? await store.setCursor(subscription.start)
        }
        await cancelWhenGracefulShutdown {
            await self.match(upTo: subscription.start)
            for await tick in subscription.ticks {
                await self.match(upTo: tick.latest)
                if tick.keepAlive { await self.streams.publish(.init(latest: self.latestMatch, keepAlive: true)) }
            }
        }
        // The feed stops first on shutdown, which ends the ticks above. This service still returns only on its
        // own turn: a service that returns while its group is shutting another one down fails the group
        // (ServiceGroup reports it as finished unexpectedly), and `marsad serve` exited 1 on SIGTERM in about half
        // of scripts/test-api's runs until it waited here.
        try? await gracefulShutdown()
        await feed.followers.unsubscribe(subscription.id)
        await streams.finish()
    }

    /// Reloads the saved searches when they changed.
    func reload() async {
        guard let change = try? await store.changeCount(), change != loaded else { return }
        guard let alerts = try? await store.alerts() else { return }
        var next = Percolator<Int64>()
        var parsed: [Int64: SearchQuery] = [:]
        for alert in alerts {
            do {
                let query = try SearchQuery(alert.query)
                next.insert(query, for: alert.id)
                parsed[alert.id] = query
            } catch {
                logger.warning("saved search #\(alert.id) (\(alert.name)) cannot be used: \(error)")
            }
        }
        percolator = next
        queries = parsed
        loaded = change
    }

    /// Matches the articles after the cursor, up to `latest`, a page at a time.
    func match(upTo latest: Int64) async {
        await reload()
        guard var cursor = (try? await store.cursor()) ?? nil else { return }
        if latest < cursor {
            // The index was rebuilt from scratch: its ids started again.
            logger.notice("the index's newest article (#\(latest)) is older than the alert cursor (#\(cursor)): starting again from it")
            try? await store.setCursor(latest)
            return
        }
        if percolator.count == 0 {
            // Nothing to match: the articles need not be read, only passed.
            if cursor != latest { try? await store.setCursor(latest) }
            return
        }
        while cursor < latest {
            let page: [AnalyzedArticle]
            do {
                page = try await index.withReader { try await $0.analyzedArticles(after: cursor, limit: Self.pageSize) }
            } catch {
                logger.warning("cannot read new articles to match the saved searches: \(error)")
                return
            }
            guard let last = page.last else { return }
            var found: [(alertID: Int64, hit: SearchHit)] = []
            if percolator.count > 0 {
                for article in page {
                    for alertID in percolator.matches(article).sorted() {
                        guard let query = queries[alertID] else { continue }
                        found.append((alertID, article.hit(for: query, analyzer: analyzer)))
                    }
                }
            }
            if !found.isEmpty {
                let marks = await storyMarks(after: cursor, count: page.count)
                found = found.map { match in
                    var hit = match.hit
                    if let mark = marks[hit.id] {
                        hit.storyID = mark.storyID
                        hit.storySize = mark.storySize
                        hit.nearDuplicateOf = mark.nearDuplicateOf
                    }
                    return (alertID: match.alertID, hit: hit)
                }
            }
            do {
                let recorded = try await store.record(found, cursor: last.id)
                if let newest = recorded.last {
                    latestMatch = newest.id
                    onMatches(recorded.count)
                    await streams.publish(.init(latest: newest.id, keepAlive: false))
                    logger.info("\(recorded.count) new alert match(es)", metadata: ["event": "alert_matched"])
                }
            } catch {
                logger.warning("cannot record alert matches: \(error)")
                return
            }
            cursor = last.id
            if page.count < Self.pageSize { return }
        }
    }

    /// The story and near-duplicate marks of the `count` articles committed after `after` (the page just
    /// matched), read as the streams read new articles; empty when they cannot be read (the matches are then
    /// recorded without them rather than not at all).
    func storyMarks(after: Int64, count: Int) async -> [Int64: (storyID: Int64?, storySize: Int?, nearDuplicateOf: Int64?)] {
        do {
            let hits = try await index.withReader {
                try await $0.newMatches(nil, options: SearchOptions(), after: after, newestFirst: false, limit: count)
            }
            return Dictionary(hits.map { ($0.id, ($0.storyID, $0.storySize, $0.nearDuplicateOf)) },
                              uniquingKeysWith: { first, _ in first })
        } catch {
            logger.debug("cannot read the story marks of new articles: \(error)")
            return [:]
        }
    }
}
