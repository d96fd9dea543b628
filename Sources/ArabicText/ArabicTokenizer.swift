/// Splits text into words, remembering where each word stands in the original text.
///
/// ```swift
/// let tokenizer = ArabicTokenizer()
/// for token in tokenizer.tokens(in: "قال: «الحكومةُ» ١٢٫٥٪") {
///     print(token.text, token.utf8Range)
/// }
/// // قال 0..<6
/// // الحكومةُ 10..<26
/// // ١٢٫٥ 29..<37
/// ```
///
/// ## What is a word
///
/// A token is a run of letters (L*), combining marks (M*) and decimal digits (Nd). Everything
/// else separates tokens: spaces, punctuation (، ؛ ؟ « »), symbols, emoji. Within a run:
///
/// - Harakat (U+064B–U+0652), superscript alef (U+0670) and tatweel (U+0640) are a mark and a
///   letter: they never split a word.
/// - ZWNJ, ZWJ (U+200C, U+200D) and the bidi marks LRM, RLM and ALM (U+200E, U+200F, U+061C)
///   never split a word either, but they never start one, and a token's range does not include
///   them at its end: they are invisible.
/// - A number written with decimal or thousands separators is one token (see "Numbers" below).
/// - A run made only of marks (a stray haraka after a space) is not a token.
///
/// Latin and Arabic letters are both letters, so a word that mixes them without a space
/// (`iPhoneات`) is one token.
///
/// ## Numbers
///
/// Every way of writing one number gives the same token, so that a query finds the number however
/// the article wrote it: `5.4`, `5,4`, `٥٫٤` and `۵٫۴` are all `5٫4` (with digits folded, as the
/// normalizer folds them), and `1,350`, `١٣٥٠`, `١٬٣٥٠` and `1 350` are all `1350`.
///
/// A number is a run of digits (of any script) followed by separators, each between two runs of
/// digits. The separators, and what each is inside a number:
///
/// | separator | inside a number |
/// | --- | --- |
/// | `.` (U+002E), `٫` (U+066B) | a decimal separator |
/// | `٬` (U+066C) | a thousands separator |
/// | `,` (U+002C) | a thousands separator where it groups thousands, else a decimal separator |
/// | THIN SPACE (U+2009), NARROW NO-BREAK SPACE (U+202F), NO-BREAK SPACE (U+00A0) | a thousands separator where it groups thousands, else a space: the number ends before it |
///
/// A separator groups thousands when the run after it has exactly three digits and the run before
/// it has one to three digits or follows another thousands separator: `1,350` and `1,350,000` are
/// `1350` and `1350000`, while `5,4`, `12,75` and `1234,567` are decimal numbers (`5٫4`, `12٫75`,
/// `1234٫567`). `1,350.5` is `1350٫5`.
///
/// - Thousands separators are dropped from the token's text.
/// - A number with one decimal separator is a decimal number, one token, written with `٫` whichever
///   separator the text used (`27.5%` is `27٫5`). Not `.`: the index's SQLite FTS5 table reads
///   the analyzed text with its `ascii` tokenizer, which splits at ASCII punctuation but keeps
///   non-ASCII characters inside tokens, so `5٫4` stays one term there and `5.4` would not.
/// - A number with several decimal separators is not a decimal number (a date `25.01.2024`, a
///   version `1.2.3`, an address `192.168.0.1`): it is split at each of them, `25` `01` `2024`.
/// - A separator anywhere else, not between two digits, separates tokens: `5.` at the end of a
///   sentence is `5`, `.5` is `5`, and `a,b` and `كلمة.كلمة` are two words each.
/// - Only the scalars around the separator count, not what the token holds before the digits: a
///   number right after letters stays in their token, as any digit does (`F16.5` is `F16٫5`,
///   `و5.4` is `و5٫4`, which the stemmer makes `5٫4`).
/// - A separator is recognized as written, before NFKC: the no-break spaces count although NFKC makes
///   them spaces, and the fullwidth `．` does not although NFKC makes it `.`.
///
/// The token's ``Token/utf8Range`` covers the whole number as written, separators included.
///
/// ## NFKC and offsets
///
/// The tokenizer applies NFKC before it decides what is a letter, so presentation forms become
/// ordinary letters: the lam-alef ligature ﻻ (U+FEFB) is the two letters لا, and ﷲ (U+FDF2) is
/// the word الله. NFKC also composes: ا followed by U+0654 (combining hamza above) is أ. A token's
/// ``Token/text`` is the NFKC form of the word; its ``Token/utf8Range`` always points at the
/// bytes of the **original** text, so snippets can highlight the spelling the author used.
///
/// The tokenizer does not normalize otherwise (no case folding, harakat kept): that is
/// ``ArabicNormalizer``'s job.
public struct ArabicTokenizer: Sendable {
    /// A word found by ``ArabicTokenizer``.
    public struct Token: Sendable, Hashable {
        /// The word, in NFKC form.
        public var text: String
        /// Byte offsets of the word in the UTF-8 of the original text.
        public var utf8Range: Range<Int>

        public init(text: String, utf8Range: Range<Int>) {
            self.text = text
            self.utf8Range = utf8Range
        }
    }

    public init() {}

    /// The words of `text`, in order.
    public func tokens(in text: String) -> [Token] {
        withUTF8Bytes(of: text) { bytes in
            var writer = ByteWriter(capacity: 64)
            var sink = Collector()
            TokenScanner(mode: .identity).scan(bytes, into: &writer, sink: &sink)
            return sink.tokens
        }
    }

    private struct Collector: TokenSink {
        var tokens: [Token] = []

        mutating func token(original: Range<Int>, outputStart: Int, writer: inout ByteWriter) {
            tokens.append(Token(text: writer.string(outputStart..<writer.count), utf8Range: original))
            writer.count = outputStart
        }
    }
}
