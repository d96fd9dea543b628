/// What one article puts in the two full-text tables: its analyzed terms (`article_fts`) and the short prefixes
/// of those terms (`article_prefix`).
///
/// `article_prefix` answers the searches FTS5 is slowest at: a prefix of two or three letters (`تح*`, `مسا*`,
/// and `التح*`, which the analyzer shortens to `تح*` as it strips the article from every indexed word). FTS5
/// evaluates a prefix by merging the doclists of every term that starts with it, thousands of terms for two
/// letters, into one list before it returns the first row: 50 to 85 ms on 100,000 articles. FTS5's own prefix
/// index (`prefix='2'`) makes that one doclist, but it writes every token a second time with its positions,
/// which slowed a burst by a sixth. Here each article adds each of its distinct two- and three-letter prefixes
/// once, without positions (`detail=column`): a few hundred short entries next to its thousand-odd terms.
///
/// Columns: `title` holds the prefixes of the title's terms, `rest` those of the body and captions.
struct FullTextRow: Sendable {
    var title: String
    var body: String
    var captions: String
    var titlePrefixes: String
    var restPrefixes: String

    /// The prefix lengths, in Unicode scalars, that `article_prefix` holds.
    static let prefixLengths: ClosedRange<Int> = 2...3

    init(terms: (String, String, String)) {
        (title, body, captions) = terms
        titlePrefixes = Self.prefixes(of: [title])
        restPrefixes = Self.prefixes(of: [body, captions])
    }

    /// The distinct prefixes of ``prefixLengths`` scalars of the space-separated terms in `texts`, space-separated.
    static func prefixes(of texts: [String]) -> String {
        var seen = Set<PrefixKey>()
        var out: [UInt8] = []
        for var text in texts {
            text.withUTF8 { bytes in
                var i = 0
                let n = bytes.count
                while i < n {
                    while i < n && bytes[i] == 0x20 { i += 1 }
                    let start = i
                    var scalars = 0
                    // Each prefix length the term reaches: its first 2 scalars, then its first 3.
                    while i < n && bytes[i] != 0x20 {
                        let width = Self.width(bytes[i])
                        let end = min(n, i + width)
                        if end - start > PrefixKey.capacity { break }  // a long non-Arabic prefix: not worth a key
                        scalars += 1
                        i = end
                        if prefixLengths.contains(scalars) {
                            if seen.insert(PrefixKey(bytes[start..<i])).inserted {
                                if !out.isEmpty { out.append(0x20) }
                                out.append(contentsOf: bytes[start..<i])
                            }
                        }
                        if scalars == prefixLengths.upperBound { break }
                    }
                    while i < n && bytes[i] != 0x20 { i += 1 }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The length of the UTF-8 sequence that `lead` starts (1 for a stray continuation byte).
    @inline(__always)
    static func width(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0xC0: 1
        case 0xC0..<0xE0: 2
        case 0xE0..<0xF0: 3
        default: 4
        }
    }
}

/// Up to 15 bytes of a prefix packed in two words, to find repeats without allocating a String for each.
struct PrefixKey: Hashable {
    static let capacity = 15
    var low: UInt64 = 0
    var high: UInt64 = 0

    init() {}

    init(_ bytes: some Collection<UInt8>) {
        for (k, byte) in bytes.enumerated() {
            if k < 8 { low |= UInt64(byte) << (8 * UInt64(k)) } else { high |= UInt64(byte) << (8 * UInt64(k - 8)) }
        }
        high |= UInt64(bytes.count) << 56
    }
}
