import ArabicText
import Articles
import Foundation
import GRDB
import Stories

/// Near-duplicates and stories in the index (schema v5), kept by the writer in the transaction that stores
/// the article, so an article has its story when it becomes searchable.
///
/// - `article_stories`: one row per article: its story, the earlier article it is a near-duplicate of (if
///   any), its publication day, its ``StoryProfile`` and its ``BodyFingerprint`` signature.
/// - `fingerprint_bands` (`band`, `article_id`): the band keys of every *original* (an article that is no
///   near-duplicate), so a new article finds the bodies it may copy with 16 B-tree look-ups. Copies add no
///   keys: 2,000 wire copies of one text each find one candidate, the original.
/// - `story_keys` (`term`, `day`, `article_id`): the distinctive terms of every original, by publication day.
///   A new article looks up each of its terms within its window of days: the cost is that of the articles
///   in the window, not of the index (FTS5's doclists hold every article with the term, and cannot be cut by
///   date). How many articles of the window share a term (up to ``lookupLimit``) is its document frequency
///   there.
/// - `story_terms` (`term`, `articles`): how many originals hold each term among their distinctive terms, and
///   (under ``originalsTerm``) how many originals there are: the document frequencies that weigh a new article's
///   terms. Counted over the whole index rather than the window, so that a small index (the five seeds) weighs
///   its words as a large one does.
/// - `stories`: id, article count, first and last publication time (`dated` = 1); a story none of whose
///   articles has a date (`dated` = 0) spans the times Marsad indexed them instead, until a dated one joins. `story_redirects`: merged ids and the
///   story each now belongs to.
enum StoryTables {
    /// `story_keys.day` of an article with no date (a primary key of a WITHOUT ROWID table cannot be NULL).
    static let noDay: Int64 = -1_000_000
    /// At most this many articles per term and window are read; a term that many share says little.
    static let lookupLimit = 64
    /// The candidates scored in full for each new article, by their shared terms' weight.
    static let candidateLimit = 12
    /// The heaviest terms of an original that `story_keys` holds and a new article looks up (its profile keeps
    /// more, for the similarity).
    static let lookupKeys = 16
    /// `story_terms.term` of the row that counts the originals (a term hash of 0 is stored as 1).
    static let originalsTerm: Int64 = 0

    static let createSQL = """
        CREATE TABLE article_stories (
            article_id INTEGER PRIMARY KEY NOT NULL,
            story_id INTEGER,
            near_duplicate_of INTEGER,
            day INTEGER,
            profile BLOB NOT NULL,
            signature BLOB
        );
        CREATE INDEX article_stories_story ON article_stories(story_id);
        CREATE INDEX article_stories_near ON article_stories(near_duplicate_of) WHERE near_duplicate_of IS NOT NULL;
        CREATE TABLE fingerprint_bands (
            band INTEGER NOT NULL,
            article_id INTEGER NOT NULL,
            PRIMARY KEY (band, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE story_keys (
            term INTEGER NOT NULL,
            day INTEGER NOT NULL,
            article_id INTEGER NOT NULL,
            PRIMARY KEY (term, day, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE story_terms (
            term INTEGER PRIMARY KEY NOT NULL,
            articles INTEGER NOT NULL
        );
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_count INTEGER NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            dated INTEGER NOT NULL
        );
        CREATE INDEX stories_last_at ON stories(last_at);
        CREATE TABLE story_redirects (
            id INTEGER PRIMARY KEY NOT NULL,
            story_id INTEGER NOT NULL
        );
        CREATE INDEX story_redirects_story ON story_redirects(story_id);
        """

    /// What the worker computed for the story tables.
    struct Input: Sendable {
        var profile: StoryProfile
        var fingerprint: BodyFingerprint?
        /// The publication time, or (`dated` false) the time Marsad indexed the article.
        var time: String
        var dated: Bool
    }

    // MARK: - Attaching an article

    /// Finds the near-duplicate original and the story of a new (or replaced) article `id`, and records them.
    static func attach(_ db: Database, id: Int64, input: Input) throws {
        let settings = try Settings(db)
        guard settings.enabled else { return }
        let windowDays = settings.windowDays
        var profile = input.profile
        var original: Int64?
        if let fingerprint = input.fingerprint {
            original = try nearDuplicateOriginal(db, of: fingerprint, excluding: id)
        }
        let storyID: Int64
        if let original, let story = try db.one(Int64.self, "SELECT story_id FROM article_stories WHERE article_id = ?",
                                                  arguments: [original]) {
            // A copy belongs to its original's story; it adds no terms, so copies do not make the story's words
            // look common.
            storyID = story
            try joinStory(db, storyID, input)
        } else {
            original = nil
            let idf = try inverseDocumentFrequencies(db, profile)
            profile = profile.weighted { idf[$0] }
            let candidates = try candidates(db, for: profile, excluding: id, windowDays: windowDays)
            switch StoryRules.decide(profile, among: candidates).0 {
            case .start:
                try db.cached("INSERT INTO stories (article_count, first_at, last_at, dated) VALUES (0, ?, ?, ?)",
                              arguments: [input.time, input.time, input.dated])
                storyID = db.lastInsertedRowID
                try joinStory(db, storyID, input)
            case .join(let story):
                storyID = story
                try joinStory(db, story, input)
            case .merge(let into, let others):
                storyID = into
                try merge(db, others, into: into)
                try joinStory(db, into, input)
            }
        }
        try db.cached("""
            INSERT OR REPLACE INTO article_stories (article_id, story_id, near_duplicate_of, day, profile, signature)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [id, storyID, original, profile.day.map { Int64($0) }, Data(profile.bytes),
                             input.fingerprint.map { Data($0.bytes) }])
        if original == nil { try addKeys(db, id: id, profile: profile, fingerprint: input.fingerprint) }
    }

    /// The index's story settings in `meta`, read with one statement.
    struct Settings {
        /// Whether the writer finds stories: `stories` is `off` after `marsad stories --off` (for an index that
        /// does not want them, and for the benchmark that measures what they cost).
        var enabled = true
        /// The window of days (either side) that candidates come from: `story_window_days`, set by
        /// `marsad stories --rebuild --window N`, else ``StoryRules/defaultWindowDays``.
        var windowDays = StoryRules.defaultWindowDays

        init(_ db: Database) throws {
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT key, value FROM meta WHERE key IN ('stories', 'story_window_days')
                """))
            for row in rows {
                let value: String? = row["value"]
                switch row["key"] as String {
                case "stories": enabled = value != "off"
                default: windowDays = value.flatMap { Int($0) } ?? StoryRules.defaultWindowDays
                }
            }
        }
    }

    /// At most this many originals are read from a band (the newest): a band that many bodies share says little.
    static let bandLimit = 32
    /// At most this many originals, those sharing the most bands, have their signature compared.
    static let signatureLimit = 8

    /// The band look-ups of ``nearDuplicateOriginal(_:of:excluding:)``: the newest ``bandLimit`` originals of
    /// each of `count` bands.
    static func bandLookup(_ count: Int) -> String {
        Array(repeating: """
            SELECT article_id FROM (SELECT article_id FROM fingerprint_bands WHERE band = ? ORDER BY article_id DESC \
            LIMIT \(bandLimit))
            """, count: count).joined(separator: " UNION ALL ")
    }
    /// ``bandLookup(_:)`` of every band, built once.
    static let bandLookupSQL = bandLookup(BodyFingerprint.bandCount)

    /// The earliest original whose fingerprint makes `fingerprint` a near-duplicate of it, if any.
    ///
    /// One statement reads the newest ``bandLimit`` originals of each of the 16 bands, and one more the
    /// signatures of the ``signatureLimit`` that share the most bands. Before these limits a band key held by
    /// 2,156 originals (the benchmark's generated corpus, whose bodies share a small vocabulary) made some
    /// articles read and compare thousands of signatures. A real copy shares about 16 × J³ bands with its
    /// original (8 at J = 0.8), so it stays among the first candidates.
    static func nearDuplicateOriginal(_ db: Database, of fingerprint: BodyFingerprint, excluding id: Int64) throws -> Int64? {
        let bands = fingerprint.bandKeys
        guard !bands.isEmpty else { return nil }
        let sql = bands.count == BodyFingerprint.bandCount ? bandLookupSQL : bandLookup(bands.count)
        var shared: [Int64: Int] = [:]
        for other in try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(bands)) where other != id {
            shared[other, default: 0] += 1
        }
        guard !shared.isEmpty else { return nil }
        let best = shared.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(signatureLimit).map(\.key)
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT article_id, signature FROM article_stories WHERE article_id IN (\(databaseQuestionMarks(count: best.count)))
            ORDER BY article_id
            """), arguments: StatementArguments(best))
        for row in rows {
            guard let data: Data = row["signature"], let theirs = BodyFingerprint(bytes: [UInt8](data)) else { continue }
            if fingerprint.isNearDuplicate(of: theirs) { return row["article_id"] }
        }
        return nil
    }

    /// The weight of each of the profile's terms: ln(1 + (N − n + ½) / (n + ½)), N originals of which n hold the
    /// term; one statement for all of them.
    static func inverseDocumentFrequencies(_ db: Database, _ profile: StoryProfile) throws -> [Int32: Double] {
        let terms = [originalsTerm] + profile.keys.map { termKey($0.term) }
        var counts: [Int64: Double] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT term, articles FROM story_terms WHERE term IN (\(databaseQuestionMarks(count: terms.count)))
            """), arguments: StatementArguments(terms)) {
            counts[row["term"]] = Double(row["articles"] as Int64)
        }
        let originals = counts[originalsTerm] ?? 0
        var idf: [Int32: Double] = [:]
        for key in profile.keys {
            let n = counts[termKey(key.term)] ?? 0
            // Lucene's BM25 idf: a term every earlier original holds weighs almost nothing, even in a small index.
            idf[key.term] = Foundation.log(1 + (originals - n + 0.5) / (n + 0.5))
        }
        return idf
    }

    static func termKey(_ term: Int32) -> Int64 { term == 0 ? 1 : Int64(term) }

    /// The look-ups of ``candidates(_:for:excluding:windowDays:)`` for 0…``lookupKeys`` terms, built once: the
    /// look-up of term `k` within the window and among undated originals (a dated article), or among all
    /// (an undated one), each row tagged with `k`.
    static let datedLookupSQL = (0...lookupKeys).map { count in
        (0..<count).map { k in
            """
            SELECT \(k) AS k, article_id FROM (SELECT article_id FROM story_keys WHERE term = ? AND day BETWEEN ? AND ? \
            LIMIT \(lookupLimit)) UNION ALL \
            SELECT \(k) AS k, article_id FROM (SELECT article_id FROM story_keys WHERE term = ? AND day = \(noDay) \
            ORDER BY article_id DESC LIMIT \(lookupLimit))
            """
        }.joined(separator: " UNION ALL ")
    }
    static let undatedLookupSQL = (0...lookupKeys).map { count in
        (0..<count).map { k in
            """
            SELECT \(k) AS k, article_id FROM (SELECT article_id FROM story_keys WHERE term = ? \
            ORDER BY day DESC, article_id DESC LIMIT \(lookupLimit))
            """
        }.joined(separator: " UNION ALL ")
    }

    /// The originals that share the most weight of (weighted) distinctive terms with `profile` within its window:
    /// one statement of up to 32 index look-ups (each term within the window, and among undated originals),
    /// and one that reads the best ``candidateLimit`` profiles.
    static func candidates(_ db: Database, for profile: StoryProfile, excluding id: Int64, windowDays: Int) throws
        -> [StoryRules.Candidate]
    {
        let keys = Array(profile.keys.prefix(lookupKeys))
        guard !keys.isEmpty else { return [] }
        var arguments: [Int64] = []
        for key in keys {
            if let day = profile.day {
                arguments += [Int64(key.term), Int64(day) - Int64(windowDays), Int64(day) + Int64(windowDays), Int64(key.term)]
            } else {
                arguments.append(Int64(key.term))
            }
        }
        let sql = (profile.day == nil ? undatedLookupSQL : datedLookupSQL)[keys.count]
        var weight: [Int64: Double] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql),
                                       arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            let other: Int64 = row[1]
            guard other != id else { continue }
            weight[other, default: 0] += Double(keys[row[0] as Int].weight)
        }
        let best = weight.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(candidateLimit).map(\.key)
        guard !best.isEmpty else { return [] }
        var found: [Int64: StoryRules.Candidate] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT article_id, story_id, profile FROM article_stories WHERE article_id IN (\(databaseQuestionMarks(count: best.count)))
            """), arguments: StatementArguments(best)) {
            guard let story: Int64 = row["story_id"], let data: Data = row["profile"],
                  let theirs = StoryProfile(bytes: [UInt8](data)) else { continue }
            let other: Int64 = row["article_id"]
            found[other] = StoryRules.Candidate(articleID: other, storyID: story, profile: theirs)
        }
        return best.compactMap { found[$0] }
    }

    /// Records an original's look-up keys, counts its terms and its band keys: three statements.
    static func addKeys(_ db: Database, id: Int64, profile: StoryProfile, fingerprint: BodyFingerprint?) throws {
        let day = profile.day.map(Int64.init) ?? noDay
        let keys = profile.keys.prefix(lookupKeys)
        if !keys.isEmpty {
            try db.cached("INSERT OR IGNORE INTO story_keys (term, day, article_id) VALUES "
                          + Array(repeating: "(?, ?, ?)", count: keys.count).joined(separator: ", "),
                          arguments: StatementArguments(keys.flatMap { [Int64($0.term), day, id] }))
        }
        try count(db, profile, by: 1)
        let bands = fingerprint?.bandKeys ?? []
        if !bands.isEmpty {
            try db.cached("INSERT OR IGNORE INTO fingerprint_bands (band, article_id) VALUES "
                          + Array(repeating: "(?, ?)", count: bands.count).joined(separator: ", "),
                          arguments: StatementArguments(bands.flatMap { [$0, id] }))
        }
    }

    static func removeKeys(_ db: Database, id: Int64, profile: StoryProfile, fingerprint: BodyFingerprint?) throws {
        let day = profile.day.map(Int64.init) ?? noDay
        let keys = profile.keys.prefix(lookupKeys)
        if !keys.isEmpty {
            try db.cached("DELETE FROM story_keys WHERE day = ? AND article_id = ? AND term IN ("
                          + databaseQuestionMarks(count: keys.count) + ")",
                          arguments: StatementArguments([day, id] + keys.map { Int64($0.term) }))
        }
        try count(db, profile, by: -1)
        let bands = fingerprint?.bandKeys ?? []
        if !bands.isEmpty {
            try db.cached("DELETE FROM fingerprint_bands WHERE article_id = ? AND band IN ("
                          + databaseQuestionMarks(count: bands.count) + ")",
                          arguments: StatementArguments([id] + bands))
        }
    }

    /// Adds `change` (1 or −1) to the count of each of the profile's terms and to the count of originals: one
    /// statement (two when two terms share a key, see ``termKey(_:)``).
    static func count(_ db: Database, _ profile: StoryProfile, by change: Int) throws {
        var terms = [originalsTerm: 1]
        for key in profile.keys { terms[termKey(key.term), default: 0] += 1 }
        if change > 0 {
            let rows = terms.sorted { $0.key < $1.key }
            try db.cached("""
                INSERT INTO story_terms (term, articles) VALUES \(Array(repeating: "(?, ?)", count: rows.count)
                    .joined(separator: ", "))
                ON CONFLICT (term) DO UPDATE SET articles = articles + excluded.articles
                """, arguments: StatementArguments(rows.flatMap { [$0.key, Int64($0.value * change)] }))
        } else {
            for (times, group) in Dictionary(grouping: terms.keys, by: { terms[$0]! }) {
                let keys = group.sorted()
                try db.cached("""
                    UPDATE story_terms SET articles = max(articles - ?, 0) WHERE term IN (\(databaseQuestionMarks(count: keys.count)))
                    """, arguments: StatementArguments([Int64(times * -change)] + keys))
            }
        }
    }

    /// Counts one more article in `story`, and widens its span: a dated article replaces the indexing times of
    /// a story that had none, an undated one widens only a story of undated articles.
    static func joinStory(_ db: Database, _ story: Int64, _ input: Input) throws {
        try db.cached("""
            UPDATE stories SET article_count = article_count + 1,
                first_at = CASE WHEN ?2 > dated THEN ?1 WHEN ?2 = dated THEN min(first_at, ?1) ELSE first_at END,
                last_at = CASE WHEN ?2 > dated THEN ?1 WHEN ?2 = dated THEN max(last_at, ?1) ELSE last_at END,
                dated = max(dated, ?2)
            WHERE id = ?3
            """, arguments: [input.time, input.dated ? 1 : 0, story])
    }

    /// Moves every article of `others` into `into`; the merged ids redirect to it.
    static func merge(_ db: Database, _ others: [Int64], into: Int64) throws {
        for other in others {
            try db.cached("UPDATE article_stories SET story_id = ? WHERE story_id = ?", arguments: [into, other])
            try db.cached("""
                UPDATE stories SET article_count = stories.article_count + o.article_count,
                    first_at = CASE WHEN o.dated > stories.dated THEN o.first_at
                                    WHEN o.dated = stories.dated THEN min(stories.first_at, o.first_at) ELSE stories.first_at END,
                    last_at = CASE WHEN o.dated > stories.dated THEN o.last_at
                                   WHEN o.dated = stories.dated THEN max(stories.last_at, o.last_at) ELSE stories.last_at END,
                    dated = max(stories.dated, o.dated)
                FROM (SELECT article_count, first_at, last_at, dated FROM stories WHERE id = ?1) AS o
                WHERE stories.id = ?2
                """, arguments: [other, into])
            try db.cached("DELETE FROM stories WHERE id = ?", arguments: [other])
            try db.cached("UPDATE story_redirects SET story_id = ? WHERE story_id = ?", arguments: [into, other])
            try db.cached("INSERT OR REPLACE INTO story_redirects (id, story_id) VALUES (?, ?)", arguments: [other, into])
        }
    }

    // MARK: - Detaching an article

    /// Takes article `id` out of its story (before it is deleted, or replaced by new content). A story left
    /// empty disappears; the article's near-duplicates get the earliest of them as their new original.
    static func detach(_ db: Database, id: Int64) throws {
        guard let row = try db.one(Row.self, """
            SELECT story_id, near_duplicate_of, profile, signature FROM article_stories WHERE article_id = ?
            """, arguments: [id]) else { return }
        let profile = (row["profile"] as Data?).flatMap { StoryProfile(bytes: [UInt8]($0)) }
        let fingerprint = (row["signature"] as Data?).flatMap { BodyFingerprint(bytes: [UInt8]($0)) }
        let wasOriginal = (row["near_duplicate_of"] as Int64?) == nil
        if wasOriginal, let profile { try removeKeys(db, id: id, profile: profile, fingerprint: fingerprint) }
        // The time the article counted in its story's span, read while its row still holds what was indexed.
        let leaving = try db.one(Row.self, """
            SELECT coalesce(published_at, strftime('%Y-%m-%dT%H:%M:%SZ', ingested_at, 'unixepoch')) AS time,
                   published_at IS NOT NULL AS dated
            FROM articles WHERE id = ?
            """, arguments: [id]).map { (time: $0["time"] as String, dated: $0["dated"] as Bool) }
        try db.cached("DELETE FROM article_stories WHERE article_id = ?", arguments: [id])
        if let story: Int64 = row["story_id"] { try leaveStory(db, story, leaving: leaving) }
        if wasOriginal { try promoteCopies(db, of: id) }
    }

    /// Counts one article fewer in `story`. Its span is computed again from its articles only when the one
    /// leaving (at `leaving`, nil when unknown) may have been one of its ends: that reads every article of the
    /// story, which took about 0.4 s an article in a story of 99,265 (the benchmark's 100,000-article index).
    static func leaveStory(_ db: Database, _ story: Int64, leaving: (time: String, dated: Bool)?) throws {
        try db.cached("UPDATE stories SET article_count = article_count - 1 WHERE id = ?", arguments: [story])
        guard let left = try db.one(Row.self, "SELECT article_count, first_at, last_at, dated FROM stories WHERE id = ?",
                                    arguments: [story]) else { return }
        if (left["article_count"] as Int) <= 0 {
            try db.cached("DELETE FROM stories WHERE id = ?", arguments: [story])
            try db.cached("DELETE FROM story_redirects WHERE story_id = ?", arguments: [story])
            return
        }
        if let leaving {
            let dated: Bool = left["dated"]
            let first: String = left["first_at"], last: String = left["last_at"]
            // An undated article never widened a dated story; one strictly inside the span was not an end of it.
            if !leaving.dated && dated { return }
            if leaving.dated == dated && first < leaving.time && leaving.time < last { return }
        }
        try db.cached("""
            UPDATE stories SET first_at = m.first_at, last_at = m.last_at, dated = m.dated
            FROM (SELECT coalesce(min(a.published_at), strftime('%Y-%m-%dT%H:%M:%SZ', min(a.ingested_at), 'unixepoch')) AS first_at,
                         coalesce(max(a.published_at), strftime('%Y-%m-%dT%H:%M:%SZ', max(a.ingested_at), 'unixepoch')) AS last_at,
                         max(a.published_at IS NOT NULL) AS dated
                  FROM article_stories s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?1) AS m
            WHERE stories.id = ?1
            """, arguments: [story])
    }

    /// The copies of a departed original: the earliest becomes an original (with keys of its own), and the
    /// others are copies of it when they still are near enough, originals otherwise.
    static func promoteCopies(_ db: Database, of id: Int64) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT article_id, profile, signature FROM article_stories WHERE near_duplicate_of = ? ORDER BY article_id
            """, arguments: [id])
        var heir: (id: Int64, fingerprint: BodyFingerprint?)?
        for row in rows {
            let copy: Int64 = row["article_id"]
            let profile = (row["profile"] as Data?).flatMap { StoryProfile(bytes: [UInt8]($0)) } ?? StoryProfile(keys: [])
            let fingerprint = (row["signature"] as Data?).flatMap { BodyFingerprint(bytes: [UInt8]($0)) }
            if let heir, let f = fingerprint, let h = heir.fingerprint, f.isNearDuplicate(of: h) {
                try db.cached("UPDATE article_stories SET near_duplicate_of = ? WHERE article_id = ?",
                              arguments: [heir.id, copy])
                continue
            }
            try db.cached("UPDATE article_stories SET near_duplicate_of = NULL WHERE article_id = ?", arguments: [copy])
            try addKeys(db, id: copy, profile: profile, fingerprint: fingerprint)
            if heir == nil { heir = (copy, fingerprint) }
        }
    }

    // MARK: - Rebuilding

    /// What the story tables need of a stored article (a row with the columns of ``rebuildColumns``).
    static func input(from row: Row, analyzer: ArabicAnalyzer) throws -> Input {
        let article = try ArticleIndex.article(from: row)
        let title = analyzer.indexText(article.title)
        let body = analyzer.indexText(article.body)
        return Input(profile: StoryProfile(article: article, titleTerms: title, bodyTerms: body, analyzer: analyzer),
                     fingerprint: BodyFingerprint(analyzedBody: body),
                     time: article.publishedAt ?? iso8601(row["ingested_at"]), dated: article.publishedAt != nil)
    }

    /// Forgets every story and near-duplicate mark and finds them again, article by article in id (arrival)
    /// order, as the writer did when they arrived.
    static func rebuild(_ db: Database, analyzer: ArabicAnalyzer, progress: (Int, Int) -> Void = { _, _ in }) throws {
        try db.execute(sql: """
            DELETE FROM article_stories; DELETE FROM fingerprint_bands; DELETE FROM story_keys; DELETE FROM story_terms;
            DELETE FROM stories; DELETE FROM story_redirects;
            """)
        guard try Settings(db).enabled else { return }
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM articles") ?? 0
        var done = 0
        try Schema.eachArticleBatch(db, columns: "*") { rows in
            for row in rows {
                try attach(db, id: row["id"], input: input(from: row, analyzer: analyzer))
            }
            done += rows.count
            progress(done, total)
        }
        try Meta.set(db, "story_version", String(StoryRules.version))
    }
}

extension ArticleIndex {
    /// How long finding the story of an article takes at this index's size: `sample` articles spread over the
    /// index are taken out of their story and assigned again, each timed (seconds), in one transaction that is
    /// rolled back. For `marsad-bench story-assign`, which shows that the cost does not grow with the index.
    public func storyAssignmentTimes(sample: Int) async throws(IndexError) -> [Double] {
        let analyzer = self.analyzer
        return try await mapErrors {
            try await pool.writeWithoutTransaction { db in
                var times: [Double] = []
                try db.inSavepoint {
                    let count = try Int64.fetchOne(db, sql: "SELECT max(id) FROM articles") ?? 0
                    let step = max(1, count / Int64(max(sample, 1)))
                    let ids = try Int64.fetchAll(db, sql: "SELECT id FROM articles WHERE id % ? = 0 LIMIT ?",
                                                 arguments: [step, sample])
                    for id in ids {
                        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM articles WHERE id = ?", arguments: [id])
                        else { continue }
                        let input = try StoryTables.input(from: row, analyzer: analyzer)
                        try StoryTables.detach(db, id: id)
                        let start = ContinuousClock.now
                        try StoryTables.attach(db, id: id, input: input)
                        let elapsed = ContinuousClock.now - start
                        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                    }
                    return .rollback
                }
                return times
            }
        }
    }

    /// Turns story finding off (`false`: new articles get none, and the story tables are emptied) or on
    /// (`true`: every article's story is found again, as ``rebuildStories(windowDays:progress:)`` does).
    public func setStoriesEnabled(_ enabled: Bool, progress: @Sendable (Int, Int) -> Void = { _, _ in })
        async throws(IndexError)
    {
        let analyzer = self.analyzer
        try await mapErrors {
            try await pool.write { db in
                try Meta.set(db, "stories", enabled ? "on" : "off")
                if enabled {
                    try StoryTables.rebuild(db, analyzer: analyzer, progress: progress)
                } else {
                    try db.execute(sql: """
                        DELETE FROM article_stories; DELETE FROM fingerprint_bands; DELETE FROM story_keys;
                        DELETE FROM story_terms; DELETE FROM stories; DELETE FROM story_redirects;
                        """)
                }
            }
        }
    }
}
