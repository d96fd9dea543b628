import Testing
@testable import ArticleIndex
import ArabicText

@Suite("Query syntax")
struct SearchQueryTests {
    @Test func wordsAreAnalyzedAndJoinedWithAnd() throws {
        let q = try SearchQuery("أعلن الرئيس")
        #expect(q.matchExpression.contains(" AND "))
        #expect(!q.matchExpression.contains("أ"))
    }

    @Test func phraseOrNotPrefixTitle() throws {
        let q = try SearchQuery("\"التحالف الدولي\" واشنطن OR بغداد -داعش انسحا* title:العراق")
        let e = q.matchExpression
        #expect(e.contains(" OR "))
        #expect(e.contains(" NOT "))
        #expect(e.contains("\" *"))
        #expect(e.contains("title : \""))
    }

    @Test(arguments: [
        "\"unbalanced", "OR", "واشنطن OR", "OR بغداد", "-", "NOT", "title:", "*", "ان*سحاب", "-داعش",
        "في من", "", "   ", "«مفتوح",
    ])
    func malformedQueriesGetAClearMessage(_ text: String) {
        #expect(throws: IndexError.self) { try SearchQuery(text) }
    }

    @Test(arguments: ["a:b", "(انسحاب", "NEAR(a b)", "x^y", "{title}: انسحاب", "انسحاب)", "'; DROP TABLE articles;"])
    func fts5SyntaxIsPlainText(_ text: String) throws {
        let q = try SearchQuery(text)
        // Only quoted terms, operators and column filters reach FTS5.
        let stripped = q.matchExpression.replacingOccurrences(of: "\"[^\"]*\"", with: "", options: .regularExpression)
        #expect(stripped.allSatisfy { " ()ANDORNOT*:title".contains($0) }, "\(q.matchExpression)")
    }
}
