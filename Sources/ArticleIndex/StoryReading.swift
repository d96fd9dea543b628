import ArabicText
import Foundation
import GRDB
import Stories

/// A story as `marsad stories` lists it.
public struct StorySummary: Sendable, Codable, Hashable {
    public var id: Int64
    /// The headline of its most central article: the one most similar to the others.
    public var title: String
    /// That article's id.
    public var articleID: Int64
    /// Publication time (ISO 8601) of its first and last dated article (see `dated`).
    public var firstAt: String
    public var lastAt: String
    /// Whether `first_at` and `last_at` are publication times; false for a story none of whose articles has a
    /// date: they are then the times Marsad indexed them.
    public var dated: Bool
    /// Its articles, near-duplicates included.
    public var articleCount: Int
    /// How many of them are near-duplicates of another.
    public var nearDuplicateCount: Int
    /// The outlets that told it, in the order they did.
    public var outlets: [String]
    /// Its most distinctive words, as written in its central article.
    public var terms: [String]

    enum CodingKeys: String, CodingKey {
        case id, title, articleID = "article_id", firstAt = "first_at", lastAt = "last_at", dated
        case articleCount = "article_count", nearDuplicateCount = "near_duplicate_count", outlets, terms
    }
}

/// One article of a story, for `marsad show --story`.
public struct StoryMember: Sendable, Codable, Hashable {
    public var id: Int64
    public var path: String
    public var title: String
    public var source: String?
    public var publishedAt: String?
    public var ingestedAt: String
    /// The article this one republishes, nil for an original.
    public var nearDuplicateOf: Int64?

    enum CodingKeys: String, CodingKey {
        case id, path, title, source, publishedAt = "published_at", ingestedAt = "ingested_at"
        case nearDuplicateOf = "near_duplicate_of"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(path, forKey: .path)
        try c.encode(title, forKey: .title)
        try c.encode(source, forKey: .source)
        try c.encode(publishedAt, forKey: .publishedAt)
        try c.encode(ingestedAt, forKey: .ingestedAt)
        try c.encode(nearDuplicateOf, forKey: .nearDuplicateOf)
    }
}

/// A story and its articles in time order.
public struct StoryDetail: Sendable, Codable, Hashable {
    public var story: StorySummary
    public var articles: [StoryMember]
    /// The id asked for, when it was merged into this story.
    public var mergedFrom: Int64?

    enum CodingKeys: String, CodingKey { case story, articles, mergedFrom = "merged_from" }
}

/// Which stories ``ArticleReading/stories(_:)`` lists.
public struct StoryFilter: Sendable, Hashable {
    /// Stories with an article published on or after this ISO 8601 date.
    public var since: String?
    /// Stories with an article published on or before it.
    public var until: String?
    /// Stories told by this outlet (among others).
    public var source: String?
    public var limit: Int
    public var offset: Int

    public init(since: String? = nil, until: String? = nil, source: String? = nil, limit: Int = 20, offset: Int = 0) {
        self.since = since
        self.until = until
        self.source = source
        self.limit = limit
        self.offset = offset
    }
}

/// Where an article stands: its story and its near-duplicate original.
public struct StoryMark: Sendable, Hashable {
    public var storyID: Int64?
    public var storySize: Int?
    public var nearDuplicateOf: Int64?
}

extension ArticleIndex {
    /// Stories, newest first (by their last article).
    public func stories(_ filter: StoryFilter) async throws(IndexError) -> [StorySummary] {
        let analyzer = self.analyzer
        return try await mapErrors {
            try await pool.read { db in
                var conditions: [String] = []
                var arguments: StatementArguments = []
                if let since = filter.since { conditions.append("st.last_at >= ?"); arguments += [since] }
                if let until = filter.until {
                    conditions.append("substr(st.first_at, 1, length(?)) <= ?"); arguments += [until, until]
                }
                if let source = filter.source {
                    conditions.append("""
                        EXISTS (SELECT 1 FROM article_stories s JOIN articles a ON a.id = s.article_id
                                WHERE s.story_id = st.id AND a.source = ?)
                        """)
                    arguments += [source]
                }
                let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                let ids = try Int64.fetchAll(db, sql: """
                    SELECT st.id FROM stories st \(whereSQL) ORDER BY st.last_at DESC, st.id DESC LIMIT ? OFFSET ?
                    """, arguments: arguments + [filter.limit, filter.offset])
                return try ids.compactMap { try Self.storySummary(db, id: $0, analyzer: analyzer) }
            }
        }
    }

    /// A story by id (a merged id gives the story it joined), with its articles oldest first; nil when none.
    public func story(id: Int64) async throws(IndexError) -> StoryDetail? {
        let analyzer = self.analyzer
        return try await mapErrors {
            try await pool.read { db in
                var storyID = id
                var mergedFrom: Int64?
                if try Int64.fetchOne(db, sql: "SELECT id FROM stories WHERE id = ?", arguments: [id]) == nil {
                    guard let target = try Int64.fetchOne(db, sql: "SELECT story_id FROM story_redirects WHERE id = ?",
                                                          arguments: [id]) else { return nil }
                    storyID = target
                    mergedFrom = id
                }
                guard let summary = try Self.storySummary(db, id: storyID, analyzer: analyzer) else { return nil }
                let members = try Row.fetchAll(db, sql: """
                    SELECT a.id, a.path, a.title, a.source, a.published_at, a.ingested_at, s.near_duplicate_of
                    FROM article_stories s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?
                    ORDER BY coalesce(a.published_at, strftime('%Y-%m-%dT%H:%M:%SZ', a.ingested_at, 'unixepoch')), a.id
                    """, arguments: [storyID]).map { row in
                    StoryMember(id: row["id"], path: row["path"], title: row["title"], source: row["source"],
                                publishedAt: row["published_at"], ingestedAt: iso8601(row["ingested_at"]),
                                nearDuplicateOf: row["near_duplicate_of"])
                }
                return StoryDetail(story: summary, articles: members, mergedFrom: mergedFrom)
            }
        }
    }

    /// The story and near-duplicate marks of some articles, in one read.
    static func storyMarks(_ db: Database, _ ids: [Int64]) throws -> [Int64: StoryMark] {
        guard !ids.isEmpty, try db.tableExists("article_stories") else { return [:] }
        var marks: [Int64: StoryMark] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.article_id, s.story_id, s.near_duplicate_of, st.article_count
            FROM article_stories s LEFT JOIN stories st ON st.id = s.story_id
            WHERE s.article_id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))
            """, arguments: StatementArguments(ids)) {
            marks[row["article_id"]] = StoryMark(storyID: row["story_id"], storySize: row["article_count"],
                                                 nearDuplicateOf: row["near_duplicate_of"])
        }
        return marks
    }

    /// Stories whose members the summary compares with each other, at most: the central article of a story of
    /// 2,000 wire copies is found among its first 200.
    static let centralSample = 200

    static func storySummary(_ db: Database, id: Int64, analyzer: ArabicAnalyzer) throws -> StorySummary? {
        guard let story = try Row.fetchOne(db, sql: "SELECT * FROM stories WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let members = try Row.fetchAll(db, sql: """
            SELECT s.article_id, s.near_duplicate_of, s.profile, a.source FROM article_stories s
            JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?
            ORDER BY coalesce(a.published_at, strftime('%Y-%m-%dT%H:%M:%SZ', a.ingested_at, 'unixepoch')), a.id
            """, arguments: [id])
        guard !members.isEmpty else { return nil }
        var outlets: [String] = []
        for row in members {
            if let source: String = row["source"], !outlets.contains(source) { outlets.append(source) }
        }
        let nearCount = members.filter { ($0["near_duplicate_of"] as Int64?) != nil }.count
        let sample = members.filter { ($0["near_duplicate_of"] as Int64?) == nil }.prefix(centralSample)
        let profiles: [(id: Int64, profile: StoryProfile)] = sample.compactMap { row in
            (row["profile"] as Data?).flatMap { StoryProfile(bytes: [UInt8]($0)) }.map { (row["article_id"], $0) }
        }
        // The central article: the most similar to the others (the first, for one or two).
        let first: Int64 = members[0]["article_id"]
        var central = profiles.first?.id ?? first
        var bestSum = -Double.infinity
        for (i, a) in profiles.enumerated() {
            var sum = 0.0
            for (j, b) in profiles.enumerated() where i != j { sum += StoryRules.similarity(a.profile, b.profile) }
            if sum > bestSum + 1e-9 { bestSum = sum; central = a.id }
        }
        // Its words: the keys that weigh most over the story's originals, spelled as the central article has them.
        var weight: [Int32: Double] = [:]
        for (_, profile) in profiles { for key in profile.keys { weight[key.term, default: 0] += Double(key.weight) } }
        let top = weight.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(8).map(\.key)
        guard let row = try Row.fetchOne(db, sql: "SELECT title, body FROM articles WHERE id = ?", arguments: [central])
        else { return nil }
        let title: String = row["title"]
        let text = title + "\n" + ((try? StoredColumn.text(row, "body")) ?? "")
        var spelling: [Int32: String] = [:]
        let bytes = Array(text.utf8)
        for token in analyzer.tokens(in: text) where !token.isStopWord {
            let hash = StoryProfile.termHash(token.term)
            if spelling[hash] == nil, top.contains(hash) {
                spelling[hash] = String(decoding: bytes[token.utf8Range], as: UTF8.self)
            }
        }
        return StorySummary(id: id, title: title, articleID: central, firstAt: story["first_at"],
                            lastAt: story["last_at"], dated: story["dated"], articleCount: story["article_count"],
                            nearDuplicateCount: nearCount, outlets: outlets, terms: top.compactMap { spelling[$0] })
    }
}
