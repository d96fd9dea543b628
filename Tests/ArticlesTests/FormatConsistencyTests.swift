import Foundation
import Testing
@testable import Articles

/// The same article as plain text, Markdown and scraper JSON gives the same structure.
@Suite struct FormatConsistencyTests {
    @Test(arguments: Fixtures.seedNames)
    func seedAsMarkdownAndJSON(_ name: String) throws {
        let bytes = try Fixtures.seed(name)
        let text = try ArticleParser().parse(bytes, format: .text)
        let source = String(decoding: bytes, as: UTF8.self)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        // Markdown: blank lines between the lines (so none are joined), headline as "# ".
        var md = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if !text.titleDerived { md[0] = "# " + md[0] }
        let fromMarkdown = try ArticleParser().parse(Array(md.joined(separator: "\n\n").utf8), format: .markdown)
        #expect(fromMarkdown.title == text.title)
        #expect(fromMarkdown.lead == text.lead)
        #expect(fromMarkdown.paragraphs == text.paragraphs)
        #expect(fromMarkdown.quotes == text.quotes)
        #expect(fromMarkdown.datesMentioned == text.datesMentioned)

        // JSON: the headline as "title", the rest as "body".
        var object: [String: String] = ["body": (text.titleDerived ? lines : Array(lines.dropFirst())).joined(separator: "\n")]
        if !text.titleDerived { object["title"] = lines[0] }
        let json = try JSONSerialization.data(withJSONObject: object)
        let fromJSON = try ArticleParser().parse([UInt8](json), format: .json)
        #expect(fromJSON.title == text.title)
        #expect(fromJSON.lead == text.lead)
        #expect(fromJSON.paragraphs == text.paragraphs)
        #expect(fromJSON.captions == text.captions)
        #expect(fromJSON.related == text.related)
        #expect(fromJSON.embeddedPosts == text.embeddedPosts)
        #expect(fromJSON.quotes == text.quotes)
        #expect(fromJSON.source == text.source)
        #expect(fromJSON.publishedAt == text.publishedAt)
    }
}
