import ArabicText
import GRDB

/// Articles in commit order, and "more like this".
///
/// Article ids are SQLite `AUTOINCREMENT` keys given by the one writer, so they only grow, and a reader sees
/// the ids of a batch all at once, when the batch commits: "the articles after id N" is exactly what was
/// committed since a reader saw N. That is how `marsad serve` follows new articles from the index itself,
/// whichever process (`marsad run` or `marsad ingest`) wrote them.
extension ArticleIndex {
    /// The newest article id ever given (0 for an empty index): `AUTOINCREMENT`'s counter, which, unlike
    /// `max(id)`, does not go back when the newest article is removed, so it only goes down when the index is
    /// made anew.
    public func latestArticleID() async throws(IndexError) -> Int64 {
        try await mapErrors {
            try await pool.read { db in
                try Int64.fetchOne(db, sql: """
                    SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'articles'), 0),
                               coalesce((SELECT max(id) FROM articles), 0))
                    """) ?? 0
            }
        }
    }

    /// Up to `limit` articles committed after id `after`, oldest first, with their analyzed terms.
    public func analyzedArticles(after: Int64, limit: Int) async throws(IndexError) -> [AnalyzedArticle] {
        let analyzer = self.analyzer
        return try await mapErrors {
            try await pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, path, title, body, captions, source, published_at FROM articles
                    WHERE id > ? ORDER BY id LIMIT ?
                    """, arguments: [after, limit]).map { row in
                    let text = try StoredText(row)
                    return AnalyzedArticle(id: row["id"], path: row["path"], title: text.title, source: row["source"],
                                           publishedAt: row["published_at"], body: text.body,
                                           terms: text.terms(analyzer))
                }
            }
        }
    }

    /// Up to `limit` articles committed after id `after` that match `query` (every article when it is nil) and
    /// the filters of `options`, in commit order (the newest first when `newestFirst`), as hits with snippets,
    /// score 0 and ``SearchHit/ingestedAt``.
    public func newMatches(_ query: SearchQuery?, options: SearchOptions, after: Int64, newestFirst: Bool,
                           limit: Int) async throws(IndexError) -> [SearchHit] {
        let analyzer = self.analyzer
        let order = newestFirst ? "DESC" : ""
        return try await mapErrors {
            try await pool.read { db in try Self.withTimeout(db, options.timeout) {
                try self.requireCurrentAnalyzer(db)
                let (filters, arguments) = options.filterSQL
                let columns = "a.id, a.path, a.title, a.body, a.source, a.published_at, a.ingested_at"
                let rows: [Row]
                if let query {
                    rows = try Row.fetchAll(db, sql: """
                        SELECT \(columns) FROM article_fts JOIN articles a ON a.id = article_fts.rowid
                        WHERE article_fts MATCH ? AND article_fts.rowid > ?\(filters)
                        ORDER BY article_fts.rowid \(order) LIMIT ?
                        """, arguments: [query.matchExpression, after] + arguments + [limit])
                } else {
                    rows = try Row.fetchAll(db, sql: """
                        SELECT \(columns) FROM articles a WHERE a.id > ?\(filters) ORDER BY a.id \(order) LIMIT ?
                        """, arguments: [after] + arguments + [limit])
                }
                let empty = SearchQuery(anyOf: [])
                let marks = try Self.storyMarks(db, rows.map { $0["id"] })
                return rows.map { row in
                    var hit = Self.hit(row, score: 0, query ?? empty, analyzer)
                    hit.ingestedAt = iso8601(row["ingested_at"])
                    if let mark = marks[hit.id] {
                        hit.storyID = mark.storyID
                        hit.storySize = mark.storySize
                        hit.nearDuplicateOf = mark.nearDuplicateOf
                    }
                    return hit
                }
            } }
        }
    }

    /// How many distinctive terms of an article "more like this" asks for.
    static let similarTermCount = 16

    /// Articles that share the most distinctive terms of article `id`, best first, without it (its exact copies
    /// are the same article); nil when there is no such article.
    ///
    /// Lucene's MoreLikeThis, on Marsad's index: the article's 100 most frequent terms (a title term counts three
    /// times) that at least one other article holds are weighted by tf × idf, idf from the full-text index's document frequencies (counted up to 1,000, then
    /// estimated, as ``search(_:options:)`` does); the best ``similarTermCount`` become one OR query, ranked by
    /// bm25 over every article that holds any of them (up to 10,000, newest first, rather than the search's
    /// window of 2,000, since an older article may well be the closest).
    public func similar(to id: Int64, limit: Int) async throws(IndexError) -> SearchResults? {
        let analyzer = self.analyzer
        let terms: [String]? = try await mapErrors {
            try await pool.read { db in
                try self.requireCurrentAnalyzer(db)
                guard let row = try Row.fetchOne(db, sql: "SELECT id, title, body, captions FROM articles WHERE id = ?",
                                                 arguments: [id]) else { return nil }
                let (title, body, captions) = try StoredText(row).terms(analyzer)
                var frequency: [Substring: Double] = [:]
                for term in title.split(separator: " ") { frequency[term, default: 0] += 3 }
                for text in [body, captions] {
                    for term in text.split(separator: " ") { frequency[term, default: 0] += 1 }
                }
                // Terms of one letter, and numbers, say little about what an article is about.
                let candidates = frequency.filter { term, _ in
                    term.unicodeScalars.count > 1 && !term.unicodeScalars.allSatisfy { $0.properties.numericType != nil }
                }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(100)
                let rows = Double(max(try Int.fetchOne(db, sql: "SELECT count(*) FROM articles") ?? 1, 1))
                let phrases = candidates.map { "\"\($0.key)\"" }
                let documentFrequencies = try Self.documentFrequencies(db, phrases)
                // A term only this article holds finds nothing else (Lucene's MoreLikeThis skips such terms too,
                // with its minimum document frequency).
                let weighted = zip(candidates, documentFrequencies).filter { $0.1 >= 2 }.map { candidate, df in
                    (term: String(candidate.key), weight: candidate.value * RankFunction.idf(hits: max(df, 1), rows: rows))
                }
                return weighted.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
                    .prefix(Self.similarTermCount).map(\.term)
            }
        }
        guard let terms else { return nil }
        guard !terms.isEmpty else { return SearchResults(query: "", total: 0, hits: []) }
        let query = SearchQuery(anyOf: terms)
        var results = try await mapErrors {
            try await search(query, options: SearchOptions(limit: limit + 1, rankWindow: 10_000))
        }
        // The article itself holds all its terms: it is one of the matches, counted and ranked, and left out.
        results.hits.removeAll { $0.id == id }
        results.hits = Array(results.hits.prefix(limit))
        results.total = max(0, results.total - 1)
        results.ranked = max(0, results.ranked - 1)
        return results
    }
}
