import Foundation
import Testing
@testable import Articles

/// Real bytes in every encoding the parser reads, and the normalizations it applies.
@Suite struct EncodingTests {
    let text = "العراق يعلن اتفاقا مع أمريكا\nقال المتحدث باسم الحكومة إن “المهمة ستنتهي خلال فترة الحكومة الحالية”.\nوشاركت دول كثيرة في التحالف."

    func utf16(_ s: String, littleEndian: Bool, bom: Bool = true) -> [UInt8] {
        var out: [UInt8] = bom ? (littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]) : []
        for u in s.utf16 {
            let lo = UInt8(u & 0xFF), hi = UInt8(u >> 8)
            out += littleEndian ? [lo, hi] : [hi, lo]
        }
        return out
    }

    func parse(_ bytes: [UInt8]) throws -> Article { try ArticleParser().parse(bytes, format: .text) }

    @Test func utf8Plain() throws {
        let a = try parse(Array(text.utf8))
        #expect(a.encoding == "utf-8")
        #expect(a.title == "العراق يعلن اتفاقا مع أمريكا")
        #expect(a.quotes.first?.speaker == "المتحدث باسم الحكومة")
        #expect(a.language == "ar")
        #expect(a.warnings.isEmpty)
    }

    @Test func utf8WithBOM() throws {
        let plain = try parse(Array(text.utf8))
        let a = try parse([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(a.encoding == "utf-8-bom")
        #expect(a.title == plain.title && a.lead == plain.lead && a.paragraphs == plain.paragraphs)
    }

    @Test(arguments: [true, false])
    func utf16WithBOM(littleEndian: Bool) throws {
        let plain = try parse(Array(text.utf8))
        let a = try parse(utf16(text + " 😀", littleEndian: littleEndian))
        #expect(a.encoding == (littleEndian ? "utf-16le" : "utf-16be"))
        #expect(a.title == plain.title)
        #expect(a.lead == plain.lead)
        #expect(a.paragraphs == [plain.paragraphs[0] + " 😀"])
        #expect(a.quotes == plain.quotes)
    }

    @Test func utf16WithoutBOMIsRecognizedWithWarning() throws {
        let a = try parse(utf16(text, littleEndian: true, bom: false))
        #expect(a.encoding == "utf-16le")
        #expect(a.warnings.contains { $0.contains("byte-order mark") })
    }

    @Test func windows1256() throws {
        let bytes = Windows1256.encode(text.replacingOccurrences(of: "“", with: "\"").replacingOccurrences(of: "”", with: "\""))
        #expect(String(validating: bytes, as: UTF8.self) == nil, "the test bytes must not be valid UTF-8")
        let a = try parse(bytes)
        #expect(a.encoding == "windows-1256")
        #expect(a.title == "العراق يعلن اتفاقا مع أمريكا")
        #expect(a.quotes == [Quote(text: "المهمة ستنتهي خلال فترة الحكومة الحالية", speaker: "المتحدث باسم الحكومة")])
        #expect(a.warnings.contains { $0.contains("Windows-1256") })
    }

    @Test func windows1256TableMatchesTheOfficialMapping() {
        // Spot checks against unicode.org's CP1256.TXT.
        #expect(Windows1256.table[0xC7 - 0x80] == 0x0627)  // ا
        #expect(Windows1256.table[0xE1 - 0x80] == 0x0644)  // ل
        #expect(Windows1256.table[0xA1 - 0x80] == 0x060C)  // ،
        #expect(Windows1256.table[0xBF - 0x80] == 0x061F)  // ؟
        #expect(Windows1256.table[0x81 - 0x80] == 0x067E)  // پ
        #expect(Windows1256.table[0xFF - 0x80] == 0x06D2)  // ے
        #expect(Windows1256.table.count == 128)
    }

    @Test func crlfAndCRAreLineEnds() throws {
        let lf = try parse(Array(text.utf8))
        let crlf = try parse(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        let cr = try parse(Array(text.replacingOccurrences(of: "\n", with: "\r").utf8))
        for a in [crlf, cr] {
            #expect(a.title == lf.title && a.lead == lf.lead && a.paragraphs == lf.paragraphs)
        }
    }

    @Test func unicodeSpacesBecomeOneSpace() throws {
        let spaced = "\u{00A0}العراق\u{2003}يعلن\u{202F}\u{200B}اتفاقا\u{00A0}\u{00A0}مع\tأمريكا\u{00A0}\n\u{200F}قال المتحدث إن\u{3000}الحكومة باقية."
        let a = try parse(Array(spaced.utf8))
        #expect(a.title == "العراق يعلن اتفاقا مع أمريكا")
        #expect(a.lead == "قال المتحدث إن الحكومة باقية.")
    }

    @Test func strayNULsAreStrippedWithWarning() throws {
        var bytes = Array(text.utf8)
        bytes.insert(0, at: 10)
        bytes.insert(0, at: 40)
        let a = try parse(bytes)
        #expect(a.title == "العراق يعلن اتفاقا مع أمريكا")
        #expect(a.warnings.contains { $0.contains("NUL") })
    }

    @Test func twoMegabyteSingleLineIsLinear() throws {
        let sentence = "وقال المتحدث باسم الحكومة إن \"الحوار مستمر منذ 25 يناير/كانون الثاني 2024 في بغداد\"، مضيفا أن «الاتفاق قريب»/ رويترز "
        var line = ""
        line.reserveCapacity(2_100_000)
        while line.utf8.count < 2_000_000 { line += sentence }
        let bytes = Array(("عنوان\n" + line).utf8)
        let clock = ContinuousClock()
        var article: Article?
        let elapsed = clock.measure { article = try? ArticleParser().parse(bytes, format: .text) }
        let a = try #require(article)
        #expect(a.lead.utf8.count > 100)
        #expect(a.quotes.count == 2, "each repeated quote is listed once")
        #expect(a.datesMentioned == [DateMention(date: "2024-01-25", phrase: "25 يناير/كانون الثاني 2024")])
        // Loose bound: a debug build parses this in well under a second on one core; quadratic
        // behaviour would take minutes.
        #expect(elapsed < .seconds(20), "2 MB line took \(elapsed)")

        // One line with no spaces at all, and one of only quotation marks.
        let noSpaces = Array(("عنوان\n" + String(repeating: "ب", count: 1_000_000)).utf8)
        let e1 = clock.measure { #expect(Fixtures.error(noSpaces) == nil) }
        #expect(e1 < .seconds(20))
        let marks = Array(("عنوان\n" + String(repeating: "\"«“", count: 300_000)).utf8)
        let e2 = clock.measure { _ = try? ArticleParser().parse(marks, format: .text) }
        #expect(e2 < .seconds(20))
    }
}

/// Inputs built to defeat a naive implementation: each 1 MB pattern must parse in linear time.
@Suite struct PathologicalInputTests {
    static let patterns: [(String, String)] = [
        ("quotes without verbs", "“كلمة أخرى هنا أيضا” "),
        ("speech verbs", "قال قال وأضاف مضيفا أن "),
        ("qad constructions", "وكان قد أكد أما فقد لفت "),
        ("open brackets", "[[[[ ![ ]( "),
        ("commas after verbs", "قال ، ، ، ، ، ، ، ، "),
        ("dates", "25 يناير/كانون الثاني/ديسمبر 2024 2024/01/25 عام 2014 "),
        ("unclosed marks", "« “ \" « "),
        ("handles", "— name (@h) (@ "),
        ("slashes", "/ رويترز / "),
    ]

    @Test(arguments: patterns.map(\.0))
    func patternIsLinear(_ name: String) {
        let unit = Self.patterns.first { $0.0 == name }!.1
        var s = "عنوان\n"
        let count = 1_000_000 / unit.utf8.count
        s.reserveCapacity(1_100_000)
        for _ in 0..<count { s += unit }
        let bytes = Array(s.utf8)
        let clock = ContinuousClock()
        for format in [ArticleFormat.text, .markdown] {
            let elapsed = clock.measure { _ = Fixtures.error(bytes, format) }
            #expect(elapsed < .seconds(20), "\(name) as \(format) took \(elapsed)")
        }
    }
}

/// Inputs that are not articles: each gets a clear error naming the reason.
@Suite struct BadInputTests {
    @Test func empty() {
        #expect(Fixtures.error([]) == .empty)
        #expect(Fixtures.error([], .json) == .empty)
    }

    @Test func whitespaceOnly() {
        #expect(Fixtures.error(Array(" \n\t \r\n\u{00A0}\n".utf8)) == .noText)
        #expect(Fixtures.error([0xEF, 0xBB, 0xBF, 0x20, 0x0A]) == .noText)
        #expect(Fixtures.error(Array("تحميل المزيد\nشارك".utf8)) == .noText)
    }

    @Test func pngWithRandomBytes() {
        var rng = SeededRandom(seed: 7)
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<4000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        guard case .binary(let why)? = Fixtures.error(bytes) else { Issue.record("expected .binary"); return }
        #expect(why.contains("PNG"))
        #expect(Fixtures.error(bytes)?.description == "not a text file (it looks like a PNG image)")
    }

    @Test func randomBytesAreRefused() {
        var rng = SeededRandom(seed: 11)
        let bytes = (0..<4000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        switch Fixtures.error(bytes) {
        case .binary?, .undecodable?: break
        default: Issue.record("random bytes must be refused")
        }
    }

    @Test func mostlyNULIsBinary() {
        let bytes = Array("عنوان الخبر".utf8) + [UInt8](repeating: 0, count: 500)
        guard case .binary(let why)? = Fixtures.error(bytes) else { Issue.record("expected .binary"); return }
        #expect(why.contains("NUL"))
    }

    @Test func latin1IsUndecodable() {
        // "Le café élève" in ISO-8859-1: invalid UTF-8, and not Arabic under cp1256.
        let bytes: [UInt8] = Array("Le caf".utf8) + [0xE9] + Array(" ".utf8) + [0xE9] + Array("l".utf8) + [0xE8] + Array("ve".utf8)
        guard case .undecodable(let why)? = Fixtures.error(bytes) else { Issue.record("expected .undecodable"); return }
        #expect(why.contains("UTF-8"))
    }

    @Test func invalidUTF8AfterBOM() {
        guard case .undecodable? = Fixtures.error([0xEF, 0xBB, 0xBF, 0x41, 0xC3, 0x28]) else {
            Issue.record("expected .undecodable"); return
        }
    }

    @Test func utf32IsNamed() {
        guard case .undecodable(let why)? = Fixtures.error([0xFF, 0xFE, 0, 0, 0x41, 0, 0, 0]) else {
            Issue.record("expected .undecodable"); return
        }
        #expect(why.contains("UTF-32"))
    }

    @Test func jsonArray() {
        #expect(Fixtures.error(Array("[{\"title\": \"x\"}]".utf8), .json) == .invalidJSON("the top level is an array, not an object"))
    }

    @Test func jsonWithoutText() {
        #expect(Fixtures.error(Array("{\"source\": \"الجزيرة\", \"url\": \"https://x\"}".utf8), .json)
                == .invalidJSON("it has neither a \"title\" nor a \"body\" or \"text\" field"))
        #expect(Fixtures.error(Array("{\"title\": 5, \"body\": \"\"}".utf8), .json) != nil)
    }

    @Test func jsonSyntaxAndDepth() {
        guard case .invalidJSON(let why)? = Fixtures.error(Array("{\"title\": \"x\",}".utf8), .json) else {
            Issue.record("expected .invalidJSON"); return
        }
        #expect(why.contains("syntax error"))
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        guard case .invalidJSON(let deepWhy)? = Fixtures.error(deep, .json) else { Issue.record("expected .invalidJSON"); return }
        #expect(deepWhy.contains("nested"))
    }

    @Test func descriptionsAreOneLine() {
        let errors: [ArticleParseError] = [.empty, .noText, .binary("x"), .undecodable("y"), .invalidJSON("z")]
        for e in errors { #expect(!e.description.contains("\n") && !e.description.isEmpty) }
    }
}
