import ArabicText

/// What one article puts in the two full-text tables: its analyzed terms (`article_fts`) and the two-letter
/// prefixes of those terms (`article_prefix`).
///
/// `article_prefix` answers the search FTS5 is slowest at: a prefix of two letters (`تح*`, and `التح*`, which the
/// analyzer shortens to `تح*` as it strips the article from every indexed word). FTS5 (3.40, Debian 12's)
/// evaluates a prefix by merging the doclists of every term that starts with it, thousands of terms for two
/// letters, into one list before it returns the first row: 50 to 90 ms on 100,000 articles. Its own prefix index
/// (`prefix='2'`) writes every token a second time with its positions, which slowed a burst by 17%. Here each
/// article adds each of its distinct two-letter prefixes once, with no positions and no column (`detail=none`):
/// about a hundred short tokens next to its thousand-odd terms.
///
/// The prefixes of the title's terms are added a second time behind ``titleMarker``, so that titles can be
/// ranked first without column information.
struct FullTextRow: Sendable {
    var title: String
    var body: String
    var captions: String
    /// The row of `article_prefix`: every distinct prefix, then the title's behind ``titleMarker``.
    var prefixes: String

    /// The prefix length, in Unicode scalars, that `article_prefix` holds.
    static let prefixLength = 2
    /// U+E000, a private-use character that the analyzer never emits: `title prefix` = marker + prefix.
    static let titleMarker = "\u{E000}"

    init(terms: (String, String, String)) {
        (title, body, captions) = terms
        let all = Self.prefixes(of: [title, body, captions])
        let titled = Self.prefixes(of: [title], marker: Self.titleMarker)
        prefixes = titled.isEmpty ? all : all + " " + titled
    }

    /// The distinct ``prefixLength``-scalar prefixes of the space-separated terms in `texts`, each behind
    /// `marker`, space-separated. Shorter terms have none.
    static func prefixes(of texts: [String], marker: String = "") -> String {
        var seen = PrefixSet()
        var out: [UInt8] = []
        out.reserveCapacity(2048)
        for var text in texts {
            text.withUTF8 { bytes in
                var i = 0
                let n = bytes.count
                while i < n {
                    while i < n && bytes[i] == 0x20 { i += 1 }
                    let start = i
                    var scalars = 0
                    while i < n && bytes[i] != 0x20 && scalars < prefixLength {
                        i = min(n, i + UTF8Scalars.width(bytes[i]))
                        scalars += 1
                    }
                    let prefix = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    if scalars == prefixLength, seen.insert(PrefixKey(prefix)) {
                        if !out.isEmpty { out.append(0x20) }
                        out.append(contentsOf: marker.utf8)
                        out.append(contentsOf: prefix)
                    }
                    while i < n && bytes[i] != 0x20 { i += 1 }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A prefix of two scalars (at most 8 UTF-8 bytes) packed in one word with its length, to find repeats without
/// making a String of each.
struct PrefixKey: Equatable {
    var bytes: UInt64 = 0
    var count: UInt8 = 0

    init() {}

    init(_ prefix: UnsafeBufferPointer<UInt8>) {
        for (k, byte) in prefix.prefix(8).enumerated() { bytes |= UInt64(byte) << (8 * UInt64(k)) }
        count = UInt8(min(prefix.count, 8))
    }

    var isEmpty: Bool { count == 0 }

    /// A multiplicative hash: the keys are a few bytes of text, and SipHash (`Hashable`) cost more than the rest
    /// of the prefix work together.
    var hash: UInt64 {
        let mixed = (bytes ^ UInt64(count) << 59) &* 0xBF58_476D_1CE4_E5B9
        return mixed ^ (mixed >> 31)
    }
}
/// An open-addressing set of ``PrefixKey``s that grows by doubling (an article has a few hundred prefixes).
struct PrefixSet {
    private var slots = [PrefixKey](repeating: PrefixKey(), count: 1024)
    private var count = 0

    /// Adds `key`; false when it was there already.
    mutating func insert(_ key: PrefixKey) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: key.hash) & mask
        while !slots[i].isEmpty {
            if slots[i] == key { return false }
            i = (i + 1) & mask
        }
        slots[i] = key
        count += 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [PrefixKey](repeating: PrefixKey(), count: old.count * 2)
        count = 0
        for key in old where !key.isEmpty { _ = insert(key) }
    }
}
