import ArabicText

// Low-level helpers for reading the parser's working text.
//
// After decoding, the parser keeps the whole file as one `[UInt8]` of *valid, normalized* UTF-8
// (see `TextDecoder`) and refers to lines, paragraphs and tokens by byte ranges into it. Working on
// bytes and Unicode scalars — never on `Character`s — keeps every pass linear and byte-exact:
// grapheme breaking is slow on long lines and would merge an Arabic letter with its diacritics in
// ways that make offsets disagree with the bytes we hand back.

// The UTF-8 steps are ArabicText's (`UTF8Scalars`), under the short names the parser's passes use.

@inline(__always)
func scalar(at i: Int, in b: [UInt8]) -> (value: UInt32, length: Int) { UTF8Scalars.decode(at: i, in: b) }

@inline(__always)
func scalar(endingAt end: Int, in b: [UInt8]) -> (value: UInt32, length: Int) { UTF8Scalars.decode(endingAt: end, in: b) }

@inline(__always)
func appendUTF8(_ s: UInt32, to out: inout [UInt8]) { UTF8Scalars.append(s, to: &out) }

/// Makes a `String` from a byte range of the working buffer.
@inline(__always)
func string(_ b: [UInt8], _ range: Range<Int>) -> String {
    String(decoding: b[range], as: UTF8.self)
}

/// Matching form of a scalar (ArabicText's ``ArabicFold/matchingForm(_:)``): "أكد", "اكد" and "أكّد" compare
/// equal. Nil for scalars that are dropped (tatweel and the diacritics).
@inline(__always)
func foldForMatching(_ s: UInt32) -> UInt32? { ArabicFold.matchingForm(s) }

/// FNV-1a, 64 bit: the hash the lexicon uses for folded words.
enum WordHash {
    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    @inline(__always)
    static func mix(_ h: UInt64, _ s: UInt32) -> UInt64 { (h ^ UInt64(s)) &* prime }

    /// Combines word hashes into the hash of a phrase (order matters).
    @inline(__always)
    static func phrase(_ h: UInt64, _ word: UInt64) -> UInt64 {
        var x = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        return x
    }
    static let phraseSeed: UInt64 = 0x1234_5678_9ABC_DEF1
}

/// Character classes the tokenizer and the line classifier agree on.
enum ScalarClass {
    /// Arabic-script letters (including presentation forms), for the language guess.
    @inline(__always)
    static func isArabicLetter(_ s: UInt32) -> Bool {
        (0x0621...0x064A).contains(s) || (0x066E...0x06D3).contains(s) || s == 0x06D5
            || (0x06FA...0x06FC).contains(s) || (0x0750...0x077F).contains(s) || (0x08A0...0x08FF).contains(s)
            || (0xFB50...0xFDFF).contains(s) || (0xFE70...0xFEFC).contains(s)
    }

    @inline(__always)
    static func isLatinLetter(_ s: UInt32) -> Bool {
        (0x41...0x5A).contains(s) || (0x61...0x7A).contains(s)
            || ((0xC0...0x24F).contains(s) && s != 0xD7 && s != 0xF7)
    }

    /// The value of a decimal digit in ASCII, Arabic-Indic or Extended Arabic-Indic, else nil.
    @inline(__always)
    static func digitValue(_ s: UInt32) -> Int? {
        switch s {
        case 0x30...0x39: return Int(s - 0x30)
        case 0x0660...0x0669: return Int(s - 0x0660)
        case 0x06F0...0x06F9: return Int(s - 0x06F0)
        default: return nil
        }
    }

    /// Whether a scalar belongs inside a word (letters, combining marks, tatweel, joiners).
    @inline(__always)
    static func isWordScalar(_ s: UInt32) -> Bool {
        if s < 0x80 { return (0x41...0x5A).contains(s) || (0x61...0x7A).contains(s) }
        switch s {
        case 0x060C, 0x060D, 0x061B, 0x061E, 0x061F, 0x066A, 0x066B, 0x066C, 0x06D4: return false
        case 0x0660...0x0669, 0x06F0...0x06F9: return false  // digits: their own tokens
        case 0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFC: return true
        case 0x200C, 0x200D: return true
        case 0x80...0xBF, 0xD7, 0xF7: return false
        case 0xC0...0x1FFF: return true
        case 0x2000...0x2BFF, 0x3000...0x303F, 0xFE10...0xFE6F, 0xFF00...0xFF20, 0xFFF0...0xFFFF: return false
        default: return true
        }
    }

    /// Sentence-final punctuation: . ! ? and the Arabic question mark and full stop.
    @inline(__always)
    static func endsSentence(_ s: UInt32) -> Bool {
        s == 0x2E || s == 0x21 || s == 0x3F || s == 0x061F || s == 0x06D4 || s == 0x2026
    }
}
