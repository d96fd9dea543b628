import Foundation
import Testing
@testable import Articles

/// Randomized robustness: random bytes and random mutations of the seeds, with a fixed seed so a
/// failure repeats exactly. The parser must never crash, and must either throw an
/// `ArticleParseError` (typed throws guarantee the type) or return an article with a title.
@Suite struct RandomizedTests {
    /// Fragments that exercise the classifier's and extractors' special cases.
    static let fragments: [String] = [
        "\"", "“", "”", "«", "»", "/ رويترز", "(@handle)", "— ", "- ", "• ", "تم النشر: ", "تم التحديث: ",
        "2024/01/25", "الساعة 15:41", "بتوقيت غرينتش", "كانون الأول", "ديسمبر/", "عام 2014", "قال", "إن", ":",
        "\n", "\r\n", "\u{00A0}", "\u{0000}", "٢٠٢٤", "صورة ", "تحميل المزيد", "اقرأ أيضا", "# ", "![", "](", "[",
        "]", "{", "}", "\\u", "**", "_", "\u{FEFF}", "\u{200F}", "وكان", "قد أكد", "مضيفا أن", "في بيان",
    ]

    static func check(_ bytes: [UInt8], _ format: ArticleFormat, _ what: String) {
        do {
            let a = try ArticleParser().parse(bytes, format: format, contentSHA256: sha256Hex(bytes))
            #expect(!a.title.isEmpty, "\(what): empty title")
            #expect(a.contentSHA256.utf8.count == 64, "the hash given is carried into the article")
            #expect(["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1256"].contains(a.encoding))
            for q in a.quotes { #expect(!q.text.isEmpty, "\(what): empty quote") }
        } catch {
            #expect(!error.description.isEmpty)
        }
    }

    @Test func randomByteStrings() {
        var rng = SeededRandom(seed: 0xA17C_1E5)
        let arabic = Array("قال المتحدث باسم الحكومة إن “الحوار” مستمر منذ 25 يناير 2024 / رويترز\n- «".utf8)
        for round in 0..<1500 {
            let length = Int.random(in: 0...300, using: &rng)
            var bytes: [UInt8] = []
            switch round % 3 {
            case 0: bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1: bytes = (0..<length).map { _ in arabic[Int.random(in: 0..<arabic.count, using: &rng)] }
            default:
                var s = ""
                for _ in 0..<(length / 8) { s += Self.fragments.randomElement(using: &rng)! }
                bytes = Array(s.utf8)
            }
            for format in ArticleFormat.allCases { Self.check(bytes, format, "random #\(round) \(format)") }
        }
    }

    @Test(arguments: Fixtures.seedNames)
    func mutatedSeeds(_ name: String) throws {
        let seed = try Fixtures.seed(name)
        var rng = SeededRandom(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
        for round in 0..<150 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                guard !bytes.isEmpty else { break }
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.insert(contentsOf: Array(Self.fragments.randomElement(using: &rng)!.utf8), at: at)
                case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...200, using: &rng)))
                case 3: bytes = Array(bytes[..<at])
                case 4:
                    let end = min(bytes.count, at + Int.random(in: 1...400, using: &rng))
                    bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &rng))
                default: bytes.swapAt(at, Int.random(in: 0..<bytes.count, using: &rng))
                }
            }
            let format = ArticleFormat.allCases[round % 3]
            Self.check(bytes, format, "\(name) mutation #\(round) \(format)")
            if round % 10 == 0 { Self.check(bytes, .text, "\(name) mutation #\(round) text") }
        }
    }
}
