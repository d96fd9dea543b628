public import ArabicText

/// One piece of a compiled query: a word, a phrase of several words (consecutive index terms), or a prefix, in
/// any column or in titles only. FTS5 gets it as one fragment of ``SearchQuery/matchExpression``; the
/// ``Percolator`` tests it against one article's terms.
struct QueryClause: Sendable, Hashable {
    var terms: [String]
    var isPrefix: Bool
    var titleOnly: Bool
}

/// A newly committed article with its analyzed terms, as the index holds them: what live streams and saved
/// searches are matched against, without asking the index again.
public struct AnalyzedArticle: Sendable {
    public var id: Int64
    public var path: String
    public var title: String
    public var source: String?
    public var publishedAt: String?
    /// The stored body (lead and paragraphs), for snippets.
    public var body: String
    /// The index terms of title, body and captions, in order (stop words left out, as in the full-text index).
    let columns: [[Substring]]
    /// The distinct terms of each column.
    let distinct: [Set<Substring>]

    init(id: Int64, path: String, title: String, source: String?, publishedAt: String?, body: String,
         terms: (String, String, String)) {
        self.id = id
        self.path = path
        self.title = title
        self.source = source
        self.publishedAt = publishedAt
        self.body = body
        columns = [terms.0, terms.1, terms.2].map { $0.split(separator: " ") }
        distinct = columns.map(Set.init)
    }

    /// Whether the article passes the search's filters (published since/until, outlet), as ``ArticleIndex``
    /// applies them.
    public func passes(_ options: SearchOptions) -> Bool {
        if let since = options.since { guard let publishedAt, publishedAt >= since else { return false } }
        if let until = options.until {
            guard let publishedAt, publishedAt.utf8.prefix(until.utf8.count).elementsEqual(until.utf8)
                    || publishedAt < until else { return false }
        }
        if let source = options.source, self.source != source { return false }
        return true
    }
}

extension SearchQuery {
    /// Whether `article` matches this query, decided from its terms alone, exactly as FTS5 decides it from the
    /// index: every included group has a clause found in the article, and no excluded group has one. A test
    /// checks the two agree on every query of the test set.
    public func matches(_ article: AnalyzedArticle) -> Bool {
        included.allSatisfy { group in group.contains { $0.isFound(in: article) } }
            && !excluded.contains { group in group.contains { $0.isFound(in: article) } }
    }

    /// Clauses one of which every matching article holds (the first included group): the keys under which a
    /// ``Percolator`` files the query.
    var anchors: [QueryClause] { included.first ?? [] }
}

extension QueryClause {
    func isFound(in article: AnalyzedArticle) -> Bool {
        let columns = titleOnly ? 0..<1 : 0..<article.columns.count
        guard let first = terms.first else { return false }
        for column in columns {
            if isPrefix {
                if article.distinct[column].contains(where: { $0.hasPrefix(first) }) { return true }
                continue
            }
            guard article.distinct[column].contains(Substring(first)) else { continue }
            if terms.count == 1 { return true }
            let words = article.columns[column]
            let n = terms.count
            if words.count < n { continue }
            for start in 0...(words.count - n) where words[start] == first {
                var k = 1
                while k < n && words[start + k] == terms[k] { k += 1 }
                if k == n { return true }
            }
        }
        return false
    }
}

/// Saved searches matched against each new article, the way Elasticsearch's percolator does it: the queries are
/// indexed, not the article, so matching an article against a thousand searches costs a few hundred dictionary
/// look-ups (one per distinct term of the article) and a check of the few searches those turn up, not a
/// thousand searches of the index.
///
/// Each query is filed under its anchors (``SearchQuery/anchors``): the words, phrase heads or prefixes of
/// one group that every match must contain. Only queries with an anchor in the article are then checked in
/// full by ``SearchQuery/matches(_:)``.
///
/// ```swift
/// var percolator = Percolator<Int64>()
/// percolator.insert(try SearchQuery("انسحاب القوات"), for: 1)
/// let alerts = percolator.matches(article)   // [1] when the article has both words
/// ```
public struct Percolator<Key: Hashable & Sendable>: Sendable {
    private var queries: [Key: (query: SearchQuery, options: SearchOptions)] = [:]
    private var byTerm: [Substring: Set<Key>] = [:]
    /// Prefix anchors by their first two scalars (a prefix has at least two).
    private var byPrefixHead: [Substring: [(prefix: String, key: Key)]] = [:]

    public init() {}

    public var count: Int { queries.count }

    /// Files `query` (with its filters) under `key`, replacing what `key` held.
    public mutating func insert(_ query: SearchQuery, options: SearchOptions = SearchOptions(), for key: Key) {
        remove(key)
        queries[key] = (query, options)
        for anchor in query.anchors {
            guard let first = anchor.terms.first else { continue }
            if anchor.isPrefix {
                byPrefixHead[Self.head(Substring(first)), default: []].append((first, key))
            } else {
                byTerm[Substring(first), default: []].insert(key)
            }
        }
    }

    public mutating func remove(_ key: Key) {
        guard let (query, _) = queries.removeValue(forKey: key) else { return }
        for anchor in query.anchors {
            guard let first = anchor.terms.first else { continue }
            if anchor.isPrefix {
                let head = Self.head(Substring(first))
                byPrefixHead[head]?.removeAll { $0.key == key }
                if byPrefixHead[head]?.isEmpty == true { byPrefixHead[head] = nil }
            } else {
                byTerm[Substring(first)]?.remove(key)
                if byTerm[Substring(first)]?.isEmpty == true { byTerm[Substring(first)] = nil }
            }
        }
    }

    /// The keys of the queries that `article` matches.
    public func matches(_ article: AnalyzedArticle) -> [Key] {
        var candidates = Set<Key>()
        for column in article.distinct {
            for term in column {
                if let keys = byTerm[term] { candidates.formUnion(keys) }
                if !byPrefixHead.isEmpty, let prefixed = byPrefixHead[Self.head(term)] {
                    for (prefix, key) in prefixed where term.hasPrefix(prefix) { candidates.insert(key) }
                }
            }
        }
        return candidates.filter { key in
            guard let (query, options) = queries[key] else { return false }
            return article.passes(options) && query.matches(article)
        }
    }

    private static func head(_ term: Substring) -> Substring {
        let scalars = term.unicodeScalars
        let end = scalars.index(scalars.startIndex, offsetBy: FullTextRow.prefixLength, limitedBy: scalars.endIndex)
            ?? scalars.endIndex
        return Substring(scalars[scalars.startIndex..<end])
    }
}

extension AnalyzedArticle {
    /// The article as a hit of `query`, with the snippet a search would show (score 0).
    public func hit(for query: SearchQuery, analyzer: ArabicAnalyzer) -> SearchHit {
        let snippet = Snippets.make(body: body, query: query, analyzer: analyzer)
        return SearchHit(id: id, path: path, title: title, score: 0, snippet: snippet.text,
                         highlights: snippet.highlights.map { [$0.lowerBound, $0.upperBound] }, source: source,
                         publishedAt: publishedAt)
    }
}
