public import ArabicText
import GRDB

/// A user's search query, parsed and analyzed like the documents, ready to become an FTS5 `MATCH` expression.
///
/// The syntax, documented in `marsad search --help`:
///
/// | you type | it finds |
/// | --- | --- |
/// | `انسحاب القوات` | articles with all the words (any form: الانسحاب، وانسحابها، بالانسحاب), ranked by bm25 |
/// | `"التحالف الدولي"` (also `«…»`, `“…”`) | the exact phrase (stop words inside are skipped) |
/// | `واشنطن OR بغداد` | either word |
/// | `-داعش` (also `NOT داعش`) | articles without the word |
/// | `انسحا*` | words starting with the prefix |
/// | `title:انسحاب`, `title:"…"` | the word or phrase in titles only |
/// | `+انسحاب` | the word is required, also when the other words are not (``MatchMode/best``) |
///
/// How the plain words combine is the query's ``MatchMode``: every word required (``MatchMode/all``, the
/// library's default and what saved searches use), the best match (``MatchMode/best``, what people get from
/// the CLI, the API and the pages: articles with every word first, then those missing one, down to a floor),
/// or any word (``MatchMode/any``). Phrases, `OR` groups, prefixes, `title:`, `+word` and `-word` keep their
/// exact meaning in every mode: only plain words become optional.
///
/// Everything else a user may type (FTS5's own operators, brackets, colons, `^`) is plain text to the
/// analyzer, which splits it away: a query can never inject FTS5 syntax, since the expression built here holds
/// nothing but quoted index terms, which contain only letters and digits.
public struct SearchQuery: Sendable, CustomStringConvertible {
    /// The query as typed.
    public let text: String
    /// How the plain words combine.
    public let mode: MatchMode
    /// The query's positive pieces as typed (words, phrases in quotes, prefixes with `*`, `title:` pieces, each
    /// member of an `OR`), in order: what ``SearchHit/matchedTerms`` names.
    public let units: [String]
    /// The plain words that ``mode`` made optional (indexes into ``units``); empty when every piece is required.
    public let optionalUnits: [Int]
    /// How many of ``optionalUnits`` an article needs at least: a third of them, rounded up (``MatchMode/best``:
    /// one of two or three words, two of four to six), or one (``MatchMode/any``); a search that finds nothing at
    /// this floor lowers it (see ``ArticleIndex/search(_:options:)``). 0 when no word is optional.
    ///
    /// Why a third: on the judged set (`scripts/eval-search`, 51 queries of 2–7 words) the floor only trims
    /// the tail, since the tiers already rank articles with more of the words first; half of the words cut
    /// relevant articles that hold two of a five-word query (nDCG@10 0.952, recall 0.937), a third kept them
    /// (0.973, 0.974), a fixed two 0.969, and no floor (``MatchMode/any``) 0.978 with every article that shares
    /// one word counted.
    public private(set) var minimumMatch: Int
    /// For `marsad_tier` and `marsad_matched` (see ``RankFunction``): the unit of each phrase of
    /// ``matchExpression`` (-1 for excluded ones), then `/` and the optional units.
    let unitSpec: String
    /// The FTS5 `MATCH` expression.
    public let matchExpression: String
    /// The FTS5 phrases of ``matchExpression`` in the order FTS5 numbers them, each as an expression of its own;
    /// nil for the phrases of excluded words (no matching row has them, so they never count in a rank).
    let phrases: [String?]
    /// Whether the query is one prefix or one phrase of several words and nothing else. FTS5 evaluates a prefix
    /// by merging the doclists of every term that starts with it, and a phrase by reading positions, so
    /// ``ArticleIndex/search(_:options:)`` counts and ranks such a query in a single pass.
    let isOneCostlyPhrase: Bool
    /// The analyzed prefix when the query is one prefix of two letters and nothing else (optionally in titles
    /// only): ``ArticleIndex/search(_:options:)`` answers it from `article_prefix` (see ``FullTextRow``).
    let shortPrefix: ShortPrefix?
    /// Index terms to highlight in snippets (from included words and phrases).
    public let highlightTerms: Set<String>
    /// Prefixes (already analyzed) to highlight in snippets.
    public let highlightPrefixes: [String]
    /// The query as clauses, for testing one article's terms without the index (see ``Percolator``): every
    /// group of `included` must have a clause that matches, and no group of `excluded` may.
    let included: [[QueryClause]]
    let excluded: [[QueryClause]]

    public var description: String { text }

    /// Parses `text`.
    /// - Throws: ``IndexError/invalidQuery(_:)`` with a message meant for the person who typed it.
    public init(_ text: String, mode: MatchMode = .all, analyzer: ArabicAnalyzer = ArabicAnalyzer()) throws(IndexError) {
        self.text = text
        self.mode = mode
        var parser = QueryParser(text: text, analyzer: analyzer, mode: mode)
        let compiled = try parser.parse()
        matchExpression = compiled.expression
        phrases = compiled.phrases
        isOneCostlyPhrase = compiled.oneCostlyPhrase
        shortPrefix = compiled.shortPrefix
        highlightTerms = compiled.terms
        highlightPrefixes = compiled.prefixes
        included = compiled.included
        excluded = compiled.excluded
        units = compiled.units
        optionalUnits = compiled.optionalUnits
        minimumMatch = compiled.optionalUnits.isEmpty ? 0
            : mode == .any ? 1 : (compiled.optionalUnits.count + 2) / 3
        unitSpec = compiled.phraseUnits.map(String.init).joined(separator: " ") + " / "
            + compiled.optionalUnits.map(String.init).joined(separator: " ")
    }

    /// Whether some words are optional: the search counts and ranks by how many of them an article holds.
    public var isLoosened: Bool { !optionalUnits.isEmpty }

    /// The SQL condition (behind ` AND `) that keeps the rows of `article_fts` holding at least `floor` of the
    /// optional words, and its arguments; none when every row of the expression already does (a floor of one:
    /// the optional words are joined by OR), which spares a `marsad_tier` call per row.
    func tierCondition(_ floor: Int) -> (String, StatementArguments) {
        guard isLoosened, floor > 1 else { return ("", []) }
        return (" AND marsad_tier(article_fts, ?) >= ?", [unitSpec, floor])
    }

    /// The same query with another floor (``minimumMatch``): what ``SearchResults/minimumMatch`` says a search
    /// came down to, so that its facets count the same articles.
    public func requiring(atLeast floor: Int) -> SearchQuery {
        var query = self
        if isLoosened { query.minimumMatch = max(1, min(floor, optionalUnits.count)) }
        return query
    }

    /// A query for any of these index terms (already analyzed), ranked by bm25: how "more like this" asks.
    init(anyOf terms: [String]) {
        text = terms.joined(separator: " OR ")
        mode = .any
        units = terms
        optionalUnits = []
        minimumMatch = 0
        unitSpec = terms.indices.map(String.init).joined(separator: " ") + " / "
        matchExpression = terms.map { "\"\($0)\"" }.joined(separator: " OR ")
        phrases = terms
        isOneCostlyPhrase = false
        shortPrefix = nil
        highlightTerms = Set(terms)
        highlightPrefixes = []
        included = [terms.map { QueryClause(terms: [$0], isPrefix: false, titleOnly: false) }]
        excluded = []
    }
}

/// How the plain words of a query combine (`--match` on the CLI, `match=` in the API).
public enum MatchMode: String, Sendable, CaseIterable, Codable {
    /// Every word is required: an article with four of five words is not a match.
    case all
    /// Articles with every word rank first, then those that miss one, then two, down to a third of the words
    /// (lower only when nothing reaches it; see ``SearchQuery/minimumMatch``); bm25 orders each tier.
    /// Elasticsearch's `minimum_should_match` and Meilisearch's matching strategies do the same. Beside required
    /// pieces (a phrase, an `OR`, a prefix, `title:`, `+word`) one of the plain words is still needed.
    case best
    /// Any word: ranked like ``best``, down to articles with one of the words.
    case any
}

/// An analyzed prefix (`تح` for `التح*`), in titles only or anywhere.
struct ShortPrefix: Sendable, Equatable {
    var text: String
    var titleOnly: Bool
}

/// One lexical piece of a query.
enum QueryToken: Equatable {
    case word(String)
    case phrase(String)
    case or
    case and
    case not
}

/// A recursive-descent reader of the query syntax described on ``SearchQuery``.
struct QueryParser {
    let text: String
    let analyzer: ArabicAnalyzer

    /// A unit after analysis: an FTS5 fragment, or nil when it held only stop words.
    struct Unit {
        var negated: Bool
        var fragment: String?
        var original: String
        /// A prefix, or a phrase of several words: costly for FTS5 to evaluate.
        var costly = false
        /// The analyzed prefix, for a prefix unit.
        var prefix: ShortPrefix?
        /// What `fragment` asks for, as a clause (nil when `fragment` is).
        var clause: QueryClause?
        /// A word with no quotes, `*`, `title:` or `+`: the kind of piece a loosened mode makes optional.
        var isPlainWord = false
    }

    struct Compiled {
        var expression: String
        var phrases: [String?]
        var oneCostlyPhrase = false
        var shortPrefix: ShortPrefix?
        var terms: Set<String> = []
        var prefixes: [String] = []
        var included: [[QueryClause]] = []
        var excluded: [[QueryClause]] = []
        var units: [String] = []
        var optionalUnits: [Int] = []
        var phraseUnits: [Int] = []
    }

    private var terms: Set<String> = []
    private var prefixes: [String] = []
    private var stopWordsSeen: [String] = []

    let mode: MatchMode

    init(text: String, analyzer: ArabicAnalyzer, mode: MatchMode = .all) {
        self.text = text
        self.analyzer = analyzer
        self.mode = mode
    }

    mutating func parse() throws(IndexError) -> Compiled {
        let tokens = try Self.lex(text)
        guard !tokens.isEmpty else { throw .invalidQuery("the query is empty: type one or more words to search for") }

        // Groups joined by implicit AND; each group is one or more units joined by OR.
        var groups: [[Unit]] = []
        var index = 0
        var expectingOperand = true
        var pendingNot = false
        var pendingOr = false
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case .or:
                if expectingOperand || groups.isEmpty || pendingNot {
                    throw .invalidQuery("`OR` needs a word on each side (as in: واشنطن OR بغداد)")
                }
                pendingOr = true
                expectingOperand = true
            case .and:
                if expectingOperand && !groups.isEmpty && pendingOr {
                    throw .invalidQuery("`AND` cannot follow `OR`")
                }
            case .not:
                if pendingNot { throw .invalidQuery("`NOT` cannot follow `NOT`") }
                pendingNot = true
                expectingOperand = true
            case .word(let raw), .phrase(let raw):
                var unit = try analyze(token, raw: raw)
                unit.negated = unit.negated != pendingNot
                pendingNot = false
                if pendingOr {
                    if unit.negated || groups[groups.count - 1].contains(where: \.negated) {
                        throw .invalidQuery("`-word OR`, `OR -word` are not supported: exclude words outside an OR")
                    }
                    groups[groups.count - 1].append(unit)
                    pendingOr = false
                } else {
                    groups.append([unit])
                }
                expectingOperand = false
            }
        }
        if pendingOr { throw .invalidQuery("`OR` needs a word on each side (as in: واشنطن OR بغداد)") }
        if pendingNot { throw .invalidQuery("`NOT` (or `-`) must be followed by a word to exclude") }

        var included: [String] = []
        var excluded: [String] = []
        var includedPhrases: [String?] = []
        var excludedPhrases: [String?] = []
        var includedClauses: [[QueryClause]] = []
        var excludedClauses: [[QueryClause]] = []
        var units: [String] = []
        var includedUnits: [Int] = []
        // In a loosened mode, the plain words (two or more) become one OR group, placed where the first of them
        // stood; how many of them an article holds is counted by `marsad_tier`.
        let isOptional = { (group: [Unit]) in
            group.count == 1 && group[0].isPlainWord && !group[0].negated && group[0].fragment != nil
        }
        let optionalCount = mode == .all ? 0 : groups.filter(isOptional).count
        var optional: [Unit] = []
        var optionalSlot: Int?
        var optionalPhraseIndex = 0
        for group in groups {
            if optionalCount >= 2 && isOptional(group) {
                if optionalSlot == nil {
                    optionalSlot = included.count
                    optionalPhraseIndex = includedPhrases.count
                    included.append("")
                }
                optional.append(group[0])
                continue
            }
            let fragments = group.compactMap(\.fragment)
            if fragments.isEmpty { continue }
            let joined = fragments.count == 1 ? fragments[0] : "(" + fragments.joined(separator: " OR ") + ")"
            if group.count == 1 && group[0].negated {
                excluded.append(joined)
                excludedPhrases += fragments.map { _ in nil }
                excludedClauses.append(group.compactMap(\.clause))
            } else {
                included.append(joined)
                for unit in group where unit.fragment != nil {
                    includedPhrases.append(unit.fragment)
                    includedUnits.append(units.count)
                    units.append(unit.original)
                }
                includedClauses.append(group.compactMap(\.clause))
            }
        }
        var optionalUnits: [Int] = []
        if let slot = optionalSlot {
            // The group's phrases go where FTS5 numbers them: after the phrases of the pieces before the slot.
            let before = optionalPhraseIndex
            included[slot] = "(" + optional.compactMap(\.fragment).joined(separator: " OR ") + ")"
            var phrases: [String?] = [], phraseUnits: [Int] = []
            for unit in optional {
                phrases.append(unit.fragment)
                phraseUnits.append(units.count)
                optionalUnits.append(units.count)
                units.append(unit.original)
            }
            includedPhrases.insert(contentsOf: phrases, at: before)
            includedUnits.insert(contentsOf: phraseUnits, at: before)
            includedClauses.append(optional.compactMap(\.clause))
        }
        if included.isEmpty {
            if !stopWordsSeen.isEmpty && excluded.isEmpty {
                let words = stopWordsSeen.joined(separator: " ")
                throw .invalidQuery("the query has only stop words (\(words)), which are too common to be indexed")
            }
            if !excluded.isEmpty {
                throw .invalidQuery("the query only excludes words: add at least one word to look for")
            }
            throw .invalidQuery("the query has no words to search for")
        }
        var expression = included.joined(separator: " AND ")
        if !excluded.isEmpty {
            expression = "(" + expression + ") NOT (" + excluded.joined(separator: " OR ") + ")"
        }
        let pieces = groups.joined().filter { $0.fragment != nil }
        let lone = pieces.count == 1 && !pieces[0].negated ? pieces[0].prefix : nil
        return Compiled(expression: expression, phrases: includedPhrases + excludedPhrases,
                        oneCostlyPhrase: pieces.count == 1 && pieces[0].costly,
                        shortPrefix: lone.flatMap { $0.text.unicodeScalars.count == FullTextRow.prefixLength ? $0 : nil },
                        terms: terms, prefixes: prefixes, included: includedClauses, excluded: excludedClauses,
                        units: units, optionalUnits: optionalUnits,
                        phraseUnits: includedUnits + excludedPhrases.map { _ in -1 })
    }

    /// Analyzes a word (with its `-`, `title:` and `*` decorations) or a phrase into an FTS5 fragment.
    private mutating func analyze(_ token: QueryToken, raw: String) throws(IndexError) -> Unit {
        var body = Substring(raw)
        var negated = false
        var titleOnly = false
        var isPhrase = false
        if case .phrase = token { isPhrase = true }
        var required = false
        if !isPhrase {
            if body.hasPrefix("-") { negated = true; body = body.dropFirst() }
            else if body.hasPrefix("+") && body.count > 1 { required = true; body = body.dropFirst() }
            if body.hasPrefix("title:") {
                titleOnly = true
                body = body.dropFirst(6)
                if let first = body.unicodeScalars.first, Self.quoteClose(first) != nil {
                    // title:"phrase" arrives as one word from the lexer.
                    let inner = body.unicodeScalars.dropFirst().prefix { Self.quoteClose($0) == nil }
                    body = Substring(String(String.UnicodeScalarView(inner)))
                    isPhrase = true
                }
            }
            if body.isEmpty {
                throw .invalidQuery(negated ? "`-` must be followed by a word to exclude"
                                            : "`title:` must be followed by a word or a quoted phrase")
            }
        }
        let prefix = !isPhrase && body.hasSuffix("*")
        if prefix { body = body.dropLast() }
        if body.contains("*") || (prefix && body.isEmpty) {
            throw .invalidQuery("`*` goes at the end of a word, as in انسحا*")
        }

        let tokens = analyzer.tokens(in: String(body))
        var fragment: String?
        var clause: QueryClause?
        var costly = prefix
        if prefix {
            guard tokens.count == 1, let stem = analyzer.prefixTerm(for: String(body)) else {
                throw .invalidQuery("`*` goes at the end of one word, as in انسحا* (\(raw) is not one word)")
            }
            guard stem.unicodeScalars.count >= 2 else {
                throw .invalidQuery("a prefix search needs at least two letters before `*` (\(raw))")
            }
            prefixes.append(stem)
            fragment = "\"\(stem)\" *"
            clause = QueryClause(terms: [stem], isPrefix: true, titleOnly: titleOnly)
        } else {
            let kept = tokens.filter { !$0.isStopWord && !$0.term.isEmpty }
            let bodyText = String(body)
            stopWordsSeen += tokens.filter(\.isStopWord).map { Snippets.slice(bodyText, $0.utf8Range) }
            if !kept.isEmpty {
                if !negated { terms.formUnion(kept.map(\.term)) }
                fragment = "\"" + kept.map(\.term).joined(separator: " ") + "\""
                clause = QueryClause(terms: kept.map(\.term), isPrefix: false, titleOnly: titleOnly)
                costly = kept.count > 1
            } else if tokens.isEmpty && !isPhrase {
                // Only punctuation or FTS5 syntax: nothing to search for in this piece.
                fragment = nil
            }
        }
        if titleOnly, let f = fragment { fragment = "title : " + f }
        let shortPrefix = prefix ? prefixes.last.map { ShortPrefix(text: $0, titleOnly: titleOnly) } : nil
        var quotedPhrase = false
        if case .phrase = token { quotedPhrase = true }
        return Unit(negated: negated, fragment: fragment, original: quotedPhrase ? "\"\(raw)\"" : raw, costly: costly, prefix: shortPrefix,
                    clause: clause, isPlainWord: !isPhrase && !prefix && !titleOnly && !required)
    }

    /// Splits the query into words, quoted phrases and operators. Quotes: "…", “…”, «…».
    static func lex(_ text: String) throws(IndexError) -> [QueryToken] {
        var tokens: [QueryToken] = []
        var scalars = text.unicodeScalars[...]
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let word = String(current)
            current = String.UnicodeScalarView()
            switch word {
            case "OR", "|": tokens.append(.or)
            case "AND", "&": tokens.append(.and)
            case "NOT": tokens.append(.not)
            case "-": tokens.append(.not)
            default: tokens.append(.word(word))
            }
        }
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            if scalar.properties.isWhitespace && !Self.groupsDigits(scalar, after: current.last, before: scalars.first) {
                flush()
            } else if let close = quoteClose(scalar) {
                let inWord = !current.isEmpty
                guard let end = scalars.firstIndex(where: { $0 == close || (close == "\"" && $0 == "\u{201D}") }) else {
                    throw .invalidQuery("unbalanced quote: a phrase opened with \(scalar) is never closed")
                }
                let inner = String(String.UnicodeScalarView(scalars[..<end]))
                scalars = scalars[scalars.index(after: end)...]
                if inWord {
                    // title:"…" — keep it attached to its field.
                    current.append(scalar)
                    current.append(contentsOf: inner.unicodeScalars)
                    current.append(close)
                    flush()
                } else {
                    tokens.append(.phrase(inner))
                }
            } else if closesQuote(scalar) {
                throw .invalidQuery("unbalanced quote: \(scalar) closes a phrase that was never opened")
            } else {
                current.append(scalar)
            }
        }
        flush()
        return tokens
    }

    /// Whether `space` is a thin or no-break space between two digits (`1 350`): it groups a number, which the
    /// analyzer reads whole (see ``ArabicTokenizer``), so it does not split the query's words.
    static func groupsDigits(_ space: UnicodeScalar, after previous: UnicodeScalar?, before next: UnicodeScalar?) -> Bool {
        guard space == "\u{2009}" || space == "\u{202F}" || space == "\u{00A0}",
              let previous, let next else { return false }
        return previous.properties.numericType == .decimal && next.properties.numericType == .decimal
    }

    /// The closing quote for an opening one.
    static func quoteClose(_ s: UnicodeScalar) -> UnicodeScalar? {
        switch s {
        case "\"": "\""
        case "\u{201C}": "\u{201D}"
        case "\u{00AB}": "\u{00BB}"
        default: nil
        }
    }

    static func closesQuote(_ s: UnicodeScalar) -> Bool {
        s == "\u{201D}" || s == "\u{00BB}"
    }
}

