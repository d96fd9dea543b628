import Foundation
import GRDB

/// How the matches of a search spread over outlets and days: what a search page's filters show.
public struct SearchFacets: Sendable, Codable, Hashable {
    public struct Count: Sendable, Codable, Hashable {
        public var value: String
        public var count: Int
    }

    public struct DayCount: Sendable, Codable, Hashable {
        /// `YYYY-MM-DD`.
        public var day: String
        public var count: Int
    }

    /// Outlets, most matches first (ties by name); articles with no outlet are not counted here.
    public var source: [Count]
    /// Publication days, oldest first; articles with no date are not counted here.
    public var published: [DayCount]
    /// How many matches were counted: the newest ones, up to the limit.
    public var counted: Int
    /// False when there were more matches than were counted: then every count is a lower bound.
    public var exact: Bool

    public init(source: [Count] = [], published: [DayCount] = [], counted: Int = 0, exact: Bool = true) {
        self.source = source
        self.published = published
        self.counted = counted
        self.exact = exact
    }
}

extension ArticleIndex {
    /// The facets of the newest `limit` matches of `query` under the filters of `options`. For a loosened query,
    /// pass the floor its search came down to: `query.requiring(atLeast: results.minimumMatch)`.
    ///
    /// Bounded like the ranking window: counting them reads each counted article's row (its outlet and date),
    /// so 2,000 matches cost about 2,000 row reads, not the whole of a common word's 100,000.
    public func facets(_ query: SearchQuery, options: SearchOptions, limit: Int) async throws -> SearchFacets {
        try await mapErrors {
            try await pool.read { db in try Self.withTimeout(db, options.timeout) {
                try self.requireCurrentAnalyzer(db)
                let (filters, arguments) = options.filterSQL
                let table: String, match: String
                if let prefix = query.shortPrefix, self.hasPrefixTable {
                    table = "article_prefix"
                    match = prefix.titleOnly ? "\"\(FullTextRow.titleMarker)\(prefix.text)\"" : "\"\(prefix.text)\""
                } else {
                    table = "article_fts"
                    match = query.matchExpression
                }
                // A loosened query counts the articles that hold enough of its words, as its search did.
                let (tierFilter, tierArguments) = table == "article_fts" ? query.tierCondition(query.minimumMatch)
                    : ("", [])
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT a.source, substr(a.published_at, 1, 10) AS day
                    FROM \(table) JOIN articles a ON a.id = \(table).rowid
                    WHERE \(table) MATCH ?\(tierFilter)\(filters) ORDER BY \(table).rowid DESC LIMIT ?
                    """, arguments: [match] + tierArguments + arguments + [limit + 1])
                var sources: [String: Int] = [:]
                var days: [String: Int] = [:]
                var counted = 0
                while let row = try rows.next() {
                    counted += 1
                    if counted > limit { break }
                    if let source: String = row["source"], !source.isEmpty { sources[source, default: 0] += 1 }
                    if let day: String = row["day"], day.utf8.count == 10 { days[day, default: 0] += 1 }
                }
                return SearchFacets(
                    source: sources.map { SearchFacets.Count(value: $0.key, count: $0.value) }
                        .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value },
                    published: days.map { SearchFacets.DayCount(day: $0.key, count: $0.value) }.sorted { $0.day < $1.day },
                    counted: min(counted, limit), exact: counted <= limit)
            } }
        }
    }
}
