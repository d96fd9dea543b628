// Low-level helpers for reading the parser's working text.
//
// After decoding, the parser keeps the whole file as one `[UInt8]` of *valid, normalized* UTF-8
// (see `TextDecoder`) and refers to lines, paragraphs and tokens by byte ranges into it. Working on
// bytes and Unicode scalars — never on `Character`s — keeps every pass linear and byte-exact:
// grapheme breaking is slow on long lines and would merge an Arabic letter with its diacritics in
// ways that make offsets disagree with the bytes we hand back.

/// Decodes the scalar that starts at `i` in valid UTF-8, returning its value and byte length.
///
/// The buffer must be valid UTF-8 (the decoder guarantees it); a truncated final sequence is
/// tolerated by reading only the bytes that exist, so a bug upstream cannot turn into a crash here.
@inline(__always)
func scalar(at i: Int, in b: [UInt8]) -> (value: UInt32, length: Int) {
    let b0 = UInt32(b[i])
    if b0 < 0x80 { return (b0, 1) }
    let n = b.count
    if b0 < 0xE0 {
        guard i + 1 < n else { return (0xFFFD, 1) }
        return (((b0 & 0x1F) << 6) | (UInt32(b[i + 1]) & 0x3F), 2)
    }
    if b0 < 0xF0 {
        guard i + 2 < n else { return (0xFFFD, n - i) }
        return (((b0 & 0x0F) << 12) | ((UInt32(b[i + 1]) & 0x3F) << 6) | (UInt32(b[i + 2]) & 0x3F), 3)
    }
    guard i + 3 < n else { return (0xFFFD, n - i) }
    return (((b0 & 0x07) << 18) | ((UInt32(b[i + 1]) & 0x3F) << 12) | ((UInt32(b[i + 2]) & 0x3F) << 6)
                | (UInt32(b[i + 3]) & 0x3F), 4)
}

/// Decodes the scalar that *ends* just before `end` in valid UTF-8.
@inline(__always)
func scalar(endingAt end: Int, in b: [UInt8]) -> (value: UInt32, length: Int) {
    var start = end - 1
    while start > 0, end - start < 4, b[start] & 0xC0 == 0x80 { start -= 1 }
    let (value, length) = scalar(at: start, in: b)
    return (value, min(length, end - start))
}

/// Appends the UTF-8 encoding of a scalar value.
@inline(__always)
func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
    if s < 0x80 {
        out.append(UInt8(s))
    } else if s < 0x800 {
        out.append(UInt8(0xC0 | (s >> 6)))
        out.append(UInt8(0x80 | (s & 0x3F)))
    } else if s < 0x10000 {
        out.append(UInt8(0xE0 | (s >> 12)))
        out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (s & 0x3F)))
    } else {
        out.append(UInt8(0xF0 | (s >> 18)))
        out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (s & 0x3F)))
    }
}

/// Makes a `String` from a byte range of the working buffer.
@inline(__always)
func string(_ b: [UInt8], _ range: Range<Int>) -> String {
    String(decoding: b[range], as: UTF8.self)
}

/// Matching form of a scalar: the spelling differences that do not change a word are folded away,
/// so that "أكد", "اكد" and "أكّد" compare equal. Returns nil for scalars that are dropped
/// (tatweel and the short-vowel diacritics).
///
/// - alef with hamza above/below, madda, wasla → bare alef; alef maqsura → yeh; teh marbuta → heh
/// - Persian keheh and yeh → Arabic kaf and yeh
/// - Arabic-Indic and Extended Arabic-Indic digits → ASCII digits
/// - ASCII letters → lower case
@inline(__always)
func foldForMatching(_ s: UInt32) -> UInt32? {
    switch s {
    case 0x41...0x5A: return s + 0x20
    case 0x0622, 0x0623, 0x0625, 0x0671: return 0x0627
    case 0x0649, 0x06CC: return 0x064A
    case 0x0629: return 0x0647
    case 0x06A9: return 0x0643
    case 0x0640, 0x064B...0x065F, 0x0670: return nil
    case 0x0660...0x0669: return 0x30 + (s - 0x0660)
    case 0x06F0...0x06F9: return 0x30 + (s - 0x06F0)
    default: return s
    }
}

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
