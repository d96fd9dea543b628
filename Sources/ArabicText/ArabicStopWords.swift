/// A set of stop words: words so frequent that indexing them only costs space (في، من، على، و…).
///
/// The analyzer flags stop words in ``ArabicAnalyzer/tokens(in:)`` and leaves them out of
/// ``ArabicAnalyzer/indexText(_:)`` and ``ArabicAnalyzer/term(for:)``.
///
/// ## Matching after normalization
///
/// Lucene's Arabic list (``luceneList``) is *not* normalized: it spells أن, إن and ان separately,
/// and Lucene's analyzer checks it *before* normalization. Any spelling the list forgot slips
/// through: with a shadda, إنّ is not in the list, so Lucene indexes it (as ان).
///
/// ``default`` avoids that: it is the same list passed through ``ArabicNormalizer``, and the
/// analyzer checks it against the *normalized* token. أن، إن، إنّ and ان all normalize to ان,
/// which is in the set. The normalized list is shorter than 119 words, since several spellings
/// collapse into one.
///
/// ```swift
/// ArabicStopWords.default.contains("ان")     // true
/// ArabicStopWords.default.contains("أن")     // false: the set holds normalized words
/// ArabicStopWords.lucene.contains("أن")      // true: Lucene's verbatim list
/// ```
public struct ArabicStopWords: Sendable {
    /// The words of the set, in the form they are matched in.
    public let words: Set<String>
    let table: StopWordTable

    /// Makes a set from `words`, normalizing each with `normalizer` (pass nil to keep them verbatim,
    /// for matching before normalization).
    public init(_ words: some Sequence<String>, normalizedBy normalizer: ArabicNormalizer? = ArabicNormalizer()) {
        let normalized = words.map { normalizer?.normalize($0) ?? $0 }.filter { !$0.isEmpty }
        self.words = Set(normalized)
        table = StopWordTable(self.words)
    }

    /// Lucene's Arabic stop words, normalized by the extended ``ArabicNormalizer``. The default.
    public static let `default` = ArabicStopWords(luceneList)

    /// Lucene's Arabic stop words verbatim, for matching before normalization as Lucene does.
    public static let lucene = ArabicStopWords(luceneList, normalizedBy: nil)

    /// No stop words.
    public static let none = ArabicStopWords([String]())

    /// Whether `word` is in the set. `word` must be in the form the set holds (normalized, for
    /// ``default``).
    public func contains(_ word: String) -> Bool { words.contains(word) }

    /// The number of words in the set.
    public var count: Int { words.count }

    /// Lucene's default Arabic stop list (`lucene/analysis/common/src/resources/org/apache/lucene/
    /// analysis/ar/stopwords.txt`), verbatim: 119 words, "created by Jacques Savoy and … distributed
    /// under the BSD license", cleaned on October 11, 2009, "not normalized, so use before
    /// normalization".
    public static let luceneList: [String] = [
        "من", "ومن", "منها", "منه", "في", "وفي", "فيها", "فيه", "و", "ف", "ثم", "او",
        "أو", "ب", "بها", "به", "ا", "أ", "اى", "اي", "أي", "أى", "لا", "ولا", "الا",
        "ألا", "إلا", "لكن", "ما", "وما", "كما", "فما", "عن", "مع", "اذا", "إذا", "ان",
        "أن", "إن", "انها", "أنها", "إنها", "انه", "أنه", "إنه", "بان", "بأن", "فان",
        "فأن", "وان", "وأن", "وإن", "التى", "التي", "الذى", "الذي", "الذين", "الى",
        "الي", "إلى", "إلي", "على", "عليها", "عليه", "اما", "أما", "إما", "ايضا",
        "أيضا", "كل", "وكل", "لم", "ولم", "لن", "ولن", "هى", "هي", "هو", "وهى", "وهي",
        "وهو", "فهى", "فهي", "فهو", "انت", "أنت", "لك", "لها", "له", "هذه", "هذا",
        "تلك", "ذلك", "هناك", "كانت", "كان", "يكون", "تكون", "وكانت", "وكان", "غير",
        "بعض", "قد", "نحو", "بين", "بينما", "منذ", "ضمن", "حيث", "الان", "الآن",
        "خلال", "بعد", "قبل", "حتى", "عند", "عندما", "لدى", "جميع",
    ]
}

/// A stop-word lookup on UTF-8 bytes, for the analyzer's hot loop.
///
/// Every word of up to 16 bytes (all of Lucene's list: eight Arabic letters at most) is packed
/// into two `UInt64`s and stored in a small open-addressing table, so a lookup is a multiply, a
/// shift and one or two compares, with no `String` and no `Hasher`. Longer words, possible in a
/// custom list, go to an ordinary set.
final class StopWordTable: Sendable {
    private let low: [UInt64]
    private let high: [UInt64]
    /// Byte length of the word in each slot; 0 marks an empty slot.
    private let lengths: [UInt8]
    private let mask: Int
    private let long: Set<[UInt8]>

    init(_ words: Set<String>) {
        let short = words.map { Array($0.utf8) }.filter { $0.count <= 16 }
        long = Set(words.map { Array($0.utf8) }.filter { $0.count > 16 })
        var size = 16
        while size < short.count * 4 { size *= 2 }
        mask = size - 1
        var low = [UInt64](repeating: 0, count: size)
        var high = [UInt64](repeating: 0, count: size)
        var lengths = [UInt8](repeating: 0, count: size)
        for word in short {
            // Zero-padded to 16 bytes, as `contains` expects.
            let padded = word + [UInt8](repeating: 0, count: 16)
            padded.withUnsafeBufferPointer { bytes in
                let (l, h) = Self.pack(bytes.baseAddress!, word.count)
                var slot = Self.hash(l, h, word.count) & (size - 1)
                while lengths[slot] != 0 { slot = (slot + 1) & (size - 1) }
                (low[slot], high[slot], lengths[slot]) = (l, h, UInt8(word.count))
            }
        }
        (self.low, self.high, self.lengths) = (low, high, lengths)
    }

    /// The `count` (at most 16) bytes at `p` as two little-endian words, zero beyond `count`.
    /// Reads 16 bytes: `p` must have them (``ByteWriter`` guarantees its slack).
    @inline(__always)
    private static func pack(_ p: UnsafePointer<UInt8>, _ count: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(p)
        var l = raw.loadUnaligned(as: UInt64.self)
        var h = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        if count < 8 {
            l &= (1 &<< UInt64(8 &* count)) &- 1
            h = 0
        } else if count < 16 {
            h &= (1 &<< UInt64(8 &* (count &- 8))) &- 1
        }
        return (l, h)
    }

    @inline(__always)
    private static func hash(_ l: UInt64, _ h: UInt64, _ count: Int) -> Int {
        let mixed = (l &* 0x9E37_79B9_7F4A_7C15) ^ (h &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(count)
        return Int(truncatingIfNeeded: mixed >> 40)
    }

    /// Whether the UTF-8 word `p[0..<count]` is in the table. Reads 16 bytes from `p` (see `pack`).
    @inline(__always)
    func contains(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if count > 16 {
            return !long.isEmpty && long.contains(Array(UnsafeBufferPointer(start: p, count: count)))
        }
        let (l, h) = Self.pack(p, count)
        var slot = Self.hash(l, h, count) & mask
        while true {
            let length = lengths[slot]
            if length == 0 { return false }
            if Int(length) == count && low[slot] == l && high[slot] == h { return true }
            slot = (slot + 1) & mask
        }
    }
}
