import Foundation
public import ArabicText
import GRDB

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

    public init(limit: Int = 10, offset: Int = 0, since: String? = nil, until: String? = nil, source: String? = nil) {
        self.limit = limit
        self.offset = offset
        self.since = since
        self.until = until
        self.source = source
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

    enum CodingKeys: String, CodingKey {
        case id, path, title, score, snippet, highlights, source, publishedAt = "published_at"
    }
}

/// The answer to a search.
public struct SearchResults: Sendable, Codable, Hashable {
    public var query: String
    /// How many articles match in all (hits holds at most `limit` of them).
    public var total: Int
    public var hits: [SearchHit]
}

extension ArticleIndex {
    /// bm25 weights for the columns title, body, captions.
    static let columnWeights = "5.0, 1.0, 1.0"

    public func search(_ query: SearchQuery, options: SearchOptions = SearchOptions()) async throws -> SearchResults {
        let analyzer = self.analyzer
        return try await mapErrors {
            try await pool.read { db in
                try self.requireCurrentAnalyzer(db)
                var filters = ""
                var arguments: StatementArguments = [query.matchExpression]
                if let since = options.since { filters += " AND a.published_at >= ?"; arguments += [since] }
                if let until = options.until {
                    filters += " AND substr(a.published_at, 1, length(?)) <= ?"
                    arguments += [until, until]
                }
                if let source = options.source { filters += " AND a.source = ?"; arguments += [source] }
                let join = filters.isEmpty ? "" : " JOIN articles a ON a.id = article_fts.rowid"
                let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM article_fts\(join) WHERE article_fts MATCH ?"
                                             + filters, arguments: arguments) ?? 0
                // Rank inside FTS5 first and join only the page of hits: joining every match with `articles`
                // would read the stored body of thousands of articles just to sort them.
                let sql = filters.isEmpty ? """
                    SELECT a.id, a.path, a.title, a.body, a.source, a.published_at, r.rank
                    FROM (SELECT rowid, bm25(article_fts, \(Self.columnWeights)) AS rank FROM article_fts
                          WHERE article_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?) r
                    JOIN articles a ON a.id = r.rowid
                    ORDER BY r.rank
                    """ : """
                    SELECT a.id, a.path, a.title, a.body, a.source, a.published_at,
                           bm25(article_fts, \(Self.columnWeights)) AS rank
                    FROM article_fts JOIN articles a ON a.id = article_fts.rowid
                    WHERE article_fts MATCH ?\(filters)
                    ORDER BY rank LIMIT ? OFFSET ?
                    """
                let rows = try Row.fetchAll(db, sql: sql, arguments: arguments + [options.limit, options.offset])
                let hits = rows.map { row in
                    let snippet = Snippets.make(body: row["body"], query: query, analyzer: analyzer)
                    return SearchHit(id: row["id"], path: row["path"], title: row["title"],
                                     score: -(row["rank"] as Double), snippet: snippet.text,
                                     highlights: snippet.highlights.map { [$0.lowerBound, $0.upperBound] },
                                     source: row["source"], publishedAt: row["published_at"])
                }
                return SearchResults(query: query.text, total: total, hits: hits)
            }
        }
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
        let matched = tokens.map { token in
            !token.isStopWord && (query.highlightTerms.contains(token.term)
                || query.highlightPrefixes.contains { token.normalized.hasPrefix($0) || token.term.hasPrefix($0) })
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
