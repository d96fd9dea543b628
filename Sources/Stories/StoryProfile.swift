public import Articles
import Foundation
public import ArabicText

/// What story assignment knows of one article: its most distinctive terms, who it quotes, which dates it
/// names, and when it was published. Small enough to store beside every article (about 150 bytes) and to
/// compare with a dozen candidates per new article.
///
/// Terms are kept as 32-bit hashes of the analyzer's terms: a profile is compared, never shown (the story
/// listing finds the original spellings in the text of its articles).
public struct StoryProfile: Sendable, Hashable {
    /// A distinctive term and its weight.
    public struct Key: Sendable, Hashable {
        public var term: Int32
        public var weight: Float
        public init(term: Int32, weight: Float) { self.term = term; self.weight = weight }
    }

    /// Up to ``keyCount`` terms, heaviest (within the article) first.
    public var keys: [Key]
    /// The quoted speakers (a hash of the last word of each name), sorted.
    public var speakers: [Int32]
    /// The absolute dates the text names, as days since 1970-01-01, sorted.
    public var datesMentioned: [Int32]
    /// The day the article was published (days since 1970-01-01); when the file gives no date, the first date
    /// it names; nil when it names none: such an article is compared with candidates of any date.
    public var day: Int32?

    /// How many terms a profile keeps.
    public static let keyCount = 40
    /// Occurrences weigh by where they are: the headline says what the story is, the lead what happened.
    public static let titleWeight: Double = 5
    public static let leadWeight: Double = 3
    /// Names and figures ("47", "1350", "5٫4") identify an event better than words: numbers of two digits or
    /// more weigh this much more. Years (1900–2099) and one-digit numbers are left out: every article of a
    /// year shares them.
    public static let numberBoost: Double = 1.5

    public init(keys: [Key], speakers: [Int32] = [], datesMentioned: [Int32] = [], day: Int32? = nil) {
        self.keys = keys
        self.speakers = speakers
        self.datesMentioned = datesMentioned
        self.day = day
    }

    /// The profile of an article whose title and body the analyzer has turned into terms.
    ///
    /// - Parameters:
    ///   - titleTerms: `analyzer.indexText(article.title)`.
    ///   - bodyTerms: `analyzer.indexText(article.body)`; its first terms, in the share of the body's bytes
    ///     that the lead takes, count as the lead's.
    public init(article: Article, titleTerms: String, bodyTerms: String, analyzer: ArabicAnalyzer) {
        var weights: [UInt64: Double] = [:]
        func add(_ term: TermFacts, _ weight: Double) {
            if term.isYear { return }
            if term.isNumber {
                guard term.digits >= 2 else { return }
                weights[term.hash, default: 0] += weight * Self.numberBoost
            } else if term.scalars >= 2 {
                weights[term.hash, default: 0] += weight
            }
        }
        TermStream.forEach(titleTerms) { add($0, Self.titleWeight) }
        let bodyBytes = max(article.body.utf8.count, 1)
        let leadBytes = article.lead.isEmpty ? 0 : max(1, bodyTerms.utf8.count * article.lead.utf8.count / bodyBytes)
        TermStream.forEach(bodyTerms) { term in add(term, term.offset < leadBytes ? Self.leadWeight : 1) }
        keys = weights.map { Key(term: Self.term($0.key), weight: Float(1 + Foundation.log($0.value))) }
            .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
            .prefix(Self.keyCount).map { $0 }

        var speakers = Set<Int32>()
        for quote in article.quotes {
            guard let speaker = quote.speaker else { continue }
            var last: UInt64?
            TermStream.forEach(analyzer.indexText(speaker)) { if $0.scalars >= 2 { last = $0.hash } }
            if let last { speakers.insert(Self.term(last)) }
        }
        self.speakers = speakers.sorted()
        datesMentioned = Set(article.datesMentioned.compactMap { Self.day($0.date) }).sorted()
        day = article.publishedAt.flatMap(Self.day) ?? article.datesMentioned.lazy.compactMap { Self.day($0.date) }.first
    }

    /// The profile with each key's weight multiplied by `idf(term)` (unknown terms keep theirs). The keys stay in
    /// their order (by weight within the article): the first ones are those the index looks up.
    public func weighted(by idf: (Int32) -> Double?) -> StoryProfile {
        var copy = self
        copy.keys = keys.map { Key(term: $0.term, weight: $0.weight * Float(idf($0.term) ?? 1)) }
        return copy
    }

    static func term(_ hash: UInt64) -> Int32 { Int32(truncatingIfNeeded: hash ^ (hash >> 32)) }

    /// Days since 1970-01-01 of an ISO 8601 date or timestamp ("2024-01-25", "2024-01-25T15:41:00Z"): its
    /// calendar date as written, whatever the zone.
    public static func day(_ iso: String) -> Int32? {
        let b = Array(iso.utf8.prefix(10))
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(clamping: era * 146_097 + doe - 719_468)
    }
}

extension StoryProfile {
    /// The profile as stored: a version byte, then counted lists of little-endian values.
    public var bytes: [UInt8] {
        var out: [UInt8] = [1]
        func put(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        out.append(UInt8(keys.count))
        for key in keys { put(key.term); put(Int32(bitPattern: key.weight.bitPattern)) }
        out.append(UInt8(min(speakers.count, 255)))
        for s in speakers.prefix(255) { put(s) }
        out.append(UInt8(min(datesMentioned.count, 255)))
        for d in datesMentioned.prefix(255) { put(d) }
        out.append(day == nil ? 0 : 1)
        if let day { put(day) }
        return out
    }

    /// A stored profile, or nil when `bytes` is not one.
    public init?(bytes: [UInt8]) {
        var i = 0
        func byte() -> Int? { guard i < bytes.count else { return nil }; defer { i += 1 }; return Int(bytes[i]) }
        func int() -> Int32? {
            guard i + 4 <= bytes.count else { return nil }
            defer { i += 4 }
            return Int32(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
                         | UInt32(bytes[i + 3]) << 24)
        }
        guard byte() == 1, let keyCount = byte() else { return nil }
        var keys: [Key] = []
        for _ in 0..<keyCount {
            guard let t = int(), let w = int() else { return nil }
            keys.append(Key(term: t, weight: Float(bitPattern: UInt32(bitPattern: w))))
        }
        guard let speakerCount = byte() else { return nil }
        var speakers: [Int32] = []
        for _ in 0..<speakerCount { guard let s = int() else { return nil }; speakers.append(s) }
        guard let dateCount = byte() else { return nil }
        var dates: [Int32] = []
        for _ in 0..<dateCount { guard let d = int() else { return nil }; dates.append(d) }
        guard let hasDay = byte() else { return nil }
        var day: Int32?
        if hasDay == 1 { guard let d = int() else { return nil }; day = d }
        self.init(keys: keys, speakers: speakers, datesMentioned: dates, day: day)
    }
}

extension StoryProfile {
    /// The hash a profile keeps for an analyzer term (to find a key's original spelling in a text).
    public static func termHash(_ term: String) -> Int32 {
        var hash: UInt64 = 0
        TermStream.forEach(term) { hash = $0.hash }
        return Self.term(hash)
    }
}
