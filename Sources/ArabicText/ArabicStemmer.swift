/// The light10 Arabic stemmer, exactly as Lucene's `ArabicStemmer` implements it.
///
/// Light stemming does not look for roots. It removes at most one attached prefix (the definite
/// article and the conjunctions and prepositions glued to it) and then a fixed list of common
/// suffixes, so that كتاب, الكتاب and والكتاب all index as كتاب and مشروبات indexes as مشروب:
///
/// ```swift
/// let stemmer = ArabicStemmer()
/// stemmer.stem("والكتاب")   // "كتاب"
/// stemmer.stem("مشروبات")   // "مشروب"
/// stemmer.stem("ساهدهات")   // "ساهد": ات, then ه
/// ```
///
/// (Leah S. Larkey, Lisa Ballesteros, Margaret E. Connell: *Light Stemming for Arabic Information
/// Retrieval*, 2007.)
///
/// ## The rules
///
/// 1. **One prefix**: the first of ``prefixes`` (ال، وال، بال، كال، فال، لل، و, in that order) that
///    starts the word and passes the length check is removed, and no other. The one-letter و
///    needs a word of at least 4 characters; the others need at least 2 characters left after
///    removal (Lucene's `startsWithCheckLength`). A prefix that fails the length check does not
///    stop the search: the next one is tried.
/// 2. **Suffixes**: every one of ``suffixes`` (ها، ان، ات، ون، ين، يه، ية، ه، ة، ي), in that order,
///    that ends the word *at that moment* and leaves at least 2 characters is removed
///    (`endsWithCheckLength`). So several suffixes can go, but each is tried once.
///
/// Lengths are counted as Lucene counts them, in UTF-16 code units: one per Arabic letter.
///
/// The stemmer expects **normalized** input (see ``ArabicNormalizer``); it still works on raw
/// text, which is how Lucene's own stemmer tests run it, but then أ, ة and harakat are not folded.
/// Words that contain none of the affixes (Latin words, numbers) are returned unchanged.
///
/// The stemmer works on UTF-8 bytes: every affix is a run of two-byte Arabic letters, and a byte
/// match at the start or the end of valid UTF-8 is always a match of whole scalars.
public struct ArabicStemmer: Sendable {
    /// light10's prefixes, in the order they are tried.
    public static let prefixes = ["ال", "وال", "بال", "كال", "فال", "لل", "و"]
    /// light10's suffixes, in the order they are removed.
    public static let suffixes = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"]

    public init() {}

    /// The light10 stem of `word`.
    public func stem(_ word: String) -> String {
        transform(word) { Self.stem($0, $1) }
    }

    /// `word` without the prefix light10 would remove, suffixes left alone.
    ///
    /// With `forPrefixQuery: true`, a prefix is removed whenever at least one character is left,
    /// instead of light10's minimum word lengths; see ``ArabicAnalyzer/prefixTerm(for:)`` for why.
    public func removingPrefix(_ word: String, forPrefixQuery: Bool = false) -> String {
        transform(word) { p, count in
            let (start, _) = Self.removePrefix(p, 0, count, Self.utf16Length(p, count),
                                               minimumLeft: forPrefixQuery ? 1 : nil)
            return (start, count)
        }
    }

    private func transform(_ word: String, _ body: (UnsafePointer<UInt8>, Int) -> (Int, Int)) -> String {
        withUTF8Bytes(of: word) { bytes in
            guard let p = bytes.baseAddress, !bytes.isEmpty else { return word }
            let (start, end) = body(p, bytes.count)
            if start == 0 && end == bytes.count { return word }
            return String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self)
        }
    }

    // MARK: Stemming UTF-8 bytes

    /// An affix as its UTF-8 bytes, packed big-endian into the low bytes of a `UInt64`.
    private struct Affix {
        var bytes: UInt64
        var byteCount: Int
        /// Length in characters (UTF-16 code units).
        var length: Int

        init(_ text: String) {
            bytes = text.utf8.reduce(0) { $0 << 8 | UInt64($1) }
            byteCount = text.utf8.count
            length = text.utf16.count
        }
    }

    private static let prefixAffixes = prefixes.map(Affix.init)
    private static let suffixAffixes = suffixes.map(Affix.init)

    /// The `count` bytes at `p`, packed big-endian.
    @inline(__always)
    private static func load(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in 0..<count { value = value << 8 | UInt64(p[k]) }
        return value
    }

    /// The length of UTF-8 `p[0..<count]` in UTF-16 code units: one per scalar, two for a
    /// scalar outside the BMP (lead byte 0xF0 or more).
    @inline(__always)
    static func utf16Length(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var length = 0
        for k in 0..<count {
            let byte = p[k]
            length &+= (byte & 0xC0 != 0x80 ? 1 : 0) &+ (byte >= 0xF0 ? 1 : 0)
        }
        return length
    }

    /// Removes the light10 prefix of `p[start..<end]` (`length` characters long).
    ///
    /// With `minimumLeft` nil, Lucene's rule: و needs at least 4 characters, the others leave at
    /// least 2. Otherwise any prefix that leaves `minimumLeft` characters is removed.
    @inline(__always)
    static func removePrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ length: Int,
                             minimumLeft: Int? = nil) -> (start: Int, length: Int) {
        for prefix in prefixAffixes {
            if let minimumLeft {
                if length < prefix.length + minimumLeft { continue }
            } else if prefix.length == 1 ? length < 4 : length < prefix.length + 2 {
                continue
            }
            if end - start >= prefix.byteCount, load(p + start, prefix.byteCount) == prefix.bytes {
                return (start + prefix.byteCount, length - prefix.length)
            }
        }
        return (start, length)
    }

    /// The light10 stem of UTF-8 `p[0..<count]`, as a byte range of it.
    @inline(__always)
    static func stem(_ p: UnsafePointer<UInt8>, _ count: Int) -> (start: Int, end: Int) {
        var (start, length) = removePrefix(p, 0, count, utf16Length(p, count))
        var end = count
        for suffix in suffixAffixes where length >= suffix.length + 2 && end - start >= suffix.byteCount {
            if load(p + end - suffix.byteCount, suffix.byteCount) == suffix.bytes {
                end -= suffix.byteCount
                length -= suffix.length
            }
        }
        return (start, end)
    }
}
