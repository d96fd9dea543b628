// From the raw bytes of a file to the parser's working text.
//
// Order of decisions (each step only runs if the ones before did not decide):
//
// 1. Nothing at all → `.empty`.
// 2. A byte-order mark says the encoding: EF BB BF (UTF-8), FF FE / FE FF (UTF-16 LE / BE).
//    UTF-32 marks are refused by name rather than misread as UTF-16.
// 3. A known binary signature (PNG, JPEG, PDF, ZIP…) → `.binary`, naming the format.
// 4. UTF-16 without a mark: many NUL bytes, nearly all on one side of each byte pair.
// 5. Too many NUL or control bytes for text → `.binary`. A few stray NULs are dropped with a warning.
// 6. Valid UTF-8 → UTF-8.
// 7. Invalid UTF-8 that reads, under Windows-1256, as mostly Arabic letters → Windows-1256.
//    Anything else → `.undecodable`. We never guess blindly: cp1256 maps every byte to *something*,
//    so it is only chosen when the result looks like Arabic.
//
// Whatever the encoding, the result goes through `TextNormalizer`, so everything downstream sees
// one form: LF line ends, one ASCII space between words, no invisible formatting characters.

/// The decoded, normalized text of a file.
struct DecodedText {
    /// Valid UTF-8; lines end in LF, are trimmed, and have single spaces.
    var utf8: [UInt8]
    /// One of "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1256".
    var encoding: String
    var warnings: [String]
    var letters: LetterCounts
}

enum TextDecoder {
    static func decode(_ bytes: [UInt8]) throws(ArticleParseError) -> DecodedText {
        guard !bytes.isEmpty else { throw .empty }
        let n = bytes.count
        if n >= 4, bytes[0] == 0xFF, bytes[1] == 0xFE, bytes[2] == 0, bytes[3] == 0 {
            throw .undecodable("it is UTF-32, which is not supported; save it as UTF-8")
        }
        if n >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 0xFE, bytes[3] == 0xFF {
            throw .undecodable("it is UTF-32, which is not supported; save it as UTF-8")
        }
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return try decodeUTF8OrLegacy(bytes, from: 3, encoding: "utf-8-bom", allowLegacy: false)
        }
        if n >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return try decodeUTF16(bytes, from: 2, littleEndian: true, warnings: [])
        }
        if n >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return try decodeUTF16(bytes, from: 2, littleEndian: false, warnings: [])
        }
        if let format = BinarySignature.identify(bytes) { throw .binary("it looks like \(format)") }

        var nul = 0
        var control = 0
        for b in bytes {
            if b < 0x20 {
                if b == 0 { nul += 1 } else if b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x0B && b != 0x1A {
                    control += 1
                }
            } else if b == 0x7F { control += 1 }
        }
        if nul * 20 > n, let littleEndian = utf16WithoutMark(bytes) {
            return try decodeUTF16(bytes, from: 0, littleEndian: littleEndian,
                                   warnings: ["The file has no byte-order mark; it was read as UTF-16\(littleEndian ? "LE" : "BE")."])
        }
        if nul * 50 > n { throw .binary("it contains \(nul) NUL bytes in \(n)") }
        if control > 2 && control * 50 > n { throw .binary("it contains \(control) control bytes in \(n)") }
        return try decodeUTF8OrLegacy(bytes, from: 0, encoding: "utf-8", allowLegacy: true)
    }

    /// UTF-8, falling back to Windows-1256 when the bytes are not UTF-8 but read as Arabic.
    private static func decodeUTF8OrLegacy(_ bytes: [UInt8], from start: Int, encoding: String,
                                           allowLegacy: Bool) throws(ArticleParseError) -> DecodedText {
        var norm = TextNormalizer(capacity: bytes.count - start + 16)
        if let badOffset = norm.pushUTF8(bytes, from: start) {
            guard allowLegacy else {
                throw .undecodable("it has a UTF-8 byte-order mark but invalid UTF-8 at byte \(badOffset)")
            }
            var legacy = TextNormalizer(capacity: bytes.count * 2)
            var arabic = 0
            var high = 0
            for b in bytes[start...] {
                if b < 0x80 { legacy.push(UInt32(b)); continue }
                high += 1
                let s = Windows1256.table[Int(b) - 0x80]
                if ScalarClass.isArabicLetter(s) || (0x064B...0x0652).contains(s) || s == 0x060C || s == 0x061B
                    || s == 0x061F || s == 0x00AB || s == 0x00BB || s == 0x00A0 || s == 0x200C || s == 0x0640 {
                    arabic += 1
                }
                legacy.push(s)
            }
            // Genuine cp1256 Arabic: nearly all high bytes are Arabic letters, marks or Arabic punctuation.
            guard high > 0, arabic * 10 >= high * 8, legacy.letters.arabic >= 2 else {
                throw .undecodable("it is not valid UTF-8 (first bad byte at offset \(badOffset)) and does not read as Windows-1256 Arabic either")
            }
            var warnings = ["The text was not UTF-8; it was read as Windows-1256 (Arabic)."]
            warnings += legacy.warnings()
            return DecodedText(utf8: legacy.out, encoding: "windows-1256", warnings: warnings, letters: legacy.letters)
        }
        return DecodedText(utf8: norm.out, encoding: encoding, warnings: norm.warnings(), letters: norm.letters)
    }

    private static func decodeUTF16(_ bytes: [UInt8], from start: Int, littleEndian: Bool,
                                    warnings: [String]) throws(ArticleParseError) -> DecodedText {
        var norm = TextNormalizer(capacity: bytes.count + 16)
        var warnings = warnings
        var i = start
        let n = bytes.count
        var invalid = 0
        var units = 0
        @inline(__always) func unit(_ i: Int) -> UInt32 {
            littleEndian ? UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 : UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
        }
        while i + 1 < n {
            let u = unit(i)
            i += 2
            units += 1
            if u >= 0xD800 && u < 0xDC00 {
                if i + 1 < n {
                    let lo = unit(i)
                    if lo >= 0xDC00 && lo < 0xE000 {
                        i += 2
                        norm.push(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
                        continue
                    }
                }
                invalid += 1
                norm.push(0xFFFD)
            } else if u >= 0xDC00 && u < 0xE000 {
                invalid += 1
                norm.push(0xFFFD)
            } else {
                norm.push(u)
            }
        }
        if i < n { warnings.append("The UTF-16 text has an odd number of bytes; the last byte was ignored.") }
        if invalid > 0 {
            if invalid * 100 > units { throw .undecodable("it is not valid UTF-16 (\(invalid) unpaired surrogates)") }
            warnings.append("\(invalid) invalid UTF-16 code unit(s) were replaced with U+FFFD.")
        }
        if norm.nulCount * 50 > units { throw .binary("it contains \(norm.nulCount) NUL characters in \(units)") }
        if norm.controlCount > 2 && norm.controlCount * 50 > units {
            throw .binary("it contains \(norm.controlCount) control characters in \(units)")
        }
        warnings += norm.warnings()
        return DecodedText(utf8: norm.out, encoding: littleEndian ? "utf-16le" : "utf-16be",
                           warnings: warnings, letters: norm.letters)
    }

    /// Whether mark-less bytes look like UTF-16: returns the byte order, or nil.
    ///
    /// In UTF-16 text of Arabic or Latin script, the high byte of almost every code unit is 0x00
    /// (ASCII, Latin-1) or 0x06 (Arabic), and the NUL bytes all sit on the same side of each pair.
    private static func utf16WithoutMark(_ bytes: [UInt8]) -> Bool? {
        guard bytes.count >= 8, bytes.count % 2 == 0 else { return nil }
        var evenNul = 0, oddNul = 0, evenHigh = 0, oddHigh = 0
        var i = 0
        while i + 1 < bytes.count {
            let e = bytes[i], o = bytes[i + 1]
            if e == 0 { evenNul += 1 }
            if o == 0 { oddNul += 1 }
            if e == 0 || e == 0x06 || e == 0x20 || e == 0xFE { evenHigh += 1 }
            if o == 0 || o == 0x06 || o == 0x20 || o == 0xFE { oddHigh += 1 }
            i += 2
        }
        let pairs = bytes.count / 2
        if oddHigh * 100 >= pairs * 95, evenNul * 20 < pairs, oddNul * 10 >= pairs { return true }
        if evenHigh * 100 >= pairs * 95, oddNul * 20 < pairs, evenNul * 10 >= pairs { return false }
        return nil
    }
}

/// Counts of letters by script, gathered while normalizing, for the language guess.
struct LetterCounts: Sendable {
    var arabic = 0
    /// Letters only Persian uses (پ چ ژ گ ک ی).
    var persian = 0
    /// Letters only Urdu uses (ٹ ڈ ڑ ں ھ ہ ے).
    var urdu = 0
    var latin = 0
    var hebrew = 0
    var cyrillic = 0
    var greek = 0
    var other = 0

    static func + (a: LetterCounts, b: LetterCounts) -> LetterCounts {
        LetterCounts(arabic: a.arabic + b.arabic, persian: a.persian + b.persian, urdu: a.urdu + b.urdu,
                     latin: a.latin + b.latin, hebrew: a.hebrew + b.hebrew, cyrillic: a.cyrillic + b.cyrillic,
                     greek: a.greek + b.greek, other: a.other + b.other)
    }
}

/// Builds the working text one scalar at a time.
///
/// - CR LF and lone CR, U+2028/U+2029, NEL, VT and FF become LF.
/// - Tabs, NBSP and the other Unicode spaces become a space; runs of spaces collapse to one, and
///   spaces at the start and end of lines disappear.
/// - Invisible formatting (zero-width space, BOM inside the text, bidi marks and embeddings,
///   soft hyphen) is removed; ZWNJ/ZWJ stay, as Persian spelling needs them.
/// - NUL is removed and counted; other control characters become a space and are counted.
/// - Other spaces become an ASCII space, except a no-break or thin space (U+00A0, U+2009, U+202F) right
///   after a digit, which may group a number's thousands and is kept.
struct TextNormalizer {
    var out: [UInt8]
    private var pendingSpace = false
    private var atLineStart = true
    private var lastWasCR = false
    private(set) var nulCount = 0
    private(set) var controlCount = 0
    var letters = LetterCounts()

    init(capacity: Int) {
        out = []
        out.reserveCapacity(capacity)
    }

    func warnings() -> [String] {
        var w: [String] = []
        if nulCount > 0 { w.append("\(nulCount) stray NUL byte(s) were removed.") }
        if controlCount > 0 { w.append("\(controlCount) control character(s) were replaced with spaces.") }
        return w
    }

    @inline(__always)
    private mutating func newline() {
        pendingSpace = false
        atLineStart = true
        out.append(0x0A)
    }

    @inline(__always)
    private mutating func space() {
        if !atLineStart { pendingSpace = true }
    }

    /// Whether the text so far ends with a decimal digit: ASCII, Arabic-Indic (U+0660–0669) or Extended
    /// Arabic-Indic (U+06F0–06F9), read from the last UTF-8 bytes.
    private var endsWithDigit: Bool {
        guard let last = out.last else { return false }
        if (0x30...0x39).contains(last) { return true }
        guard out.count >= 2 else { return false }
        let lead = out[out.count - 2]
        return (lead == 0xD9 && (0xA0...0xA9).contains(last)) || (lead == 0xDB && (0xB0...0xB9).contains(last))
    }

    @inline(__always)
    private mutating func visible(_ s: UInt32) {
        if pendingSpace { out.append(0x20); pendingSpace = false }
        atLineStart = false
        appendUTF8(s, to: &out)
    }

    /// Adds one scalar.
    @inline(__always)
    mutating func push(_ s: UInt32) {
        if s == 0x0A {
            if lastWasCR { lastWasCR = false; return }
            newline(); return
        }
        lastWasCR = false
        if s < 0x80 {
            if s > 0x20 && s != 0x7F {
                if s >= 0x41 {
                    if (0x41...0x5A).contains(s) || (0x61...0x7A).contains(s) { letters.latin += 1 }
                }
                visible(s)
                return
            }
            switch s {
            case 0x20, 0x09: space()
            case 0x0D: newline(); lastWasCR = true
            case 0x0B, 0x0C: newline()
            case 0x00: nulCount += 1
            default: controlCount += 1; space()
            }
            return
        }
        switch s {
        case 0x0621...0x064A, 0x066E...0x06D3:
            letters.arabic += 1
            switch s {
            case 0x067E, 0x0686, 0x0698, 0x06AF, 0x06A9, 0x06CC: letters.persian += 1
            case 0x0679, 0x0688, 0x0691, 0x06BA, 0x06BE, 0x06C1, 0x06D2, 0x06D3: letters.urdu += 1
            default: break
            }
            visible(s)
        case 0x80...0x9F:
            if s == 0x85 { newline() } else { controlCount += 1; space() }
        case 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
            // A no-break or thin space after a digit may group thousands (1 350): it is kept for the analyzer,
            // which reads it inside a number or as a space (see ArabicTokenizer).
            if (s == 0xA0 || s == 0x2009 || s == 0x202F) && !pendingSpace && endsWithDigit { visible(s) } else { space() }
        case 0x2028, 0x2029: newline()
        case 0xAD, 0x200B, 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
            break
        default:
            if ScalarClass.isArabicLetter(s) { letters.arabic += 1 }
            else if ScalarClass.isLatinLetter(s) { letters.latin += 1 }
            else if (0x05D0...0x05EA).contains(s) { letters.hebrew += 1 }
            else if (0x0400...0x04FF).contains(s) { letters.cyrillic += 1 }
            else if (0x0370...0x03FF).contains(s) { letters.greek += 1 }
            else if s >= 0x0900 && ScalarClass.isWordScalar(s) && !(0xE000...0xF8FF).contains(s) { letters.other += 1 }
            visible(s)
        }
    }

    /// Adds UTF-8 bytes, validating them. Returns the offset of the first invalid byte, or nil.
    ///
    /// Rejects overlong forms, surrogates and values above U+10FFFF, like `String(validating:)`.
    mutating func pushUTF8(_ b: [UInt8], from start: Int) -> Int? {
        var i = start
        let n = b.count
        while i < n {
            let b0 = b[i]
            if b0 < 0x80 {
                // Fast path for printable ASCII that is not a space: copy straight through.
                if b0 > 0x20 && b0 != 0x7F && !lastWasCR {
                    if pendingSpace { out.append(0x20); pendingSpace = false }
                    atLineStart = false
                    if (0x41...0x5A).contains(b0) || (0x61...0x7A).contains(b0) { letters.latin += 1 }
                    out.append(b0)
                } else {
                    push(UInt32(b0))
                }
                i += 1
                continue
            }
            if b0 < 0xC2 { return i }
            if b0 < 0xE0 {
                guard i + 1 < n, b[i + 1] & 0xC0 == 0x80 else { return i }
                let s = (UInt32(b0 & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F)
                // Arabic letters (D8 A1 … D9 8A) are the bulk of the text: copy them straight through.
                if (0x0621...0x064A).contains(s), !lastWasCR {
                    if pendingSpace { out.append(0x20); pendingSpace = false }
                    atLineStart = false
                    letters.arabic += 1
                    out.append(b0)
                    out.append(b[i + 1])
                } else {
                    push(s)
                }
                i += 2
                continue
            }
            if b0 < 0xF0 {
                guard i + 2 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 else { return i }
                if b0 == 0xE0 && b[i + 1] < 0xA0 { return i }
                if b0 == 0xED && b[i + 1] >= 0xA0 { return i }
                push((UInt32(b0 & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F))
                i += 3
                continue
            }
            guard b0 < 0xF5, i + 3 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80,
                  b[i + 3] & 0xC0 == 0x80 else { return i }
            if b0 == 0xF0 && b[i + 1] < 0x90 { return i }
            if b0 == 0xF4 && b[i + 1] >= 0x90 { return i }
            push((UInt32(b0 & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12) | (UInt32(b[i + 2] & 0x3F) << 6)
                    | UInt32(b[i + 3] & 0x3F))
            i += 4
        }
        return nil
    }

    /// Adds the scalars of a Swift string (already valid).
    mutating func push(_ s: String) {
        for u in s.unicodeScalars { push(u.value) }
    }
}

/// Magic numbers of common binary formats, so the error can say what the file is.
enum BinarySignature {
    static func identify(_ b: [UInt8]) -> String? {
        func starts(_ p: [UInt8], at offset: Int = 0) -> Bool {
            guard b.count >= offset + p.count else { return false }
            for (k, v) in p.enumerated() where b[offset + k] != v { return false }
            return true
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "a PNG image" }
        if starts([0xFF, 0xD8, 0xFF]) { return "a JPEG image" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "a GIF image" }
        if starts(Array("%PDF-".utf8)) { return "a PDF document" }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
            return "a ZIP archive (or a DOCX/EPUB/ODT document)"
        }
        if starts([0x1F, 0x8B]) { return "gzip-compressed data" }
        if starts([0x7F, 0x45, 0x4C, 0x46]) { return "an ELF executable" }
        if starts(Array("SQLite format 3".utf8) + [0]) { return "an SQLite database" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "a WebP image" }
        if starts(Array("ftyp".utf8), at: 4) { return "an MP4/QuickTime media file" }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "an old Microsoft Office document" }
        if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return "a 7-Zip archive" }
        if starts(Array("Rar!".utf8) + [0x1A, 0x07]) { return "a RAR archive" }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz-compressed data" }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return "zstd-compressed data" }
        if starts([0x00, 0x61, 0x73, 0x6D]) { return "a WebAssembly module" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "a TIFF image" }
        if starts(Array("ID3".utf8)) { return "an MP3 audio file" }
        if starts(Array("OggS".utf8)) { return "an Ogg media file" }
        if starts([0xCA, 0xFE, 0xBA, 0xBE]) || starts([0xCF, 0xFA, 0xED, 0xFE]) { return "a Mach-O or Java class file" }
        return nil
    }
}

extension ArticleParser {
    /// The text of a file as the parser reads it: any encoding it accepts (UTF-8 with or without a byte-order
    /// mark, UTF-16, Windows-1256), as UTF-8 with LF line ends. Throws what ``parse(_:format:contentSHA256:)`` would for bytes that are
    /// not text.
    public static func decodedText(_ bytes: [UInt8]) throws(ArticleParseError) -> String {
        String(decoding: try TextDecoder.decode(bytes).utf8, as: UTF8.self)
    }
}
