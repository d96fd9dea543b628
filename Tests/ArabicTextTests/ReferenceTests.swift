@testable import ArabicText
import Foundation
import Testing

/// A deliberately naive analyzer written from the specification, with none of the real one's
/// machinery: Foundation's NFKC on the whole text, `Unicode.Scalar.Properties` for every scalar,
/// arrays of scalars, and light10 transcribed from Lucene's Java. The fast byte-level analyzer
/// must produce the same terms on any text.
enum ReferenceAnalyzer {
    static func isJoiner(_ s: Unicode.Scalar) -> Bool {
        [0x200C, 0x200D, 0x200E, 0x200F, 0x061C].contains(s.value)
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.properties.generalCategory == .decimalNumber }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
            !isJoiner(s)
        default: false
        }
    }

    /// The number separators as written, each with a private-use stand-in that NFKC leaves alone
    /// (NFKC would make the no-break spaces plain spaces), and its role.
    static let numberSeparators: [(scalar: Unicode.Scalar, standIn: Unicode.Scalar, role: String)] = [
        (".", "\u{E000}", "decimal"), ("\u{066B}", "\u{E001}", "decimal"), (",", "\u{E002}", "comma"),
        ("\u{066C}", "\u{E003}", "thousands"), ("\u{2009}", "\u{E004}", "space"),
        ("\u{202F}", "\u{E005}", "space"), ("\u{00A0}", "\u{E006}", "space"),
    ]

    static func role(_ s: Unicode.Scalar) -> String? {
        numberSeparators.first { $0.standIn == s }?.role
    }

    enum SeparatorUse { case dropped, decimal, split }

    /// What each number separator in `scalars` (stand-ins) is, by index: the spec's rule, read naively.
    static func numberSeparatorUses(_ scalars: [Unicode.Scalar]) -> [Int: SeparatorUse] {
        func digits(from k: Int) -> Int {
            var end = k
            while end < scalars.count && isDigit(scalars[end]) { end += 1 }
            return end - k
        }
        var uses: [Int: SeparatorUse] = [:]
        var k = 0
        while k < scalars.count {
            guard isDigit(scalars[k]) else { k += 1; continue }
            // The first run of a number, then each separator and the run after it.
            var previous = digits(from: k), previousWasGroup = false
            var chain: [(index: Int, decimal: Bool)] = []
            var j = k + previous
            chainLoop: while j + 1 < scalars.count, let role = role(scalars[j]) {
                let next = digits(from: j + 1)
                if next == 0 { break }
                let groups = next == 3 && (previous <= 3 || previousWasGroup)
                let decimal: Bool
                switch role {
                case "decimal": decimal = true
                case "thousands": decimal = false
                case "comma": decimal = !groups
                default:
                    if !groups { break chainLoop }
                    decimal = false
                }
                chain.append((j, decimal))
                previous = next
                previousWasGroup = !decimal
                j += 1 + next
            }
            let decimals = chain.filter(\.decimal).count
            for (index, decimal) in chain {
                uses[index] = !decimal ? .dropped : decimals == 1 ? .decimal : .split
            }
            k = j
        }
        return uses
    }

    static func tokens(_ text: String) -> [[Unicode.Scalar]] {
        let standIns = text.unicodeScalars.map { s in numberSeparators.first { $0.scalar == s }?.standIn ?? s }
        let scalars = Array(String(String.UnicodeScalarView(standIns)).precomposedStringWithCompatibilityMapping
            .unicodeScalars)
        let uses = numberSeparatorUses(scalars)
        var tokens: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func flush() {
            while let last = current.last, isJoiner(last) { current.removeLast() }
            if current.contains(where: { isWordScalar($0) && !$0.properties.generalCategory.isMark }) {
                tokens.append(current)
            }
            current = []
        }
        for (index, s) in scalars.enumerated() {
            if let use = uses[index] {
                switch use {
                case .dropped: break
                case .decimal: current.append("\u{066B}")
                case .split: flush()
                }
            } else if isWordScalar(s) {
                current.append(s)
            } else if isJoiner(s) {
                if !current.isEmpty { current.append(s) }
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    static func normalize(_ token: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for s in token {
            switch s.value {
            case 0x0622, 0x0623, 0x0625, 0x0671: result.append("\u{0627}")
            case 0x0649, 0x06CC: result.append("\u{064A}")
            case 0x0629: result.append("\u{0647}")
            case 0x06A9: result.append("\u{0643}")
            case 0x0640, 0x064B...0x0652, 0x0670: break
            case _ where isJoiner(s): break
            case 0x0130: result.append("i")
            default:
                if isDigit(s), let value = s.properties.numericValue {
                    result.append(Unicode.Scalar(UInt8(48 + Int(value))))
                } else {
                    result += s.properties.lowercaseMapping.unicodeScalars
                }
            }
        }
        return result
    }

    /// Lucene's ArabicStemmer.stem, transcribed.
    static func stem(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var s = word.map { String($0).utf16.count == 1 ? [$0] : [$0, $0] }.flatMap { $0 }  // UTF-16 lengths
        let prefixes = ["ال", "وال", "بال", "كال", "فال", "لل", "و"].map { Array($0.unicodeScalars) }
        let suffixes = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"].map { Array($0.unicodeScalars) }
        for prefix in prefixes {
            if prefix.count == 1 && s.count < 4 { continue }
            if s.count < prefix.count + 2 { continue }
            if Array(s.prefix(prefix.count)) == prefix { s.removeFirst(prefix.count); break }
        }
        for suffix in suffixes where s.count >= suffix.count + 2 && Array(s.suffix(suffix.count)) == suffix {
            s.removeLast(suffix.count)
        }
        // Undo the UTF-16 doubling of scalars outside the BMP.
        var result: [Unicode.Scalar] = []
        var index = 0
        while index < s.count {
            result.append(s[index])
            index += String(s[index]).utf16.count
        }
        return result
    }

    static func indexText(_ text: String) -> String {
        tokens(text).map(normalize).filter { !$0.isEmpty }
            .filter { !ArabicStopWords.default.contains(String(String.UnicodeScalarView($0))) }
            .map { String(String.UnicodeScalarView(stem($0))) }
            .joined(separator: " ")
    }
}

extension Unicode.GeneralCategory {
    var isMark: Bool { self == .nonspacingMark || self == .spacingMark || self == .enclosingMark }
}

/// A reproducible pseudo-random generator (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Against a naive reference")
struct ReferenceTests {
    static let seedTexts: [String] = {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().compactMap {
            try? String(contentsOf: seeds.appendingPathComponent($0), encoding: .utf8)
        }
    }()

    /// Scalars chosen to hit every branch: Arabic letters and each folded variant, harakat,
    /// tatweel, joiners, number separators, digits of several scripts, Latin of every UTF-8
    /// length, presentation forms, composable and reorderable marks, emoji, punctuation.
    ///
    /// Not ǅ (U+01C5): Foundation's NFKC on Linux gets ǅ + U+0323 wrong (it leaves "Dž" + U+0323
    /// where NFKC gives "D" + ẓ + U+030C, as Python's unicodedata does), and the reference would be wrong.
    static let palette: [String] = [
        "ا", "ل", "و", "ب", "ك", "ف", "ه", "ن", "ت", "ي", "ة", "م", "س", "ع", "ح",
        "أ", "إ", "آ", "ى", "ٱ", "ی", "ک", "ؤ", "ئ", "\u{0654}", "\u{0655}", "\u{0653}",
        "\u{064B}", "\u{064E}", "\u{0651}", "\u{0652}", "\u{0670}", "\u{0656}", "\u{0657}", "ـ",
        "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{061C}", "٫", "٬",
        "٠", "٣", "۴", "1", "२", "１", "²",
        "A", "z", "É", "ß", "İ", "Σ", "Ж", "Ẽ", "Ⅻ", "\u{0301}", "\u{0323}", "e",
        "ﻻ", "ﺍ", "ﻟ", "ﷲ", "ﷺ", "ﺔ", "ﻯ", "ﭐ", "ﬁ",
        " ", " ", " ", "،", ".", "-", "«", "\u{00A0}", "👋", "𝐀", "★", "\n",
        ",", "\u{2009}", "\u{202F}", "．", "…",
    ]

    /// Numbers and what surrounds them: digits that NFKC keeps or changes, every number separator,
    /// look-alikes that are none, letters, marks, joiners and spaces.
    static let numberPalette: [String] = [
        "1", "2", "3", "٤", "٥", "۶", "۷", "१", "１", "²", "1", "22", "333", "4444", "٥٥٥", "٦٦",
        ".", ".", ",", ",", "٫", "٬", "\u{2009}", "\u{202F}", "\u{00A0}", "．", "，",
        "ب", "x", "ﻻ", "\u{0651}", "\u{0301}", "\u{200F}", "\u{200C}", " ", "%", "-",
    ]

    static func randomText(seed: UInt64, length: Int, palette: [String] = palette) -> String {
        var generator = SplitMix64(state: seed)
        return (0..<length).map { _ in palette.randomElement(using: &generator)! }.joined()
    }

    @Test("The seed articles give the reference's terms")
    func seeds() {
        #expect(!Self.seedTexts.isEmpty, "no seeds/*.txt found next to the package")
        let analyzer = ArabicAnalyzer()
        for text in Self.seedTexts {
            expectExact(analyzer.indexText(text), ReferenceAnalyzer.indexText(text))
        }
    }

    @Test("Random texts give the reference's terms", arguments: 0..<40)
    func randomTexts(_ seed: Int) {
        let text = Self.randomText(seed: UInt64(seed), length: 400)
        expectExact(ArabicAnalyzer().indexText(text), ReferenceAnalyzer.indexText(text), "seed \(seed)")
    }

    @Test("Random texts full of numbers give the reference's terms", arguments: 0..<40)
    func randomNumbers(_ seed: Int) {
        let text = Self.randomText(seed: UInt64(seed), length: 300, palette: Self.numberPalette)
        expectExact(ArabicAnalyzer().indexText(text), ReferenceAnalyzer.indexText(text), "seed \(seed)")
        let tokenizer = ArabicTokenizer()
        expectExact(tokenizer.tokens(in: text).map(\.text),
                    ReferenceAnalyzer.tokens(text).map { String(String.UnicodeScalarView($0)) }, "seed \(seed)")
    }

    @Test("tokens(in:), term(for:) and indexText agree, and every range holds the token", arguments: 0..<60)
    func consistency(_ seed: Int) {
        let analyzer = ArabicAnalyzer()
        let text = seed < Self.seedTexts.count ? Self.seedTexts[seed]
            : seed < 40 ? Self.randomText(seed: UInt64(seed), length: 400)
            : Self.randomText(seed: UInt64(seed), length: 300, palette: Self.numberPalette)
        let tokens = analyzer.tokens(in: text)
        expectExact(tokens.filter { !$0.isStopWord }.map(\.term).joined(separator: " "), analyzer.indexText(text))
        var previousStart = 0
        for token in tokens {
            #expect(token.utf8Range.lowerBound >= previousStart && !token.utf8Range.isEmpty)
            previousStart = token.utf8Range.lowerBound
            let original = substring(text, utf8: token.utf8Range)
            let retokenized = analyzer.tokens(in: original)
            if retokenized.count == 1 {
                expectExact(analyzer.normalize(original), token.normalized, "at \(token.utf8Range)")
                expectExact(analyzer.term(for: original), token.isStopWord ? nil : token.term, "at \(token.utf8Range)")
            } else {
                // A ligature that is several words (ﷺ): each token carries the ligature's range.
                #expect(retokenized.contains { $0.normalized == token.normalized }, "at \(token.utf8Range)")
            }
        }
    }

    @Test("The NFKC table agrees with Foundation on the presentation forms and the rest of the BMP")
    func compatibilityTable() {
        let tables = UnicodeTables.shared
        var mismatches: [String] = []
        for value in UInt32(0xA0)..<0x1_0000 {
            guard let scalar = Unicode.Scalar(value), scalar.properties.age != nil else { continue }
            let foundation = String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars.map(\.value)
            let ours = tables.compatibilityMapping(value) ?? [value]
            if foundation != ours { mismatches.append(String(format: "U+%04X", value)) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(20))")
    }
}
