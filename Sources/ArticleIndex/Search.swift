import Foundation
public import ArabicText
import GRDB
import GRDBSQLite

/// Filters and paging for ``ArticleStore/search(_:options:)``.
public struct SearchOptions: Sendable {
    public var limit: Int
    public var offset: Int
    /// Only articles published on or after this ISO 8601 date (`2024-01-25`, or a full timestamp).
    public var since: String?
    /// Only articles published on or before this ISO 8601 date.
    public var until: String?
    /// Only articles from this outlet (exact match).
    public var source: String?
    /// Matches are counted up to this many; past it ``SearchResults/totalIsExact`` is false (default 10,000,
    /// what Elasticsearch counts by default).
    public var countLimit: Int
    /// When more articles match than this, only the newest this many are ranked (default 2,000). See
    /// ``ArticleIndex/search(_:options:)``.
    public var rankWindow: Int
    /// A search still running after this long is stopped (``IndexError/timedOut(_:)``); nil: no limit.
    public var timeout: Duration?
    /// How a loosened query (``SearchQuery/isLoosened``) ranks the words an article misses.
    public var looseRanking: LooseRanking = .tiers
    /// Fold matches of one story, or copies of one text, into one hit (nil: every match is a hit).
    public var collapse: Collapse?

    /// How ``MatchMode/best`` and ``MatchMode/any`` rank articles that miss some of the words.
    public enum LooseRanking: String, Sendable, CaseIterable {
        /// Articles with more of the words always first; bm25 orders each tier (Meilisearch's way).
        case tiers
        /// bm25 scaled by the share of the words the article holds (classic Lucene's coordination factor).
        case coordination
    }

    public init(limit: Int = 10, offset: Int = 0, since: String? = nil, until: String? = nil, source: String? = nil,
                countLimit: Int = 10_000, rankWindow: Int = 2_000, timeout: Duration? = nil) {
        self.timeout = timeout
        self.limit = limit
        self.offset = offset
        self.since = since
        self.until = until
        self.source = source
        self.countLimit = max(1, countLimit)
        self.rankWindow = max(1, rankWindow)
    }
}

/// One ranked hit.
public struct SearchHit: Sendable, Codable, Hashable {
    public var id: Int64
    public var path: String
    public var title: String
    /// Relevance: bm25 (higher is better), title matches weighted above body matches.
    public var score: Double
    /// A passage of the original body around the matches.
    public var snippet: String
    /// The matched words inside `snippet`, as `[start, end)` offsets in Unicode code points.
    public var highlights: [[Int]]
    public var source: String?
    public var publishedAt: String?
    /// When Marsad committed the article (ISO 8601, UTC): set by ``ArticleReading/newMatches(_:options:after:newestFirst:limit:)``
    /// only, and left out of the JSON otherwise.
    public var ingestedAt: String?
    /// The pieces of the query (``SearchQuery/units``) this article holds, as typed: set by
    /// ``ArticleIndex/search(_:options:)``, left out of the JSON otherwise.
    public var matchedTerms: [String]?
    /// The article's story and how many articles it has (left out of the JSON in an index without stories).
    public var storyID: Int64?
    public var storySize: Int?
    /// The earlier article this one republishes; left out of the JSON for an original.
    public var nearDuplicateOf: Int64?
    /// With ``SearchOptions/collapse``: the other matches folded into this hit.
    public var collapsed: CollapsedHits?

    public init(id: Int64, path: String, title: String, score: Double, snippet: String, highlights: [[Int]],
                source: String?, publishedAt: String?, ingestedAt: String? = nil) {
        self.id = id
        self.path = path
        self.title = title
        self.score = score
        self.snippet = snippet
        self.highlights = highlights
        self.source = source
        self.publishedAt = publishedAt
        self.ingestedAt = ingestedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, path, title, score, snippet, highlights, source, publishedAt = "published_at"
        case ingestedAt = "ingested_at", matchedTerms = "matched_terms", storyID = "story_id"
        case storySize = "story_size", nearDuplicateOf = "near_duplicate_of", collapsed
    }
}

/// The matches that ``SearchOptions/collapse`` folded into a hit: "+4 more from 3 outlets".
public struct CollapsedHits: Sendable, Codable, Hashable {
    /// How many other matches of the same story (or copies of the same text) are folded in.
    public var count: Int
    /// Their outlets, in rank order, each once.
    public var outlets: [String]
    /// Their ids, in rank order.
    public var ids: [Int64]
}

/// What ``SearchOptions/collapse`` folds together.
public enum Collapse: String, Sendable, CaseIterable, Codable {
    /// One hit per story: the best-ranked of its matching articles.
    case story
    /// One hit per text: near-duplicates fold into their original (or the best-ranked copy).
    case near
}

extension SearchHit {
    /// The hit, holding these pieces of its query.
    func holding(_ units: [String]) -> SearchHit {
        var hit = self
        hit.matchedTerms = units
        return hit
    }
}

/// The answer to a search.
public struct SearchResults: Sendable, Codable, Hashable {
    public var query: String
    /// How many articles match in all (hits holds at most `limit` of them), counted up to
    /// ``SearchOptions/countLimit``.
    public var total: Int
    /// False when counting stopped at ``SearchOptions/countLimit``: at least `total` articles match.
    public var totalIsExact: Bool
    /// How many of the matches were ranked: all of them, or the newest ``SearchOptions/rankWindow``.
    public var ranked: Int
    /// How the query's plain words combined.
    public var match: MatchMode
    /// How many of the query's optional words each match holds at least (0: none was optional). Usually
    /// ``SearchQuery/minimumMatch``; lower when nothing reached it.
    public var minimumMatch: Int
    public var hits: [SearchHit]
    /// What the hits fold together, when they do: each hit then stands for its story (or its text).
    public var collapse: Collapse?

    public init(query: String, total: Int, totalIsExact: Bool = true, ranked: Int? = nil, match: MatchMode = .all,
                minimumMatch: Int = 0, hits: [SearchHit]) {
        self.query = query
        self.total = total
        self.totalIsExact = totalIsExact
        self.ranked = ranked ?? total
        self.match = match
        self.minimumMatch = minimumMatch
        self.hits = hits
    }

    enum CodingKeys: String, CodingKey {
        case query, total, totalIsExact = "total_exact", ranked, match, minimumMatch = "minimum_match", hits, collapse
    }
}

extension SearchOptions {
    /// The filters as SQL conditions on `articles a` (each behind ` AND `), and their arguments.
    var filterSQL: (String, StatementArguments) {
        var filters = ""
        var arguments: StatementArguments = []
        if let since { filters += " AND a.published_at >= ?"; arguments += [since] }
        if let until {
            filters += " AND substr(a.published_at, 1, length(?)) <= ?"
            arguments += [until, until]
        }
        if let source { filters += " AND a.source = ?"; arguments += [source] }
        return (filters, arguments)
    }
}

extension ArticleIndex {
    /// bm25 weights for the columns title, body, captions.
    static let columnWeights = "5.0, 1.0, 1.0"
    /// A phrase's document frequency is counted exactly up to this many articles, and estimated past it.
    static let frequencyCountLimit = 1_000

    /// Finds the articles that match `query`, best first.
    ///
    /// Ranking is bm25 (title matches weighted 5, body and captions 1), as FTS5 computes it, without its two
    /// costs that grow with the number of matches:
    /// - FTS5's `bm25()` walks the whole doclist of every phrase to learn how many articles hold it. Marsad
    ///   counts at most ``frequencyCountLimit`` (newest first) and, past that, estimates the frequency from how
    ///   far back in the index the last one counted lies; the estimate feeds `marsad_rank` (see
    ///   ``RankFunction``), which is bm25 otherwise.
    /// - `ORDER BY rank` scores every match. When more than ``SearchOptions/rankWindow`` articles match, only
    ///   the newest that many are scored: for a word found in half of 100,000 articles, the best of the newest
    ///   2,000 is returned. ``SearchResults/ranked`` says how many were ranked.
    ///
    /// Counting stops at ``SearchOptions/countLimit``. So a search costs at most about 10,000 + 2,000 doclist
    /// steps and 2,000 scored rows however common its words are.
    public func search(_ query: SearchQuery, options: SearchOptions = SearchOptions()) async throws -> SearchResults {
        guard let collapse = options.collapse else { return try await withStoryMarks(searchPage(query, options: options)) }
        // Folding needs the matches past the page: the page's groups are found among the best
        // (offset + limit) × 10 + 50 matches of the ranking window, which holds a story's other outlets unless one
        // story has more matches than that.
        var wide = options
        wide.collapse = nil
        wide.offset = 0
        wide.limit = min(max(options.rankWindow, options.offset + options.limit), (options.offset + options.limit) * 10 + 50)
        var results = try await withStoryMarks(searchPage(query, options: wide))
        var order: [Int64] = []
        var groups: [Int64: SearchHit] = [:]
        for hit in results.hits {
            let key = switch collapse {
            case .story: hit.storyID ?? -hit.id
            case .near: hit.nearDuplicateOf ?? hit.id
            }
            if var head = groups[key] {
                var folded = head.collapsed ?? CollapsedHits(count: 0, outlets: [], ids: [])
                folded.count += 1
                folded.ids.append(hit.id)
                if let source = hit.source, source != head.source, !folded.outlets.contains(source) {
                    folded.outlets.append(source)
                }
                head.collapsed = folded
                groups[key] = head
            } else {
                order.append(key)
                groups[key] = hit
            }
        }
        results.hits = order.dropFirst(options.offset).prefix(options.limit).compactMap { groups[$0] }
        results.collapse = collapse
        return results
    }

    /// The results with each hit's story and near-duplicate marks.
    func withStoryMarks(_ results: SearchResults) async throws -> SearchResults {
        guard !results.hits.isEmpty else { return results }
        let marks = try await mapErrors { try await pool.read { db in try Self.storyMarks(db, results.hits.map(\.id)) } }
        var results = results
        for i in results.hits.indices {
            guard let mark = marks[results.hits[i].id] else { continue }
            results.hits[i].storyID = mark.storyID
            results.hits[i].storySize = mark.storySize
            results.hits[i].nearDuplicateOf = mark.nearDuplicateOf
        }
        return results
    }

    func searchPage(_ query: SearchQuery, options: SearchOptions) async throws -> SearchResults {
        let analyzer = self.analyzer
        return try await mapErrors {
            try await pool.read { db in try Self.withTimeout(db, options.timeout) {
                try self.requireCurrentAnalyzer(db)
                let (filters, filterArguments) = options.filterSQL
                let join = filters.isEmpty ? "" : " JOIN articles a ON a.id = article_fts.rowid"
                if let prefix = query.shortPrefix, hasPrefixTable {
                    return try Self.searchShortPrefix(db, query, prefix, options: options, filters: filters,
                                                      filterArguments: filterArguments, analyzer: analyzer)
                }
                if query.isOneCostlyPhrase && filters.isEmpty {
                    return try Self.searchInOnePass(db, query, options: options, analyzer: analyzer)
                }

                // 1. Count the matches, newest first, and note where the ranking window starts. A loosened query
                //    matches any of its optional words; `marsad_tier` keeps the articles that hold enough of them.
                let window = max(options.rankWindow, options.offset + options.limit)
                let loose = query.isLoosened
                func count(floor: Int) throws -> (total: Int, windowStart: Int64, oldest: Int64) {
                    let (tierFilter, tierArguments) = query.tierCondition(floor)
                    let matches = try Int64.fetchCursor(db, sql: """
                        SELECT article_fts.rowid FROM article_fts\(join) WHERE article_fts MATCH ?\(tierFilter)\(filters)
                        ORDER BY article_fts.rowid DESC LIMIT ?
                        """, arguments: [query.matchExpression] + tierArguments + filterArguments + [options.countLimit])
                    var total = 0
                    var windowStart = Int64.min
                    var oldest = Int64.max
                    while let rowid = try matches.next() {
                        total += 1
                        if total == window { windowStart = rowid }
                        oldest = rowid
                    }
                    return (total, windowStart, oldest)
                }
                var floor = query.minimumMatch
                var (total, windowStart, oldest) = try count(floor: floor)
                if total == 0 && loose && floor > 1 {
                    // Nothing holds half of the words: the floor comes down to what the best articles hold, so a
                    // natural query finds something whenever one of its words is in the index.
                    // (FTS5 refuses its functions inside an aggregate: the maximum is taken here.)
                    let tiers = try Int.fetchCursor(db, sql: """
                        SELECT marsad_tier(article_fts, ?) FROM article_fts\(join) WHERE article_fts MATCH ?\(filters)
                        """, arguments: [query.unitSpec, query.matchExpression] + filterArguments)
                    var best = 0
                    while let tier = try tiers.next() { best = max(best, tier) }
                    if best > 0 {
                        floor = best
                        (total, windowStart, oldest) = try count(floor: floor)
                    }
                }
                guard total > 0 else {
                    return SearchResults(query: query.text, total: 0, match: query.mode, minimumMatch: floor, hits: [])
                }
                let ranked = windowStart == Int64.min ? total : window

                // 2. Each phrase's document frequency, counted up to a limit. A query of one phrase and no filter
                //    has just been counted: its matches are the phrase's articles (a prefix or a phrase query
                //    is costly to evaluate, so not twice).
                let frequencies: [Double] = if query.phrases.count == 1, filters.isEmpty {
                    [try Self.estimate(db, counted: total, oldest: oldest, limit: options.countLimit)]
                } else {
                    try Self.documentFrequencies(db, query.phrases)
                }
                let frequencyList = frequencies.map { String(format: "%.1f", $0) }.joined(separator: " ")

                // 3. Rank the window inside FTS5 and join only the page of hits: joining every match with
                //    `articles` would read the stored body of thousands of articles just to sort them.
                let rank = loose ? "marsad_rank(article_fts, \(Self.columnWeights), ?, NULL, ?, ?)"
                    : "marsad_rank(article_fts, \(Self.columnWeights), ?)"
                let rankArguments: StatementArguments = loose
                    ? [frequencyList, query.unitSpec, options.looseRanking.rawValue] : [frequencyList]
                let (tierFilter, tierArguments) = query.tierCondition(floor)
                let sql = filters.isEmpty ? """
                    SELECT a.id, a.path, a.title, a.body, a.source, a.published_at, r.rank
                    FROM (SELECT rowid, \(rank) AS rank FROM article_fts
                          WHERE article_fts MATCH ? AND rowid >= ?\(tierFilter) ORDER BY rank, rowid DESC LIMIT ? OFFSET ?) r
                    JOIN articles a ON a.id = r.rowid
                    ORDER BY r.rank, r.rowid DESC
                    """ : """
                    SELECT a.id, a.path, a.title, a.body, a.source, a.published_at, \(rank) AS rank
                    FROM article_fts JOIN articles a ON a.id = article_fts.rowid
                    WHERE article_fts MATCH ? AND article_fts.rowid >= ?\(tierFilter)\(filters)
                    ORDER BY rank, article_fts.rowid DESC LIMIT ? OFFSET ?
                    """
                let arguments: StatementArguments = rankArguments + [query.matchExpression, windowStart] + tierArguments
                    + filterArguments + [options.limit, options.offset]
                let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
                let masks = try Self.matchedUnits(db, query, rows.map { $0["id"] })
                let hits = rows.map { row in
                    let id: Int64 = row["id"]
                    var score = -(row["rank"] as Double)
                    var hit = Self.hit(row, score: score, query, analyzer)
                    if let mask = masks[id] {
                        hit.matchedTerms = query.units.indices.filter { $0 >= 63 || mask & (1 << Int64($0)) != 0 }
                            .map { query.units[$0] }
                        if loose && options.looseRanking == .tiers {
                            // The tier was added to order the rows: the score shown is bm25's.
                            let tier = query.optionalUnits.filter { $0 >= 63 || mask & (1 << Int64($0)) != 0 }.count
                            score -= Double(tier) * RankFunction.tierWeight
                            hit.score = score
                        }
                    }
                    return hit
                }
                return SearchResults(query: query.text, total: total, totalIsExact: total < options.countLimit,
                                     ranked: ranked, match: query.mode, minimumMatch: floor, hits: hits)
            } }
        }
    }

    /// Which units of `query` each of `ids` holds, as `marsad_matched` masks. A query of one piece, or whose
    /// pieces are all required with no `OR`, is held whole by every match: nothing to ask.
    static func matchedUnits(_ db: Database, _ query: SearchQuery, _ ids: [Int64]) throws -> [Int64: Int64] {
        let everyPieceHeld = !query.isLoosened && query.included.allSatisfy { $0.count == 1 }
        guard !ids.isEmpty else { return [:] }
        if everyPieceHeld || query.units.count <= 1 {
            return Dictionary(uniqueKeysWithValues: ids.map { ($0, Int64.max) })
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT rowid, marsad_matched(article_fts, ?) AS mask FROM article_fts
            WHERE article_fts MATCH ? AND rowid IN (\(ids.map { _ in "?" }.joined(separator: ", ")))
            """, arguments: [query.unitSpec, query.matchExpression] + StatementArguments(ids))
        return rows.reduce(into: [:]) { $0[$1["rowid"]] = $1["mask"] }
    }

    /// Runs `body` on `db` with SQLite stopping whatever statement is still running once `timeout` has passed.
    ///
    /// A progress handler, called every 1,000 virtual-machine steps of this connection, returns non-zero past the
    /// deadline: SQLite then aborts the statement with `SQLITE_INTERRUPT`, exactly as `sqlite3_interrupt` would,
    /// but for this connection only (`sqlite3_interrupt` from a timer would stop every reader of the pool) and
    /// with no timer to start or cancel. The check costs a clock read per 1,000 steps.
    static func withTimeout<T>(_ db: Database, _ timeout: Duration?, _ body: () throws -> T) throws -> T {
        guard let timeout else { return try body() }
        let deadline = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { deadline.deallocate() }
        let (seconds, attoseconds) = timeout.components
        deadline.pointee = DispatchTime.now().uptimeNanoseconds
            &+ UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds / 1_000_000_000))
        let connection = db.sqliteConnection
        sqlite3_progress_handler(connection, 1_000, { context in
            guard let context else { return 0 }
            return DispatchTime.now().uptimeNanoseconds >= context.assumingMemoryBound(to: UInt64.self).pointee ? 1 : 0
        }, deadline)
        defer { sqlite3_progress_handler(connection, 0, nil, nil) }
        let timedOut = IndexError.timedOut("the search took longer than \(timeout) and was stopped: narrow it down")
        // FTS5 reports a statement interrupted inside its own reads as a plain SQLITE_ERROR: an error once the
        // deadline has passed is the interrupt.
        let result: T
        do { result = try body() } catch let error as DatabaseError
            where error.resultCode == .SQLITE_INTERRUPT || DispatchTime.now().uptimeNanoseconds >= deadline.pointee {
            throw timedOut
        }
        // Statements shorter than 1,000 steps are never stopped, but a search of many of them can still run
        // past the limit: it is answered as timed out too, so the limit means the same whatever the plan.
        if DispatchTime.now().uptimeNanoseconds >= deadline.pointee { throw timedOut }
        return result
    }

    /// A search of one prefix or one phrase of several words (``SearchQuery/isOneCostlyPhrase``), without
    /// filters: such a query is evaluated once, counting its matches newest first and scoring the newest
    /// `rankWindow` of them in the same pass.
    ///
    /// The two-pass plan of ``search(_:options:)`` evaluates the query twice, which is cheap for words but
    /// doubles the cost of a prefix (FTS5 merges the doclists of every term it expands to) or a phrase (FTS5
    /// reads positions). The phrase's document frequency is not known until the pass ends, so the pass scores
    /// with an idf of 1 (a negative frequency for `marsad_rank`) and the page's scores are multiplied by the
    /// idf afterwards: with one phrase, bm25 is that idf times a part that does not depend on it, so the order
    /// is the same and so are the scores.
    static func searchInOnePass(_ db: Database, _ query: SearchQuery, options: SearchOptions,
                                analyzer: ArabicAnalyzer) throws -> SearchResults {
        let window = max(options.rankWindow, options.offset + options.limit)
        let statement = try db.cachedStatement(sql: """
            SELECT rowid, marsad_rank(article_fts, \(columnWeights), '-1', ?), marsad_row_count(article_fts)
            FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid DESC LIMIT ?
            """)
        try statement.setArguments([window, query.matchExpression, options.countLimit])
        var best = TopRanks(keep: options.offset + options.limit)
        var total = 0
        var oldest = Int64.max
        var rows: Int64 = 0
        // Up to `countLimit` rows, stepped with SQLite's own calls: no row is boxed into a GRDB `Row`.
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        while true {
            let code = sqlite3_step(sqlite)
            guard code == SQLITE_ROW else {
                if code == SQLITE_DONE { break }
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage,
                                    sql: statement.sql)
            }
            total += 1
            oldest = sqlite3_column_int64(sqlite, 0)
            if total == 1 { rows = sqlite3_column_int64(sqlite, 2) }
            if sqlite3_column_type(sqlite, 1) != SQLITE_NULL {
                best.offer(rank: sqlite3_column_double(sqlite, 1), id: oldest)
            }
        }
        guard total > 0 else { return SearchResults(query: query.text, total: 0, match: query.mode, hits: []) }
        // The same frequency, rounded the same way, as the two-pass plan passes to marsad_rank.
        let estimated = try estimate(db, counted: total, oldest: oldest, limit: options.countLimit)
        let frequency = Double(String(format: "%.1f", estimated)) ?? estimated
        let n = Double(max(rows, 1))
        let idf = RankFunction.idf(hits: min(frequency, n), rows: n)
        let page = best.ranks.dropFirst(options.offset).map { (id: $0.id, score: -($0.rank * idf)) }
        return SearchResults(query: query.text, total: total, totalIsExact: total < options.countLimit,
                             ranked: min(total, window), match: query.mode,
                             hits: try hits(db, page, query, analyzer).map { $0.holding(query.units) })
    }

    /// A search of one prefix of two letters (``SearchQuery/shortPrefix``), from `article_prefix`.
    ///
    /// Such a prefix stands for thousands of terms, and bm25 over them (their summed frequencies) says little
    /// about relevance, so it is ranked the way Elasticsearch and Lucene rank every prefix query, by a constant
    /// score: articles with the prefix in their title (score 5, the title's weight) before the others (score 1),
    /// newest first within each. That needs neither positions nor columns, which is why `article_prefix` can be
    /// small and fast to write. Matches are counted newest first up to ``SearchOptions/countLimit``; the order is
    /// exact over all of them, so `ranked` is the total.
    static func searchShortPrefix(_ db: Database, _ query: SearchQuery, _ prefix: ShortPrefix, options: SearchOptions,
                                  filters: String, filterArguments: StatementArguments,
                                  analyzer: ArabicAnalyzer) throws -> SearchResults {
        // The analyzed prefix holds only letters and digits: quoted, it is one FTS5 string.
        let inTitle = "\"\(FullTextRow.titleMarker)\(prefix.text)\""
        let anywhere = prefix.titleOnly ? inTitle : "\"\(prefix.text)\""
        let join = filters.isEmpty ? "" : " JOIN articles a ON a.id = article_prefix.rowid"
        func newest(_ match: String, limit: Int) throws -> [Int64] {
            try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT article_prefix.rowid FROM article_prefix\(join) WHERE article_prefix MATCH ?\(filters)
                ORDER BY article_prefix.rowid DESC LIMIT ?
                """), arguments: [match] + filterArguments + [limit])
        }
        let matches = try newest(anywhere, limit: options.countLimit)
        guard !matches.isEmpty else { return SearchResults(query: query.text, total: 0, match: query.mode, hits: []) }
        let wanted = options.offset + options.limit
        // Title matches, as many as the page needs; when fewer, they are all of them, and the others follow.
        let titled = try newest(inTitle, limit: wanted)
        let titleSet = Set(titled)
        let ordered = titled.lazy.map { (id: $0, score: 5.0) }
            + matches.lazy.filter { !titleSet.contains($0) }.map { (id: $0, score: 1.0) }
        let page = Array(ordered.dropFirst(options.offset).prefix(options.limit))
        return SearchResults(query: query.text, total: matches.count, totalIsExact: matches.count < options.countLimit,
                             ranked: matches.count, match: query.mode,
                             hits: try hits(db, page, query, analyzer).map { $0.holding(query.units) })
    }

    /// The hits for a page of (article id, score), in that order, read from `articles`.
    static func hits(_ db: Database, _ page: [(id: Int64, score: Double)], _ query: SearchQuery,
                     _ analyzer: ArabicAnalyzer) throws -> [SearchHit] {
        guard !page.isEmpty else { return [] }
        let stored = try Row.fetchAll(db, sql: """
            SELECT id, path, title, body, source, published_at FROM articles
            WHERE id IN (\(page.map { _ in "?" }.joined(separator: ", ")))
            """, arguments: StatementArguments(page.map(\.id))).reduce(into: [Int64: Row]()) { $0[$1["id"]] = $1 }
        return page.compactMap { entry in stored[entry.id].map { hit($0, score: entry.score, query, analyzer) } }
    }

    /// A hit from a row of `articles` (id, path, title, body, source, published_at) and its score.
    ///
    /// A row whose stored body cannot be read back (see ``DamagedText``) is still a hit: its snippet says what
    /// is wrong with it, so one damaged row neither hides nor fails the rest of the search.
    static func hit(_ row: Row, score: Double, _ query: SearchQuery, _ analyzer: ArabicAnalyzer) -> SearchHit {
        let snippet: Snippets.Snippet
        do {
            snippet = Snippets.make(body: try StoredColumn.text(row, "body"), query: query, analyzer: analyzer)
        } catch {
            snippet = Snippets.Snippet(text: "(cannot show a passage: \(error))", highlights: [])
        }
        return SearchHit(id: row["id"], path: row["path"], title: row["title"], score: score, snippet: snippet.text,
                         highlights: snippet.highlights.map { [$0.lowerBound, $0.upperBound] },
                         source: row["source"], publishedAt: row["published_at"])
    }

    /// The best `keep` (rank, id) pairs offered: lowest rank first, newest first on ties.
    struct TopRanks {
        let keep: Int
        private(set) var ranks: [(rank: Double, id: Int64)] = []

        init(keep: Int) {
            self.keep = max(1, keep)
        }

        mutating func offer(rank: Double, id: Int64) {
            func before(_ a: (rank: Double, id: Int64), _ b: (rank: Double, id: Int64)) -> Bool {
                a.rank < b.rank || (a.rank == b.rank && a.id > b.id)
            }
            let entry = (rank: rank, id: id)
            if ranks.count == keep, let last = ranks.last, !before(entry, last) { return }
            let position = ranks.firstIndex { before(entry, $0) } ?? ranks.count
            ranks.insert(entry, at: position)
            if ranks.count > keep { ranks.removeLast() }
        }
    }

    /// How many articles hold each phrase (0 for excluded phrases, which never count in a rank).
    ///
    /// Counted newest first up to ``frequencyCountLimit``. Past it, the count is scaled by the share of the
    /// index it took to find them: 1,000 matches among the newest 5% of article ids make about 20,000. Ids grow
    /// with time, so this assumes the phrase is about as common in older articles as in the newest ones; an
    /// idf is a logarithm, so being off by half moves it little.
    static func documentFrequencies(_ db: Database, _ phrases: [String?]) throws -> [Double] {
        try phrases.map { phrase in
            guard let phrase else { return 0 }
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT count(*) AS n, min(rowid) AS oldest FROM
                    (SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid DESC LIMIT ?)
                """), arguments: [phrase, frequencyCountLimit]) else { return 0 }
            return try estimate(db, counted: row["n"], oldest: row["oldest"] ?? Int64.max, limit: frequencyCountLimit)
        }
    }

    /// The number of articles holding a phrase, from a newest-first count that stopped at `limit` (or ran out
    /// before it) at article id `oldest`.
    static func estimate(_ db: Database, counted: Int, oldest: Int64, limit: Int) throws -> Double {
        guard counted >= limit else { return Double(counted) }
        // Two subqueries: each is one step to an end of the id b-tree (together they would scan it).
        guard let ids = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT (SELECT min(id) FROM articles) AS low, (SELECT max(id) FROM articles) AS high
            """)), let low: Int64 = ids["low"], let high: Int64 = ids["high"], high >= oldest else {
            return Double(counted)
        }
        return Double(counted) * Double(high - low + 1) / Double(high - oldest + 1)
    }
}

/// Passages of the original text around the matched words.
public enum Snippets {
    /// A passage and where the matched words are in it (Unicode code point offsets).
    public struct Snippet: Sendable, Hashable {
        public var text: String
        public var highlights: [Range<Int>]
    }

    /// The passage of `body`, at most `width` tokens long, holding the most distinct matched terms.
    ///
    /// Matches are found by analyzing the stored text, so a query for `انسحاب` highlights `وانسحابها` and
    /// `الانسحاب` as they are written, with their harakat and prefixes.
    public static func make(body: String, query: SearchQuery, analyzer: ArabicAnalyzer, width: Int = 32)
        -> Snippet
    {
        let tokens = analyzer.tokens(in: body)
        guard !tokens.isEmpty else { return Snippet(text: String(body.prefix(200)), highlights: []) }
        // Compared as UTF-8 bytes: hashing or comparing Strings normalizes them first, for every token of the body.
        let terms = Dictionary(grouping: query.highlightTerms.map { Array($0.utf8) }, by: \.count)
        let prefixes = query.highlightPrefixes.map { Array($0.utf8) }
        func isPrefix(_ prefix: [UInt8], of word: String) -> Bool {
            word.utf8.count >= prefix.count && word.utf8.prefix(prefix.count).elementsEqual(prefix)
        }
        let matched = tokens.map { token in
            !token.isStopWord && ((terms[token.term.utf8.count]?.contains { token.term.utf8.elementsEqual($0) } ?? false)
                || prefixes.contains { isPrefix($0, of: token.normalized) || isPrefix($0, of: token.term) })
        }
        // Slide a window of `width` tokens; keep the one with the most matches (earliest on ties).
        var best = 0
        var bestCount = -1
        var count = 0
        for i in tokens.indices {
            if matched[i] { count += 1 }
            if i >= width, matched[i - width] { count -= 1 }
            let start = max(0, i - width + 1)
            if count > bestCount { bestCount = count; best = start }
        }
        if bestCount > 0, let first = matched[best...].firstIndex(of: true), first - best > width / 4 {
            best = max(0, first - width / 4)
        }
        let end = min(tokens.count, best + width)
        let utf8 = Array(body.utf8)
        let from = best == 0 ? 0 : tokens[best].utf8Range.lowerBound
        let to = end == tokens.count ? utf8.count : tokens[end - 1].utf8Range.upperBound
        var text = ""
        var highlights: [Range<Int>] = []
        var scalarCount = 0
        var cursor = from
        func append(_ bytes: ArraySlice<UInt8>) {
            let piece = String(decoding: bytes, as: UTF8.self)
            text += piece
            scalarCount += piece.unicodeScalars.count
        }
        if best > 0 { text = "…"; scalarCount = 1 }
        for i in best..<end where matched[i] {
            let r = tokens[i].utf8Range
            append(utf8[cursor..<r.lowerBound])
            let start = scalarCount
            append(utf8[r])
            highlights.append(start..<scalarCount)
            cursor = r.upperBound
        }
        append(utf8[cursor..<to])
        if end < tokens.count { text += "…" }
        // Fold line breaks so a snippet is one line.
        text = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : $0 }))
        return Snippet(text: text, highlights: highlights)
    }

    /// The text of `range` (UTF-8 byte offsets) in `string`.
    static func slice(_ string: String, _ range: Range<Int>) -> String {
        let utf8 = string.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let upper = utf8.index(lower, offsetBy: range.count)
        return String(decoding: utf8[lower..<upper], as: UTF8.self)
    }
}
