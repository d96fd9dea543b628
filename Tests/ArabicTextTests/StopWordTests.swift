import ArabicText
import Testing

@Suite("ArabicStopWords")
struct StopWordTests {
    @Test("Lucene's list: 119 distinct words")
    func luceneList() {
        #expect(ArabicStopWords.luceneList.count == 119)
        #expect(Set(ArabicStopWords.luceneList).count == 119)
        #expect(ArabicStopWords.lucene.count == 119)
        // Lucene's list spells the hamza forms separately; normalized, they collapse.
        #expect(ArabicStopWords.default.count == 88)
    }

    @Test("The default set holds normalized words")
    func normalizedSet() {
        #expect(ArabicStopWords.default.contains("ان"))
        #expect(ArabicStopWords.default.contains("الي"))
        #expect(ArabicStopWords.default.contains("الان"))
        #expect(!ArabicStopWords.default.contains("أن"))
        #expect(ArabicStopWords.lucene.contains("أن"))
        #expect(ArabicStopWords.none.count == 0)
    }

    @Test("The default analyzer catches spellings Lucene's list misses; the Lucene one does not")
    func matchedAfterNormalization() {
        let text = "إنّ الحكومة"
        let defaultTokens = ArabicAnalyzer().tokens(in: text)
        #expect(defaultTokens.map(\.isStopWord) == [true, false])
        expectExact(defaultTokens[0].normalized, "ان")

        let lucene = ArabicAnalyzer(configuration: .luceneCompatible)
        #expect(lucene.tokens(in: text).map(\.isStopWord) == [false, false])
        expectExact(lucene.indexText(text), "ان حكوم")
        expectExact(ArabicAnalyzer().indexText(text), "حكوم")
    }

    @Test("Custom lists, verbatim or normalized")
    func customLists() {
        let verbatim = ArabicStopWords(["The", "أيضاً"], normalizedBy: nil)
        #expect(verbatim.contains("The"))
        #expect(verbatim.contains("أيضاً"))
        let normalized = ArabicStopWords(["The", "أيضاً"])
        #expect(normalized.words == ["the", "ايضا"])
        let analyzer = ArabicAnalyzer(configuration: .init(stopWords: normalized))
        expectExact(analyzer.indexText("THE news ايضاً"), "news")
    }

    @Test("Words longer than 16 bytes work in a custom list")
    func longWords() {
        let analyzer = ArabicAnalyzer(configuration: .init(stopWords: ArabicStopWords(["ومستقبلياتهما", "x"])))
        expectExact(analyzer.indexText("ومستقبلياتهما x y"), "y")
    }
}
