import Foundation
public import Articles
import ArabicText
import GRDB

/// A file the index could not take, and why.
public struct FailedFile: Sendable, Codable, Hashable {
    public var path: String
    public var reason: String
    /// When it failed, ISO 8601.
    public var at: String
}

/// Counts and facts about an index, for `marsad status`.
public struct IndexStatus: Sendable, Codable, Hashable {
    /// Distinct articles in the index.
    public var articles: Int
    /// Files whose content is already indexed under another path.
    public var duplicates: Int
    /// Files that could not be indexed.
    public var failed: Int
    /// All files in the ledger.
    public var files: Int
    /// The index's size on disk: the database file and its write-ahead log.
    public var indexBytes: Int64
    public var schemaVersion: Int
    public var analyzerVersion: Int
    public var parserVersion: Int
    /// Articles parsed by an older parser, waiting to be re-parsed.
    public var staleArticles: Int
    /// When a file was last indexed (ISO 8601), nil when never.
    public var lastIngestAt: String?
    /// The most recent failures, newest first.
    public var recentFailures: [FailedFile]

    enum CodingKeys: String, CodingKey {
        case articles, duplicates, failed, files, indexBytes = "index_bytes", schemaVersion = "schema_version"
        case analyzerVersion = "analyzer_version", parserVersion = "parser_version"
        case staleArticles = "stale_articles", lastIngestAt = "last_ingest_at", recentFailures = "recent_failures"
    }
}

/// One article as stored, for `marsad show`.
public struct StoredArticle: Sendable, Codable, Hashable {
    public var id: Int64
    public var path: String
    /// Other paths with the same content.
    public var duplicatePaths: [String]
    public var article: Article
    public var byteSize: Int64
    public var mtime: String?
    public var ingestedAt: String
    public var parserVersion: Int
    /// Its story (nil only in an index whose stories are being rebuilt).
    public var storyID: Int64?
    /// The earlier article this one republishes, nil for an original.
    public var nearDuplicateOf: Int64?
    /// The articles that republish this one, oldest first.
    public var nearDuplicates: [Int64] = []

    enum CodingKeys: String, CodingKey {
        case id, path, duplicatePaths = "duplicate_paths", article, byteSize = "byte_size", mtime
        case ingestedAt = "ingested_at", parserVersion = "parser_version", storyID = "story_id"
        case nearDuplicateOf = "near_duplicate_of", nearDuplicates = "near_duplicates"
    }

    /// `story_id` and `near_duplicate_of` are written as null when unknown, so readers need not guess.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(path, forKey: .path)
        try c.encode(duplicatePaths, forKey: .duplicatePaths)
        try c.encode(article, forKey: .article)
        try c.encode(byteSize, forKey: .byteSize)
        try c.encodeIfPresent(mtime, forKey: .mtime)
        try c.encode(ingestedAt, forKey: .ingestedAt)
        try c.encode(parserVersion, forKey: .parserVersion)
        try c.encode(storyID, forKey: .storyID)
        try c.encode(nearDuplicateOf, forKey: .nearDuplicateOf)
        try c.encode(nearDuplicates, forKey: .nearDuplicates)
    }
}

/// ISO 8601 in UTC, to the second, for timestamps stored as seconds since 1970.
func iso8601(_ seconds: Double) -> String {
    Date(timeIntervalSince1970: seconds).formatted(.iso8601)
}

extension ArticleIndex {
    public func status() async throws -> IndexStatus {
        let path = self.path
        return try await mapErrors {
            try await pool.read { db in
                func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
                let failures = try Row.fetchAll(db, sql: """
                    SELECT path, error, updated_at FROM files WHERE status = 'failed' ORDER BY updated_at DESC LIMIT 10
                    """).map { FailedFile(path: $0["path"], reason: $0["error"] ?? "", at: iso8601($0["updated_at"])) }
                let bytes = [path, path + "-wal"].reduce(Int64(0)) { sum, file in
                    sum + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0)
                }
                let last = try Double.fetchOne(db, sql: "SELECT max(ingested_at) FROM articles")
                return IndexStatus(
                    articles: try count("SELECT count(*) FROM articles"),
                    duplicates: try count("SELECT count(*) FROM files WHERE status = 'duplicate'"),
                    failed: try count("SELECT count(*) FROM files WHERE status = 'failed'"),
                    files: try count("SELECT count(*) FROM files"),
                    indexBytes: bytes,
                    schemaVersion: try Meta.get(db, "schema_version").flatMap(Int.init) ?? 0,
                    analyzerVersion: try Meta.get(db, "analyzer_version").flatMap(Int.init) ?? 0,
                    parserVersion: ArticleParser.version,
                    staleArticles: try Int.fetchOne(db, sql: "SELECT count(*) FROM articles WHERE parser_version <> ?",
                                                    arguments: [ArticleParser.version]) ?? 0,
                    lastIngestAt: last.map(iso8601),
                    recentFailures: failures)
            }
        }
    }

    /// The article with this id, or the article of the file at this path (a duplicate path gives its article).
    public func article(id: Int64? = nil, path: String? = nil) async throws(IndexError) -> StoredArticle? {
        try await mapErrors {
            try await pool.read { db in
                let row: Row?
                if let id {
                    row = try Row.fetchOne(db, sql: "SELECT * FROM articles WHERE id = ?", arguments: [id])
                } else {
                    row = try Row.fetchOne(db, sql: """
                        SELECT a.* FROM files f JOIN articles a ON a.id = f.article_id WHERE f.path = ?
                        """, arguments: [path])
                }
                guard let row else { return nil }
                let id: Int64 = row["id"]
                let canonical: String = row["path"]
                let others = try String.fetchAll(db, sql: """
                    SELECT path FROM files WHERE article_id = ? AND path <> ? AND status = 'duplicate' ORDER BY path
                    """, arguments: [id, canonical])
                let mark = try Self.storyMarks(db, [id])[id]
                let copies = try db.tableExists("article_stories") ? try Int64.fetchAll(db, sql: """
                    SELECT article_id FROM article_stories WHERE near_duplicate_of = ? ORDER BY article_id
                    """, arguments: [id]) : []
                return StoredArticle(id: id, path: canonical, duplicatePaths: others, article: try Self.article(from: row),
                                     byteSize: row["byte_size"], mtime: (row["mtime"] as Double?).map(iso8601),
                                     ingestedAt: iso8601(row["ingested_at"]), parserVersion: row["parser_version"],
                                     storyID: mark?.storyID, nearDuplicateOf: mark?.nearDuplicateOf,
                                     nearDuplicates: copies)
            }
        }
    }

    static func article(from row: Row) throws -> Article {
        let body = try StoredColumn.text(row, "body")
        let details = ArticleDetails.decode(try StoredColumn.text(row, "details"))
        var paragraphs = body.components(separatedBy: "\n\n")
        let lead = paragraphs.isEmpty ? "" : paragraphs.removeFirst()
        return Article(
            title: row["title"], titleDerived: row["title_derived"], lead: lead, paragraphs: paragraphs,
            source: row["source"], publishedAt: row["published_at"], updatedAt: row["updated_at"],
            captions: details?.captions ?? [], related: details?.related ?? [],
            embeddedPosts: details?.embeddedPosts ?? [], quotes: details?.quotes ?? [],
            datesMentioned: details?.datesMentioned ?? [], author: row["author"], url: row["url"],
            language: row["language"] ?? "", encoding: row["encoding"] ?? "",
            contentSHA256: row["content_sha256"], warnings: details?.warnings ?? [])
    }
}

extension ArticleIndex {
    /// How many articles the index holds.
    public func articleCount() async throws -> Int {
        try await mapErrors { try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM articles") ?? 0 } }
    }

    /// Paths whose article was made by an older parser: the daemon parses them again in the background.
    public func stalePaths(limit: Int = 100_000) async throws -> [String] {
        try await mapErrors {
            try await pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT f.path FROM files f JOIN articles a ON a.id = f.article_id
                    WHERE a.parser_version <> ? AND f.status <> 'failed' AND a.path = f.path LIMIT ?
                    """, arguments: [ArticleParser.version, limit])
            }
        }
    }


}
