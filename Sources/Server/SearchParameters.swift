public import ArticleIndex

/// The query string of `/api/search` (and, next, the feeds), validated: each bad value is a 400 that names
/// its parameter, and a parameter Marsad does not know is one too (a typo must not pass silently).
public struct SearchParameters: Sendable {
    public var query: String
    public var limit: Int
    public var offset: Int
    public var since: String?
    public var until: String?
    public var source: String?

    /// The parameters `/api/search` takes (`token` is the feed readers' way to authenticate).
    static let known: Set<Substring> = ["q", "limit", "offset", "since", "until", "source", "collapse", "token"]
    public static let maximumLimit = 100
    public static let maximumOffset = 10_000
    /// Facets count the newest this many matches, as the ranking does (see `SearchFacets`).
    public static let facetLimit = 2_000

    /// - Parameter pairs: the decoded query string (`request.uri.queryParameters`); a repeated name keeps its
    ///   first value.
    public init(_ pairs: some Sequence<(key: Substring, value: Substring)>) throws(APIError) {
        var parameters: [Substring: Substring] = [:]
        for (key, value) in pairs where parameters[key] == nil { parameters[key] = value }
        for key in parameters.keys.sorted() where !Self.known.contains(key) {
            throw .badParameter(String(key), "unknown parameter (known: \(Self.known.sorted().joined(separator: ", ")))")
        }
        guard let q = parameters["q"], !q.allSatisfy(\.isWhitespace) else {
            throw .badParameter("q", "the query is required")
        }
        query = String(q)
        limit = try Self.integer(parameters, "limit", default: 10, in: 0...Self.maximumLimit)
        offset = try Self.integer(parameters, "offset", default: 0, in: 0...Self.maximumOffset)
        since = try Self.date(parameters, "since")
        until = try Self.date(parameters, "until")
        source = parameters["source"].map(String.init)
        if let collapse = parameters["collapse"], collapse != "none" {
            throw .badParameter("collapse", "unknown value '\(collapse)' (this version knows: none)")
        }
    }

    public var options: SearchOptions {
        SearchOptions(limit: limit, offset: offset, since: since, until: until, source: source)
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
