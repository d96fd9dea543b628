public import ArabicText

/// One piece of a compiled query: a word, a phrase of several words (consecutive index terms), or a prefix, in
/// any column or in titles only. FTS5 gets it as one fragment of ``SearchQuery/matchExpression``; the
/// ``Percolator`` tests it against one article's terms.
struct QueryClause: Sendable, Hashable {
    var terms: [String]
    var isPrefix: Bool
    var titleOnly: Bool
    /// `terms` as UTF-8 bytes, for ``AnalyzedArticle``'s byte-keyed look-ups.
    let keys: [TermKey]

    init(terms: [String], isPrefix: Bool, titleOnly: Bool) {
        self.terms = terms
        self.isPrefix = isPrefix
        self.titleOnly = titleOnly
        keys = terms.map(TermKey.init)
    }
}

/// An index term as its UTF-8 bytes: hashed and compared as bytes, as FTS5 compares its tokens.
///
/// Swift's `String` hashes and compares non-ASCII text by canonical equivalence, which normalizes it first:
/// matching 1,000 saved searches against an article with `Set<Substring>` and `hasPrefix` cost 3.0 ms per
/// article on the benchmark's articles, nearly all of it in that normalization (the analyzer's terms are
/// already normalized, so it changes nothing). On bytes it is a hash and a `memcmp`.
struct TermKey: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ term: some StringProtocol) {
        bytes = Array(term.utf8)
    }

    init(bytes: some Sequence<UInt8>) {
        self.bytes = Array(bytes)
    }

    func hasPrefix(_ prefix: TermKey) -> Bool {
        bytes.count >= prefix.bytes.count && bytes.starts(with: prefix.bytes)
    }

    /// The first `FullTextRow.prefixLength` scalars (every prefix in a query has at least that many), packed
    /// in one word with their length (two scalars are at most 8 bytes): a dictionary key made without
    /// allocating, once per term of every new article. (Heads that agree in their first 7 bytes share a key: that
    /// only adds candidates, which the prefix check that follows drops.)
    var head: UInt64 {
        var end = 0
        var scalars = 0
        while end < bytes.count && scalars < FullTextRow.prefixLength {
            end = min(bytes.count, end + UTF8Scalars.width(bytes[end]))
            scalars += 1
        }
        var packed: UInt64 = 0
        for k in 0..<min(end, 7) { packed |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        return packed | UInt64(min(end, 8)) << 56
    }
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
    /// Each distinct term of the article (stop words left out, as in the full-text index) and its number.
    let vocabulary: [TermKey: Int32]
    /// The terms of title, body and captions, in order, by number.
    let columns: [[Int32]]
    /// The distinct term numbers of each column.
    let distinct: [Set<Int32>]
    /// The vocabulary in byte order: the terms that start with a prefix are one run of it, found by bisection.
    let sorted: [(key: TermKey, number: Int32)]

    init(id: Int64, path: String, title: String, source: String?, publishedAt: String?, body: String,
         terms: (String, String, String)) {
        self.id = id
        self.path = path
        self.title = title
        self.source = source
        self.publishedAt = publishedAt
        self.body = body
        var vocabulary: [TermKey: Int32] = [:]
        columns = [terms.0, terms.1, terms.2].map { text in
            text.utf8.split(separator: 0x20).map { word in
                let key = TermKey(bytes: word)
                if let number = vocabulary[key] { return number }
                let number = Int32(vocabulary.count)
                vocabulary[key] = number
                return number
            }
        }
        self.vocabulary = vocabulary
        distinct = columns.map(Set.init)
        sorted = vocabulary.map { (key: $0.key, number: $0.value) }
            .sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
    }

    /// The numbers of the terms that start with `prefix`.
    func terms(withPrefix prefix: TermKey) -> ArraySlice<(key: TermKey, number: Int32)> {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].key.bytes.lexicographicallyPrecedes(prefix.bytes) { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < sorted.count && sorted[end].key.hasPrefix(prefix) { end += 1 }
        return sorted[low..<end]
    }

    /// Whether the article passes the search's filters (published since/until, outlet), as ``ArticleIndex``
    /// applies them.
    public func passes(_ options: SearchOptions) -> Bool {
        if let since = options.since {
            guard let publishedAt, !publishedAt.utf8.lexicographicallyPrecedes(since.utf8) else { return false }
        }
        if let until = options.until {
            guard let publishedAt, !until.utf8.lexicographicallyPrecedes(publishedAt.utf8.prefix(until.utf8.count))
            else { return false }
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
        guard let first = keys.first else { return false }
        if isPrefix {
            let found = article.terms(withPrefix: first)
            return columns.contains { column in found.contains { article.distinct[column].contains($0.number) } }
        }
        var numbers: [Int32] = []
        for key in keys {
            guard let number = article.vocabulary[key] else { return false }
            numbers.append(number)
        }
        for column in columns where article.distinct[column].contains(numbers[0]) {
            if numbers.count == 1 { return true }
            let words = article.columns[column]
            let n = numbers.count
            if words.count < n { continue }
            for start in 0...(words.count - n) where words[start] == numbers[0] {
                var k = 1
                while k < n && words[start + k] == numbers[k] { k += 1 }
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
    private var byTerm: [TermKey: Set<Key>] = [:]
    /// Prefix anchors by their first two scalars (a prefix has at least two).
    private var byPrefixHead: [UInt64: [(prefix: TermKey, key: Key)]] = [:]

    public init() {}

    public var count: Int { queries.count }

    /// Files `query` (with its filters) under `key`, replacing what `key` held.
    public mutating func insert(_ query: SearchQuery, options: SearchOptions = SearchOptions(), for key: Key) {
        remove(key)
        queries[key] = (query, options)
        for anchor in query.anchors {
            guard let first = anchor.keys.first else { continue }
            if anchor.isPrefix {
                byPrefixHead[first.head, default: []].append((first, key))
            } else {
                byTerm[first, default: []].insert(key)
            }
        }
    }

    public mutating func remove(_ key: Key) {
        guard let (query, _) = queries.removeValue(forKey: key) else { return }
        for anchor in query.anchors {
            guard let first = anchor.keys.first else { continue }
            if anchor.isPrefix {
                byPrefixHead[first.head]?.removeAll { $0.key == key }
                if byPrefixHead[first.head]?.isEmpty == true { byPrefixHead[first.head] = nil }
            } else {
                byTerm[first]?.remove(key)
                if byTerm[first]?.isEmpty == true { byTerm[first] = nil }
            }
        }
    }

    /// The keys of the queries that `article` matches.
    public func matches(_ article: AnalyzedArticle) -> [Key] {
        var candidates = Set<Key>()
        for term in article.vocabulary.keys {
            if let keys = byTerm[term] { candidates.formUnion(keys) }
            if !byPrefixHead.isEmpty, let prefixed = byPrefixHead[term.head] {
                for (prefix, key) in prefixed where term.hasPrefix(prefix) { candidates.insert(key) }
            }
        }
        return candidates.filter { key in
            guard let (query, options) = queries[key] else { return false }
            return article.passes(options) && query.matches(article)
        }
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
