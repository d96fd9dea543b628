import Testing
import Articles

@Test func emptyFileIsAnError() {
    #expect(throws: ArticleParseError.empty) { try ArticleParser().parse([], format: .text) }
}
