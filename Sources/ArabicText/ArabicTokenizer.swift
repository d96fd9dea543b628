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
/// - The Arabic decimal separator ٫ (U+066B) and thousands separator ٬ (U+066C) stay inside a token
///   when they stand between two digits (١٢٫٥, ١٬٠٠٠), and separate tokens anywhere else.
/// - A run made only of marks (a stray haraka after a space) is not a token.
///
/// Latin and Arabic letters are both letters, so a word that mixes them without a space
/// (`iPhoneات`) is one token.
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
