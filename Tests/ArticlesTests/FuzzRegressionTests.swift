import Testing
@testable import Articles

/// Inputs that once broke (or nearly broke) the parser: crashes found by the libFuzzer target in
/// Tests/Fuzz, and edge cases met while writing the parser. Each must parse or throw cleanly.
///
/// To add a fuzzer crash: `xxd -i crash-<sha1>` and paste the bytes as a new entry.
@Suite struct FuzzRegressionTests {
    static let cases: [(String, [UInt8])] = [
        ("BOM only", [0xEF, 0xBB, 0xBF]),
        ("UTF-16 BOM and one odd byte", [0xFF, 0xFE, 0x41]),
        ("lone surrogates", [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00, 0x00, 0xDC]),
        ("truncated UTF-8 sequence at end", Array("عنوان\nنص".utf8) + [0xD8]),
        ("signature with empty handle", Array("— (@) December 9, 2021".utf8)),
        ("signature alone", Array("— name (@h)".utf8)),
        ("caption slash at line start", Array("/ رويترز".utf8)),
        ("caption parenthesis only", Array("عنوان\n(رويترز)".utf8)),
        ("bullet without text", Array("عنوان\n- \n-".utf8)),
        ("publication opener with colon only", Array("عنوان\nتم النشر:\nنص المقال هنا.".utf8)),
        ("date at end of input", Array("عنوان\nفي 25 يناير".utf8)),
        ("numeric date at end", Array("عنوان\n2024/01/".utf8)),
        ("time zone sign at end", Array("عنوان\nتم النشر: 2024/01/25 15:41 GMT+".utf8)),
        ("verb at end of paragraph", Array("عنوان\nوكان قد".utf8)),
        ("quote mark only", Array("عنوان\n\"".utf8)),
        ("markdown image without close", Array("![a](b".utf8)),
        ("markdown heading marks only", Array("######\n#".utf8)),
        ("markdown front matter unclosed", Array("---\ntitle: x".utf8)),
        ("json escape at end", Array("{\"title\": \"\\".utf8)),
        ("json high surrogate escape", Array("{\"title\": \"\\ud800\\u0041\"}".utf8)),
        ("json number only", Array("-".utf8)),
    ]

    @Test(arguments: cases.map(\.0))
    func parsesOrThrowsCleanly(_ name: String) {
        let bytes = Self.cases.first { $0.0 == name }!.1
        for format in ArticleFormat.allCases {
            do {
                let a = try ArticleParser().parse(bytes, format: format)
                #expect(!a.title.isEmpty, "\(name) as \(format)")
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }
}
