import Foundation
import Testing
@testable import Articles

/// The five seed articles against their reviewed expected output in Golden/.
///
/// Each golden file was checked field by field against the article text (see Golden/README.md).
/// When a field differs, the failure names the field and shows both values, and the actual
/// output is written next to the build so it can be diffed.
@Suite struct GoldenTests {
    @Test(arguments: Fixtures.seedNames)
    func seedMatchesGolden(_ name: String) throws {
        let bytes = try Fixtures.seed(name)
        let actual = try ArticleParser().parse(bytes, format: .text, contentSHA256: sha256Hex(bytes))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("marsad-golden-actual")
        try? FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Fixtures.encode(actual).write(to: out.appendingPathComponent("\(name).json"))
        guard let expected = try Fixtures.golden(name) else {
            Issue.record("no golden file for \(name); actual output written to \(out.path)/\(name).json")
            return
        }
        compare(expected, actual, name)
    }

    private func compare(_ e: Article, _ a: Article, _ name: String) {
        func check<T: Equatable>(_ field: String, _ x: T, _ y: T) {
            #expect(x == y, "\(name): \(field) differs\n expected: \(x)\n   actual: \(y)")
        }
        check("title", e.title, a.title)
        check("title_derived", e.titleDerived, a.titleDerived)
        check("lead", e.lead, a.lead)
        check("paragraphs.count", e.paragraphs.count, a.paragraphs.count)
        for (i, (x, y)) in zip(e.paragraphs, a.paragraphs).enumerated() { check("paragraphs[\(i)]", x, y) }
        check("source", e.source, a.source)
        check("published_at", e.publishedAt, a.publishedAt)
        check("updated_at", e.updatedAt, a.updatedAt)
        check("captions", e.captions, a.captions)
        check("related", e.related, a.related)
        check("embedded_posts", e.embeddedPosts, a.embeddedPosts)
        check("quotes.count", e.quotes.count, a.quotes.count)
        for (i, (x, y)) in zip(e.quotes, a.quotes).enumerated() { check("quotes[\(i)]", x, y) }
        check("dates_mentioned", e.datesMentioned, a.datesMentioned)
        check("author", e.author, a.author)
        check("url", e.url, a.url)
        check("language", e.language, a.language)
        check("encoding", e.encoding, a.encoding)
        check("content_sha256", e.contentSHA256, a.contentSHA256)
        check("warnings", e.warnings, a.warnings)
    }
}
