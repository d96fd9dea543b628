import ArabicText

/// One analyzed term, seen as bytes: what the fingerprint and the story profile need to know of it.
struct TermFacts {
    /// FNV-1a (64 bits) of the term's UTF-8 bytes.
    var hash: UInt64
    /// Unicode scalars in the term.
    var scalars: Int
    /// Digits only (any script's digits, and the decimal separator `٫` that the analyzer writes between them).
    var isNumber: Bool
    /// Digits in the term.
    var digits: Int
    /// A number from 1900 to 2099 written with four ASCII or Arabic-Indic digits: a year, shared by every
    /// article of that year.
    var isYear: Bool
    /// Where the term starts in the text's UTF-8.
    var offset: Int
}

/// Walks the terms of an analyzed text (``ArabicText/ArabicAnalyzer/indexText(_:)``: terms joined by single
/// spaces) without making a `String` per term.
enum TermStream {
    static func forEach(_ text: String, _ body: (TermFacts) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let n = bytes.count
            var i = 0
            while i < n {
                while i < n && bytes[i] == 0x20 { i += 1 }
                if i == n { break }
                let start = i
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                var scalars = 0
                var digits = 0
                var others = 0
                var year = 0
                var yearDigits = 0
                while i < n && bytes[i] != 0x20 {
                    // The analyzer's output is valid UTF-8, what `UTF8Scalars.decode` reads.
                    let (scalar, width) = UTF8Scalars.decode(base, i)
                    let end = min(n, i + width)
                    while i < end { hash = (hash ^ UInt64(bytes[i])) &* 0x100_0000_01b3; i += 1 }
                    scalars += 1
                    if let d = digitValue(scalar) {
                        digits += 1
                        year = year * 10 + d
                        yearDigits += 1
                    } else if scalar != 0x066B {
                        others += 1
                    }
                }
                let isNumber = digits > 0 && others == 0
                body(TermFacts(hash: hash, scalars: scalars, isNumber: isNumber, digits: digits,
                               isYear: isNumber && yearDigits == 4 && digits == scalars && (1900...2099).contains(year),
                               offset: start))
            }
        }
    }

    /// The value of an ASCII, Arabic-Indic or Extended Arabic-Indic digit.
    static func digitValue(_ scalar: UInt32) -> Int? {
        switch scalar {
        case 0x30...0x39: Int(scalar - 0x30)
        case 0x0660...0x0669: Int(scalar - 0x0660)
        case 0x06F0...0x06F9: Int(scalar - 0x06F0)
        default: nil
        }
    }
}
