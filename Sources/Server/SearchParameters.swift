import Alerts
public import ArticleIndex
public import Hummingbird
import Foundation

/// The query string of `/api/search`, `/api/stream` and the Atom feed, validated: each bad value is a 400 that
/// names its parameter, and a parameter Marsad does not know is one too (a typo must not pass silently).
public struct SearchParameters: Sendable {
    /// `q`; nil only where it may be left out (a stream or a feed of every new article).
    public var query: String?
    public var limit: Int
    public var offset: Int
    public var since: String?
    public var until: String?
    public var source: String?
    /// `match`: how the plain words combine (`all`, `best`, `any`); `best` where the route takes `match`, and
    /// `all` where it does not (streams and feeds notify of articles that hold the whole search).
    public var match: MatchMode
    /// `collapse`: one hit per story (`story`) or per text (`near`); nil (also `none`): every match is a hit.
    public var collapse: Collapse?

    /// The parameters `/api/search` takes (`token` is the feed readers' way to authenticate).
    public static let known: Set<Substring> = ["q", "limit", "offset", "since", "until", "source", "collapse", "match",
                                                 "token"]
    public static let maximumLimit = 100
    public static let maximumOffset = 10_000
    /// Facets count the newest this many matches, as the ranking does (see `SearchFacets`).
    public static let facetLimit = 2_000

    /// The parameters of `/api/stream`: a query and filters, no paging.
    public static let streamKnown: Set<Substring> = ["q", "since", "until", "source", "token"]

    /// - Parameters:
    ///   - pairs: the decoded query string (`request.formParameters`); a repeated name keeps its first value.
    ///   - known: the names the route takes.
    ///   - requiresQuery: whether `q` must be given.
    public init(_ pairs: some Sequence<(key: Substring, value: Substring)>, known: Set<Substring> = Self.known,
                requiresQuery: Bool = true) throws(APIError) {
        let parameters = try Self.named(pairs, known: known)
        if let q = parameters["q"], !q.allSatisfy(\.isWhitespace) {
            query = String(q)
        } else if requiresQuery || parameters["q"] != nil {
            throw .badParameter("q", "the query is required")
        }
        limit = try Self.integer(parameters, "limit", default: 10, in: 0...Self.maximumLimit)
        offset = try Self.integer(parameters, "offset", default: 0, in: 0...Self.maximumOffset)
        since = try Self.date(parameters, "since")
        until = try Self.date(parameters, "until")
        source = parameters["source"].map(String.init)
        match = known.contains("match") ? .best : .all
        if let text = parameters["match"] {
            guard let mode = MatchMode(rawValue: String(text)) else {
                throw .badParameter("match", "unknown value '\(text)' (known: all, best, any)")
            }
            match = mode
        }
        if let text = parameters["collapse"], text != "none" {
            guard let collapse = Collapse(rawValue: String(text)) else {
                throw .badParameter("collapse", "unknown value '\(text)' (known: none, story, near)")
            }
            self.collapse = collapse
        }
    }

    public var options: SearchOptions {
        var options = SearchOptions(limit: limit, offset: offset, since: since, until: until, source: source)
        options.collapse = collapse
        return options
    }

    /// The parsed query (nil when `q` was left out); a malformed one is a 400 naming `q`.
    public func parsedQuery() throws(APIError) -> SearchQuery? {
        guard let query else { return nil }
        do { return try SearchQuery(query, mode: match) } catch { throw .badParameter("q", error.description) }
    }

    /// The query string these parameters came from, without `token` (so a link never carries a secret).
    public var queryString: String {
        var items: [(String, String)] = []
        if let query { items.append(("q", query)) }
        if let since { items.append(("since", since)) }
        if let until { items.append(("until", until)) }
        if let source { items.append(("source", source)) }
        return items.map { "\($0)=\(QueryString.encoded($1))" }.joined(separator: "&")
    }

    /// The pairs by name (a repeated name keeps its first value); a name the route does not take is a 400.
    static func named(_ pairs: some Sequence<(key: Substring, value: Substring)>,
                      known: Set<Substring>) throws(APIError) -> [Substring: Substring] {
        var parameters: [Substring: Substring] = [:]
        for (key, value) in pairs where parameters[key] == nil { parameters[key] = value }
        for key in parameters.keys.sorted() where !known.contains(key) {
            let names = known.subtracting(["token"]).sorted().joined(separator: ", ")
            throw .badParameter(String(key), "unknown parameter (known: \(names))")
        }
        return parameters
    }

    static func integer(_ parameters: [Substring: Substring], _ name: String, default value: Int,
                        in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = parameters[Substring(name)] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .badParameter(name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `YYYY-MM-DD`, or a full ISO 8601 timestamp that begins with one.
    static func date(_ parameters: [Substring: Substring], _ name: String) throws(APIError) -> String? {
        guard let text = parameters[Substring(name)] else { return nil }
        guard isISODate(text) else {
            throw .badParameter(name, "'\(text)' is not a date (YYYY-MM-DD, or an ISO 8601 timestamp)")
        }
        return String(text)
    }

    static func isISODate(_ text: Substring) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard number(0..<4) != nil, let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day) else { return false }
        return b.count == 10 || b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ")
    }
}

extension Request {
    /// The query string's name/value pairs, decoded as HTML forms and browsers send them (the
    /// `application/x-www-form-urlencoded` rules): `+` is a space and `%2B` a plus sign. (Hummingbird's
    /// `queryParameters` leaves `+` as it is, so `source=عربي+بوست` would name no outlet.) A value whose percent
    /// escapes are not UTF-8 is kept as sent, and then fails the route's checks by name.
    public var formParameters: [(key: Substring, value: Substring)] {
        formDecoded(Substring(uri.query ?? ""))
    }
}

/// `application/x-www-form-urlencoded` text (a query string, a POSTed form) as its name/value pairs.
func formDecoded(_ text: Substring) -> [(key: Substring, value: Substring)] {
    text.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ text: Substring) -> Substring {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return Substring(spaced.removingPercentEncoding ?? spaced)
        }
        return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
    }
}
