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

    /// Runs `body` on a copy of `word`'s bytes in a ``ByteWriter`` (whose slack the byte-level
    /// functions need) and returns the byte range it picks.
    private func transform(_ word: String, _ body: (UnsafePointer<UInt8>, Int) -> (Int, Int)) -> String {
        withUTF8Bytes(of: word) { bytes in
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return word }
            var writer = ByteWriter(capacity: bytes.count)
            writer.base.update(from: source, count: bytes.count)
            writer.count = bytes.count
            let (start, end) = body(writer.base, bytes.count)
            return start == 0 && end == bytes.count ? word : writer.string(start..<end)
        }
    }

    // MARK: Stemming UTF-8 bytes
    //
    // The affixes are spelled out below as two-byte letters, compared as `UInt16`s, rather than
    // looped over from `prefixes` and `suffixes`: this runs once per token of every article.
    // The tests check these against Lucene's lists through a transcription of Lucene's loop.

    private static let alef: UInt16 = 0xD8A7  // ا U+0627
    private static let beh: UInt16 = 0xD8A8  // ب U+0628
    private static let tehMarbuta: UInt16 = 0xD8A9  // ة U+0629
    private static let teh: UInt16 = 0xD8AA  // ت U+062A
    private static let feh: UInt16 = 0xD981  // ف U+0641
    private static let kaf: UInt16 = 0xD983  // ك U+0643
    private static let lam: UInt16 = 0xD984  // ل U+0644
    private static let noon: UInt16 = 0xD986  // ن U+0646
    private static let heh: UInt16 = 0xD987  // ه U+0647
    private static let waw: UInt16 = 0xD988  // و U+0648
    private static let yeh: UInt16 = 0xD98A  // ي U+064A

    /// The two bytes at `p[k]`, big-endian: an Arabic letter's UTF-8 encoding when they are one.
    /// (In valid UTF-8, two bytes equal to a letter's encoding are that letter.)
    @inline(__always)
    private static func pair(_ p: UnsafePointer<UInt8>, _ k: Int) -> UInt16 {
        UInt16(p[k]) &<< 8 | UInt16(p[k &+ 1])
    }

    /// The length of UTF-8 `p[0..<count]` in UTF-16 code units: one per scalar, two for a
    /// scalar outside the BMP. Reads whole 8-byte words: `p` must have 8 readable bytes past
    /// `count` (``ByteWriter`` guarantees them).
    ///
    /// The length is the number of bytes, less the continuation bytes (0b10xxxxxx), plus the lead
    /// bytes of four-byte sequences (0b11110xxx). Both are counted eight bytes at a time: a byte's
    /// top bit, and the bits below it shifted up into the top bit, are tested for all eight at
    /// once, and the resulting 0x80 flags are summed by a multiplication.
    @inline(__always)
    static func utf16Length(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        let high: UInt64 = 0x8080_8080_8080_8080
        var length = count
        var k = 0
        while k < count {
            var x = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
            if count &- k < 8 { x &= (1 &<< UInt64(8 &* (count &- k))) &- 1 }
            let continuation = x & ~(x &<< 1) & high
            let fourByteLead = x & (x &<< 1) & (x &<< 2) & (x &<< 3) & high
            length &-= Int(truncatingIfNeeded: ((continuation &>> 7) &* 0x0101_0101_0101_0101) &>> 56)
            length &+= Int(truncatingIfNeeded: ((fourByteLead &>> 7) &* 0x0101_0101_0101_0101) &>> 56)
            k &+= 8
        }
        return length
    }

    /// Removes the light10 prefix of `p[start..<end]` (`length` characters long).
    ///
    /// With `minimumLeft` nil, Lucene's rule: و needs at least 4 characters, the others leave at
    /// least 2. Otherwise any prefix that leaves `minimumLeft` characters is removed.
    ///
    /// Lucene tries ال، وال، بال، كال، فال، لل، و in order, and a prefix failing its length check
    /// lets the next one try. Since the prefixes differ in their first two letters except وال/و,
    /// that order reduces to the chain below.
    @inline(__always)
    static func removePrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ length: Int,
                             minimumLeft: Int? = nil) -> (start: Int, length: Int) {
        let left = minimumLeft ?? 2
        let bytes = end &- start
        guard bytes >= 2 else { return (start, length) }
        let first = pair(p, start)
        if bytes >= 4 {
            let second = pair(p, start &+ 2)
            if first == alef && second == lam {
                if length >= 2 + left { return (start &+ 4, length &- 2) }  // ال
            } else if first == lam && second == lam {
                if length >= 2 + left { return (start &+ 4, length &- 2) }  // لل
            } else if second == alef && bytes >= 6 && pair(p, start &+ 4) == lam
                        && (first == waw || first == beh || first == kaf || first == feh)
                        && length >= 3 + left {
                return (start &+ 6, length &- 3)  // وال بال كال فال
            }
        }
        if first == waw && length >= (minimumLeft.map { 1 + $0 } ?? 4) {
            return (start &+ 2, length &- 1)  // و
        }
        return (start, length)
    }

    /// The light10 stem of UTF-8 `p[0..<count]`, as a byte range of it. `p` must have 8
    /// readable bytes past `count`.
    @inline(__always)
    static func stem(_ p: UnsafePointer<UInt8>, _ count: Int) -> (start: Int, end: Int) {
        var (start, length) = removePrefix(p, 0, count, utf16Length(p, count))
        var end = count
        // Each suffix in Lucene's order, removed when the word ends with it and 2 characters remain.
        // `last` caches the word's last letter, so a suffix that cannot match costs one compare.
        var last: UInt16 = end &- start >= 2 ? pair(p, end &- 2) : 0
        @inline(__always) func removed(_ letters: Int) {
            end &-= 2 &* letters
            length &-= letters
            last = end &- start >= 2 ? pair(p, end &- 2) : 0
        }
        @inline(__always) func strip(_ a: UInt16, _ b: UInt16) {
            if last == b && length >= 4 && end &- start >= 4 && pair(p, end &- 4) == a { removed(2) }
        }
        @inline(__always) func strip(_ a: UInt16) {
            if last == a && length >= 3 { removed(1) }
        }
        strip(heh, alef)  // ها
        strip(alef, noon)  // ان
        strip(alef, teh)  // ات
        strip(waw, noon)  // ون
        strip(yeh, noon)  // ين
        strip(yeh, heh)  // يه
        strip(yeh, tehMarbuta)  // ية
        strip(heh)  // ه
        strip(tehMarbuta)  // ة
        strip(yeh)  // ي
        return (start, end)
    }
}
