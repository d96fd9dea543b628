/// Orthographic normalization of Arabic: folds the spellings of a word that readers treat as the
/// same word into one form, so that a search for احمد finds أحمد and أَحْمَد.
///
/// ```swift
/// let normalizer = ArabicNormalizer()
/// normalizer.normalize("أَحْمَد")       // "احمد"
/// normalizer.normalize("فاطمة")        // "فاطمه"
/// normalizer.normalize("٢٠٢٤")         // "2024"
/// ArabicNormalizer(mode: .lucene).normalize("٢٠٢٤")   // "٢٠٢٤": Lucene leaves digits alone
/// ```
///
/// ## Lucene's rules (``Mode/lucene``)
///
/// Exactly Lucene's `ArabicNormalizer`, scalar by scalar:
///
/// | scalar | becomes |
/// | --- | --- |
/// | آ أ إ (U+0622, U+0623, U+0625: alef with madda, hamza above, hamza below) | ا |
/// | ى (U+0649, alef maksura, "dotless yeh") | ي |
/// | ة (U+0629, teh marbuta) | ه |
/// | ـ (U+0640, tatweel) and the eight harakat U+064B–U+0652 (tanwin, fatha, damma, kasra, shadda, sukun) | removed |
///
/// Nothing else changes: not case, not digits, not NFKC. In Lucene, lowercasing and digit
/// folding are separate filters of the analyzer.
///
/// ## The extended rules (``Mode/extended``, the default)
///
/// Lucene's rules, plus what a news index needs beyond them:
///
/// - **NFKC** first: presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) become ordinary letters
///   (the ligature ﻻ becomes لا), fullwidth and other compatibility characters their plain
///   counterparts, and combining sequences are composed (ا followed by U+0654 becomes أ, then ا).
/// - ٱ (U+0671, alef wasla) → ا.
/// - U+0670 (superscript alef) and the invisible ZWNJ, ZWJ, LRM, RLM and ALM are removed.
/// - Persian and Urdu ی (U+06CC) → ي and ک (U+06A9) → ك.
/// - Every decimal digit (Nd) of any script (٠–٩, ۰–۹, …) → its ASCII digit.
/// - Numbers are written as the tokenizer writes them (see "Numbers" in ``ArabicTokenizer``): one
///   decimal separator becomes ٫ (`5.4` → `5٫4`) and thousands separators are dropped
///   (`١٬٣٥٠` → `1350`). A number with several decimal separators keeps them as written, since
///   the normalizer does not split.
/// - Lowercasing of every cased letter, with the simple (one-scalar) mapping Java uses.
///
/// The normalizer works on Unicode scalars, never on `Character`s: Swift considers ا + U+0654
/// and أ the same `Character`, and `"مَبنا".hasPrefix("م")` is false because م and مَ are different
/// characters.
public struct ArabicNormalizer: Sendable, Hashable {
    /// Which rules a normalizer applies.
    public enum Mode: Sendable, Hashable {
        /// Exactly Lucene's `ArabicNormalizer`.
        case lucene
        /// Lucene's rules plus NFKC, ٱ, U+0670, invisible marks, Persian letters, digits and case.
        case extended
    }

    /// The rules this normalizer applies.
    public var mode: Mode

    /// A normalizer with the given rules (the extended ones by default).
    public init(mode: Mode = .extended) {
        self.mode = mode
    }

    /// The normalized form of `word`.
    ///
    /// The word is not split: spaces and punctuation in it are kept (and, in extended mode,
    /// still lowercased and NFKC-folded). The result is empty when the word is made only of what
    /// the rules remove (tatweel, harakat).
    public func normalize(_ word: String) -> String {
        withUTF8Bytes(of: word) { bytes in
            var writer = ByteWriter(capacity: bytes.count + 8)
            switch mode {
            case .lucene:
                writer.count = applyInPlace(rules: .lucene, copying: bytes, into: &writer)
            case .extended:
                var sink = WholeOutputSink()
                TokenScanner(mode: .extended, splits: false).scan(bytes, into: &writer, sink: &sink)
            }
            return writer.string(0..<writer.count)
        }
    }

    /// Copies `bytes` into `writer` with only the Arabic rules of `rules` applied.
    private func applyInPlace(rules: Mode, copying bytes: UnsafeBufferPointer<UInt8>,
                              into writer: inout ByteWriter) -> Int {
        guard let source = bytes.baseAddress else { return 0 }
        writer.reserve(bytes.count)
        writer.base.initialize(from: source, count: bytes.count)
        return Self.applyRules(rules, writer.base, bytes.count)
    }

    /// Applies the Arabic rules of `mode` (not NFKC, case or digits) to UTF-8 `p[0..<count]` in
    /// place and returns the new byte count.
    ///
    /// The analyzer uses this after checking stop words on lowercased, digit-folded tokens, which
    /// is what Lucene does. None of these rules makes a scalar longer, so editing in place is safe.
    static func applyRules(_ mode: Mode, _ p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        let tables = UnicodeTables.shared
        let rules = mode == .lucene ? tables.luceneRules : tables.extendedRules
        var read = 0, write = 0
        while read < count {
            let (cp, length) = decodeScalar(p, read)
            if cp < 0x800 {
                let target = rules[Int(cp)]
                if target != UnicodeTables.deleted {
                    // Targets are two-byte scalars, like every scalar these rules change.
                    if target == UInt16(cp) {
                        for k in 0..<length { p[write + k] = p[read + k] }
                        write += length
                    } else {
                        p[write] = UInt8(truncatingIfNeeded: 0xC0 | (target >> 6))
                        p[write + 1] = UInt8(truncatingIfNeeded: 0x80 | (target & 0x3F))
                        write += 2
                    }
                }
            } else if mode == .lucene || tables.info(of: cp) & InfoBit.kindMask != ScalarKind.joiner {
                for k in 0..<length { p[write + k] = p[read + k] }
                write += length
            }
            read += length
        }
        return write
    }
}
