public import ArticleIndex
import Foundation
import GRDB

/// A saved search: a name, a query in Marsad's query language, and an optional webhook.
public struct Alert: Sendable, Codable, Hashable {
    public var id: Int64
    public var name: String
    public var query: String
    public var webhook: String?
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, query, webhook, createdAt = "created_at"
    }

    /// The path and query string of the exact search (`/api/search?q=…`).
    public var search: String { Self.searchPath(query) }

    static func searchPath(_ query: String) -> String { "/api/search?q=" + QueryString.encoded(query) }
    /// The path of its Atom feed.
    public var feed: String { "/feeds/alerts/\(id).atom" }
}

/// One article an alert matched.
public struct AlertMatch: Sendable, Codable, Hashable {
    /// The match's own id: it grows as matches are recorded (the SSE event id of `/api/alerts/stream`).
    public var id: Int64
    public var alertID: Int64
    public var alertName: String
    /// The alert's query (its exact search is ``search``).
    public var alertQuery: String
    public var articleID: Int64
    public var title: String
    public var path: String
    public var source: String?
    public var publishedAt: String?
    public var snippet: String
    public var matchedAt: String
    /// The article's story when it matched (a merged story's id still finds it: `/api/stories/{id}`), and the
    /// article it republishes; nil when unknown (left out of the JSON).
    public var storyID: Int64?
    public var nearDuplicateOf: Int64?

    enum CodingKeys: String, CodingKey {
        case id, alertID = "alert_id", alertName = "alert_name", alertQuery = "alert_query", articleID = "article_id"
        case title, path, source, publishedAt = "published_at", snippet, matchedAt = "matched_at"
        case storyID = "story_id", nearDuplicateOf = "near_duplicate_of"
    }

    /// The path and query string of the alert's exact search.
    public var search: String { Alert.searchPath(alertQuery) }
}

/// A webhook call waiting to be made (or made again).
public struct Delivery: Sendable, Hashable {
    public var matchID: Int64
    public var url: String
    public var attempts: Int
}

/// Why a saved search was refused; `description` names the field and the reason.
public enum AlertError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(field: String, reason: String)
    case notFound(Int64)
    case storage(String)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .notFound(let id): "no alert #\(id)"
        case .storage(let reason): "the alert state cannot be used: \(reason)"
        }
    }
}

/// Saved searches, what they matched, and the webhook calls still to make: `marsad serve`'s own small SQLite
/// file (`alerts.db` in its state folder), so that the index stays read-only to it. `marsad alerts` on the
/// command line edits the same file; serve notices (``changeCount()``).
///
/// Tables: `alerts`; `matches` (one per alert and article, with what a notification shows); `deliveries` (a
/// webhook call per match of an alert with a webhook: pending, delivered or failed, with its attempts);
/// `cursor` (the newest article id matched, so that a restarted serve matches what it missed).
public final class AlertStore: Sendable {
    public let path: String
    /// A pool (WAL): reads run beside the one writer, and every call suspends instead of blocking a thread of
    /// Swift's pool while `marsad alerts` or a busy moment holds the file.
    let pool: DatabasePool
    /// The cursor's key: one cursor per index (a state folder shared by two serves of two indexes keeps two).
    let cursorKey: String

    /// Saved searches at most: past it, adding one is refused.
    public static let capacity = 10_000

    /// Opens (or creates) `alerts.db` in `directory`, creating the folder too. `index` names the index whose
    /// articles are matched (its cursor is kept under that name).
    public init(directory: String, index: String = "") throws(AlertError) {
        path = directory + "/alerts.db"
        cursorKey = index.isEmpty ? "article" : "article:" + index
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.foreignKeysEnabled = true
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw .storage("\(directory)/alerts.db: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    query TEXT NOT NULL,
                    webhook TEXT,
                    created_at REAL NOT NULL
                );
                CREATE TABLE matches (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
                    article_id INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    path TEXT NOT NULL,
                    source TEXT,
                    published_at TEXT,
                    snippet TEXT NOT NULL,
                    matched_at REAL NOT NULL
                );
                CREATE INDEX matches_alert ON matches(alert_id, id);
                CREATE TABLE deliveries (
                    match_id INTEGER PRIMARY KEY REFERENCES matches(id) ON DELETE CASCADE,
                    url TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT
                );
                CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
                CREATE TABLE cursor (
                    key TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        // Stories: each match keeps the story and near-duplicate marks its article had when it matched.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE matches ADD COLUMN story_id INTEGER;
                ALTER TABLE matches ADD COLUMN near_duplicate_of INTEGER;
                """)
        }
        return migrator
    }

    func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws(AlertError) -> T {
        do { return try await pool.write(body) } catch let error as AlertError { throw error } catch {
            throw .storage("\(path): \(error)")
        }
    }

    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws(AlertError) -> T {
        do { return try await pool.read(body) } catch let error as AlertError { throw error } catch {
            throw .storage("\(path): \(error)")
        }
    }

    // MARK: Saved searches

    /// Checks and saves a search. The query must parse (its error is the reason); the webhook, when given, must
    /// be an `http` or `https` URL.
    public func add(name: String, query: String, webhook: String?) async throws(AlertError) -> Alert {
        guard name.unicodeScalars.count <= 200, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
              case let name = name.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else {
            throw .invalid(field: "name", reason: "must be 1 to 200 characters, not only spaces, and no control characters")
        }
        guard query.utf8.count <= 4_096 else { throw .invalid(field: "query", reason: "must be at most 4096 bytes") }
        do { _ = try SearchQuery(query) } catch { throw .invalid(field: "query", reason: error.description) }
        if let webhook {
            guard let url = URL(string: webhook), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = url.host, !host.isEmpty, webhook.utf8.count <= 2_048 else {
                throw .invalid(field: "webhook", reason: "must be an http:// or https:// URL")
            }
        }
        return try await write { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM alerts") ?? 0
            guard count < Self.capacity else {
                throw AlertError.invalid(field: "name", reason: "there are already \(Self.capacity) saved searches")
            }
            let now = Date().timeIntervalSince1970
            try db.execute(sql: "INSERT INTO alerts (name, query, webhook, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [name, query, webhook, now])
            return Alert(id: db.lastInsertedRowID, name: name, query: query, webhook: webhook,
                         createdAt: Self.iso8601(now))
        }
    }

    public func alerts() async throws(AlertError) -> [Alert] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM alerts ORDER BY id").map(Self.alert) }
    }

    public func alert(id: Int64) async throws(AlertError) -> Alert? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).map(Self.alert) }
    }

    /// Removes a saved search with its matches and pending calls; false when there was none.
    @discardableResult
    public func remove(id: Int64) async throws(AlertError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM alerts WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// A number that changes whenever anyone (serve, `marsad alerts`) changes the saved searches.
    public func changeCount() async throws(AlertError) -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) * 1000003 + count(*) FROM alerts") ?? 0
        }
    }

    // MARK: Matches

    /// The article id up to which articles have been matched (nil before the first match run).
    public func cursor() async throws(AlertError) -> Int64? {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT value FROM cursor WHERE key = ?", arguments: [self.cursorKey]) }
    }

    /// Records the matches of a run over the articles up to `cursor`, and a webhook call for each match of an
    /// alert that has one, in one transaction. Returns the recorded matches (an alert deleted meanwhile, or a
    /// match already recorded, is skipped).
    @discardableResult
    public func record(_ found: [(alertID: Int64, hit: SearchHit)], cursor: Int64) async throws(AlertError) -> [AlertMatch] {
        try await write { db in
            let now = Date().timeIntervalSince1970
            var recorded: [AlertMatch] = []
            for (alertID, hit) in found {
                guard let alert = try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [alertID])
                    .map(Self.alert) else { continue }
                // Each article is matched once: the cursor moves in this same transaction.
                try db.execute(sql: """
                    INSERT INTO matches (alert_id, article_id, title, path, source, published_at, snippet, matched_at,
                                         story_id, near_duplicate_of)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [alertID, hit.id, hit.title, hit.path, hit.source, hit.publishedAt, hit.snippet, now,
                                     hit.storyID, hit.nearDuplicateOf])
                let matchID = db.lastInsertedRowID
                if let webhook = alert.webhook {
                    try db.execute(sql: "INSERT INTO deliveries (match_id, url, next_attempt_at) VALUES (?, ?, ?)",
                                   arguments: [matchID, webhook, now])
                }
                recorded.append(AlertMatch(id: matchID, alertID: alertID, alertName: alert.name, alertQuery: alert.query,
                                           articleID: hit.id,
                                           title: hit.title, path: hit.path, source: hit.source,
                                           publishedAt: hit.publishedAt, snippet: hit.snippet,
                                           matchedAt: Self.iso8601(now), storyID: hit.storyID,
                                           nearDuplicateOf: hit.nearDuplicateOf))
            }
            try db.execute(sql: "INSERT OR REPLACE INTO cursor (key, value) VALUES (?, ?)", arguments: [self.cursorKey, cursor])
            return recorded
        }
    }

    /// Sets the cursor without matching (a first start, or an index rebuilt from scratch).
    public func setCursor(_ cursor: Int64) async throws(AlertError) {
        try await write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO cursor (key, value) VALUES (?, ?)", arguments: [self.cursorKey, cursor])
        }
    }

    /// An alert's matches, newest first.
    public func matches(alertID: Int64, limit: Int, offset: Int = 0) async throws(AlertError) -> [AlertMatch] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.*, a.name AS alert_name, a.query AS alert_query FROM matches m JOIN alerts a ON a.id = m.alert_id
                WHERE m.alert_id = ? ORDER BY m.id DESC LIMIT ? OFFSET ?
                """, arguments: [alertID, limit, offset]).map(Self.match)
        }
    }

    /// Matches of every alert recorded after match `after`, oldest first.
    public func matches(after: Int64, limit: Int) async throws(AlertError) -> [AlertMatch] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.*, a.name AS alert_name, a.query AS alert_query FROM matches m JOIN alerts a ON a.id = m.alert_id
                WHERE m.id > ? ORDER BY m.id LIMIT ?
                """, arguments: [after, limit]).map(Self.match)
        }
    }

    /// The newest match id (0 when none).
    public func latestMatchID() async throws(AlertError) -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM matches") ?? 0 }
    }

    /// The number of matches of one alert.
    public func matchCount(alertID: Int64) async throws(AlertError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM matches WHERE alert_id = ?", arguments: [alertID]) ?? 0 }
    }

    /// The number of matches of each alert.
    public func matchCounts() async throws(AlertError) -> [Int64: Int] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT alert_id, count(*) AS n FROM matches GROUP BY alert_id")
                .reduce(into: [:]) { $0[$1["alert_id"]] = $1["n"] }
        }
    }

    // MARK: Webhook calls

    /// Pending calls due by `now`, oldest first.
    public func dueDeliveries(now: Double, limit: Int) async throws(AlertError) -> [Delivery] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT match_id, url, attempts FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ?
                ORDER BY next_attempt_at, match_id LIMIT ?
                """, arguments: [now, limit]).map { Delivery(matchID: $0["match_id"], url: $0["url"], attempts: $0["attempts"]) }
        }
    }

    /// The body of the call for a match: JSON naming the alert (with its exact search) and the article.
    public func payload(matchID: Int64) async throws(AlertError) -> [UInt8]? {
        let found: (AlertMatch, Alert)? = try await read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT m.*, a.name AS alert_name, a.query AS alert_query FROM matches m JOIN alerts a ON a.id = m.alert_id WHERE m.id = ?
                """, arguments: [matchID]) else { return nil }
            let match = Self.match(row)
            guard let alert = try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [match.alertID])
                .map(Self.alert) else { return nil }
            return (match, alert)
        }
        guard let (match, alert) = found else { return nil }
        return try? Array(JSONEncoder.sorted.encode(WebhookPayload(match: match, alert: alert)))
    }

    public func delivered(matchID: Int64) async throws(AlertError) {
        try await write { db in
            try db.execute(sql: "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, last_error = NULL WHERE match_id = ?",
                           arguments: [matchID])
        }
    }

    /// Records a failed attempt: tried again at `retryAt`, or given up when it is nil.
    public func failed(matchID: Int64, error: String, retryAt: Double?) async throws(AlertError) {
        try await write { db in
            try db.execute(sql: """
                UPDATE deliveries SET attempts = attempts + 1, last_error = ?, state = ?, next_attempt_at = coalesce(?, next_attempt_at)
                WHERE match_id = ?
                """, arguments: [error, retryAt == nil ? "failed" : "pending", retryAt, matchID])
        }
    }

    // MARK: Rows

    static func alert(_ row: Row) -> Alert {
        Alert(id: row["id"], name: row["name"], query: row["query"], webhook: row["webhook"],
              createdAt: iso8601(row["created_at"]))
    }

    static func match(_ row: Row) -> AlertMatch {
        AlertMatch(id: row["id"], alertID: row["alert_id"], alertName: row["alert_name"], alertQuery: row["alert_query"],
                   articleID: row["article_id"],
                   title: row["title"], path: row["path"], source: row["source"], publishedAt: row["published_at"],
                   snippet: row["snippet"], matchedAt: iso8601(row["matched_at"]), storyID: row["story_id"],
                   nearDuplicateOf: row["near_duplicate_of"])
    }

    static func iso8601(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}

/// An article as a notification shows it (an SSE event, a webhook call): every key, `null` when an article
/// has no outlet, date, story or original, so that clients see one shape.
public struct ArticleSummary: Encodable, Sendable {
    public var id: Int64
    public var title: String
    public var path: String
    public var source: String?
    public var publishedAt: String?
    public var snippet: String
    /// Its story (`/api/stories/{id}`), and the article it republishes.
    public var storyID: Int64?
    public var nearDuplicateOf: Int64?

    public init(id: Int64, title: String, path: String, source: String?, publishedAt: String?, snippet: String,
                storyID: Int64? = nil, nearDuplicateOf: Int64? = nil) {
        self.id = id
        self.title = title
        self.path = path
        self.source = source
        self.publishedAt = publishedAt
        self.snippet = snippet
        self.storyID = storyID
        self.nearDuplicateOf = nearDuplicateOf
    }

    /// A match's article.
    public init(_ match: AlertMatch) {
        self.init(id: match.articleID, title: match.title, path: match.path, source: match.source,
                  publishedAt: match.publishedAt, snippet: match.snippet, storyID: match.storyID,
                  nearDuplicateOf: match.nearDuplicateOf)
    }

    enum CodingKeys: String, CodingKey {
        case id, title, path, source, snippet, publishedAt = "published_at", storyID = "story_id"
        case nearDuplicateOf = "near_duplicate_of"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(path, forKey: .path)
        try container.encode(source, forKey: .source)
        try container.encode(publishedAt, forKey: .publishedAt)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(storyID, forKey: .storyID)
        try container.encode(nearDuplicateOf, forKey: .nearDuplicateOf)
    }
}

/// What a webhook receives.
struct WebhookPayload: Encodable {
    struct AlertPart: Encodable {
        var id: Int64
        var name: String
        var query: String
        var search: String
    }
    var alert: AlertPart
    var article: ArticleSummary
    var matchedAt: String

    enum CodingKeys: String, CodingKey {
        case alert, article, matchedAt = "matched_at"
    }

    init(match: AlertMatch, alert: Alert) {
        self.alert = AlertPart(id: alert.id, name: alert.name, query: alert.query, search: alert.search)
        article = ArticleSummary(match)
        matchedAt = match.matchedAt
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
