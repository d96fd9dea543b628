import ArabicText
import Testing

/// "Numbers" in ArabicTokenizer's documentation: every way of writing one number gives one term.
@Suite("Numbers")
struct NumberTests {
    let tokenizer = ArabicTokenizer()
    let analyzer = ArabicAnalyzer()

    func texts(_ text: String) -> [String] { tokenizer.tokens(in: text).map(\.text) }
    func terms(_ text: String) -> [String] { analyzer.tokens(in: text).map(\.term) }

    /// Expects `text` to be the one term `term`, in every path, with a range over the whole text.
    func expectOneTerm(_ text: String, _ term: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectExact(terms(text), [term], "tokens(in:) of \(describe(text))", sourceLocation: sourceLocation)
        expectExact(analyzer.indexText(text), term, "indexText of \(describe(text))", sourceLocation: sourceLocation)
        expectExact(analyzer.term(for: text), term, "term(for:) of \(describe(text))", sourceLocation: sourceLocation)
        #expect(tokenizer.tokens(in: text).map(\.utf8Range) == [0..<text.utf8.count], sourceLocation: sourceLocation)
    }

    @Test("A decimal number is one term written with ٫, whatever the digits and the separator",
          arguments: ["5.4", "5,4", "٥٫٤", "۵٫۴", "5٫4", "٥.٤", "۵,۴"])
    func decimalNumbers(_ written: String) {
        expectOneTerm(written, "5٫4")
    }

    @Test("Thousands separators are dropped",
          arguments: ["1,350", "١٣٥٠", "١٬٣٥٠", "1\u{2009}350", "1\u{202F}350", "1\u{00A0}350", "۱٬۳۵۰", "1٬350"])
    func thousands(_ written: String) {
        expectOneTerm(written, "1350")
    }

    @Test("Several groups of thousands, and a decimal part after them")
    func groupsAndDecimals() {
        for written in ["1,350,000", "١٬٣٥٠٬٠٠٠", "1\u{2009}350\u{2009}000", "1,350\u{00A0}000", "1350000"] {
            expectOneTerm(written, "1350000")
        }
        for written in ["1,350.5", "١٬٣٥٠٫٥", "1\u{202F}350,5", "1350.5"] {
            expectOneTerm(written, "1350٫5")
        }
        // After a thousands separator, a run of more than three digits still groups: the first group
        // is what tells.
        expectOneTerm("1٬2345,678", "12345678")
    }

    @Test("A comma that does not group thousands is a decimal separator")
    func decimalComma() {
        expectOneTerm("12,75", "12٫75")
        expectOneTerm("1,35", "1٫35")
        expectOneTerm("1,3500", "1٫3500")
        expectOneTerm("1234,567", "1234٫567")  // a first group has at most three digits
        expectOneTerm("0,5", "0٫5")
    }

    @Test("A space groups thousands only; elsewhere it is a space")
    func spaces() {
        expectExact(texts("1\u{2009}35"), ["1", "35"])
        expectExact(texts("1\u{202F}3500"), ["1", "3500"])
        expectExact(texts("1\u{00A0}5"), ["1", "5"])
        // Two numbers side by side: 2024 is no first group of thousands.
        expectExact(texts("2024\u{00A0}350"), ["2024", "350"])
        // And between words, as before.
        expectExact(texts("كلمة\u{00A0}أخرى 5\u{2009}كلمة"), ["كلمة", "أخرى", "5", "كلمة"])
        expectExact(texts("1,350 ٥٠٠"), ["1350", "٥٠٠"])  // a plain space is never inside a number
    }

    @Test("Percentages")
    func percentages() {
        expectExact(terms("27.5%"), ["27٫5"])
        expectExact(terms("٢٧٫٥٪"), ["27٫5"])
        expectExact(terms("%27,5"), ["27٫5"])
        #expect(tokenizer.tokens(in: "27.5%").map(\.utf8Range) == [0..<4])
    }

    @Test("Several decimal separators: not a decimal number, split at each of them")
    func datesVersionsAddresses() {
        expectExact(terms("25.01.2024"), ["25", "01", "2024"])
        expectExact(terms("٢٥٫٠١٫٢٠٢٤"), ["25", "01", "2024"])
        expectExact(terms("25,01,2024"), ["25", "01", "2024"])
        expectExact(terms("1.2.3"), ["1", "2", "3"])
        let address = "192.168.0.1"
        expectExact(terms(address), ["192", "168", "0", "1"])
        #expect(tokenizer.tokens(in: address).map(\.utf8Range) == [0..<3, 4..<7, 8..<9, 10..<11])
        // Thousands separators inside are still dropped; the range of that part covers them.
        let text = "1,350.5.6"
        expectExact(terms(text), ["1350", "5", "6"])
        #expect(tokenizer.tokens(in: text).map(\.utf8Range) == [0..<5, 6..<7, 8..<9])
    }

    @Test("A separator that is not between two digits separates tokens")
    func separatorsOutsideNumbers() {
        expectExact(terms("ارتفع 5."), ["ارتفع", "5"])
        expectExact(terms("بلغ 5. وقال"), ["بلغ", "5", "قال"])
        expectExact(terms(".5"), ["5"])
        expectExact(terms("5..4 5., 4 5 .4 ,5"), ["5", "4", "5", "4", "5", "4", "5"])
        expectExact(terms("5.4. 1,350, 1.5,"), ["5٫4", "1350", "1٫5"])
        expectExact(texts("a,b a.b"), ["a", "b", "a", "b"])
        expectExact(texts("كلمة.كلمة كلمة،كلمة 5.كلمة كلمة.5"), ["كلمة", "كلمة", "كلمة", "كلمة", "5", "كلمة", "كلمة", "5"])
        // A mark or an invisible joiner next to the separator: not between two digits.
        expectExact(texts("5\u{200F}.4 5.\u{200F}4 5\u{0651}.4"), ["5", "4", "5", "4", "5\u{0651}", "4"])
    }

    @Test("A number right after letters stays in their token, as any digit does")
    func afterLetters() {
        expectExact(texts("F16.5 A1,350 v1.2.3"), ["F16٫5", "A1350", "v1", "2", "3"])
        expectExact(terms("F16.5"), ["f16٫5"])
        // و (and) written onto the number is one token, which the stemmer takes the prefix off.
        expectExact(terms("و5.4 و٥٫٤ و1,350"), ["5٫4", "5٫4", "1350"])
        // Letters after it too: 5.4 مليار written without a space.
        expectExact(texts("5.4مليار"), ["5٫4مليار"])
    }

    @Test("The tokenizer writes ٫ and drops thousands separators, and keeps the digits as written")
    func tokenizerText() {
        expectExact(texts("5.4 5,4 ٥٫٤ ۵٫۴ ١٬٣٥٠ 1,350"), ["5٫4", "5٫4", "٥٫٤", "۵٫۴", "١٣٥٠", "1350"])
    }

    @Test("Ranges point at the whole number as written")
    func ranges() {
        let text = "بلغ الدين ١٬٣٥٠٫٥ مليار و1\u{2009}350 دينار أو 5,4%"
        let tokens = tokenizer.tokens(in: text)
        expectExact(tokens.map(\.text), ["بلغ", "الدين", "١٣٥٠٫٥", "مليار", "و1350", "دينار", "أو", "5٫4"])
        expectExact(tokens.map { substring(text, utf8: $0.utf8Range) },
                    ["بلغ", "الدين", "١٬٣٥٠٫٥", "مليار", "و1\u{2009}350", "دينار", "أو", "5,4"])
        let analyzed = analyzer.tokens(in: text)
        #expect(analyzed.map(\.utf8Range) == tokens.map(\.utf8Range))
        expectExact(analyzed.map(\.term), ["بلغ", "دين", "1350٫5", "مليار", "1350", "دينار", "او", "5٫4"])
    }

    @Test("Scalars that NFKC changes: fullwidth and superscript digits are digits, look-alike separators are none")
    func compatibilityCharacters() {
        expectExact(texts("１.５ 5.² 1,35０"), ["1٫5", "5٫2", "1350"])
        // The fullwidth full stop and comma are not number separators as written.
        expectExact(texts("5．4 5，4"), ["5", "4", "5", "4"])
        expectExact(texts("1.5ﻻ 1.2.3ﻻ ﻻ1.5"), ["1٫5لا", "1", "2", "3لا", "لا1٫5"])
        let text = "١٬٣٥٠ﻻ"
        #expect(tokenizer.tokens(in: text).map(\.utf8Range) == [0..<text.utf8.count])
        // … is three full stops after NFKC, and none is a number separator.
        expectExact(texts("5…4"), ["5", "4"])
        // ⒈ (U+2488) is 1 and a full stop after NFKC, and that full stop was not written as one.
        expectExact(texts("⒈5"), ["1", "5"])
    }

    @Test("The word-at-a-time normalizer writes numbers as the tokenizer does, and splits nothing")
    func wholeWords() {
        let normalizer = ArabicNormalizer()
        expectExact(normalizer.normalize("1,350.5"), "1350٫5")
        expectExact(normalizer.normalize("٥٫٤ و5.4"), "5٫4 و5٫4")
        expectExact(normalizer.normalize("25.01.2024"), "25.01.2024")
        expectExact(analyzer.normalize("١٬٣٥٠"), "1350")
        expectExact(analyzer.analyzeWord("5,4").normalized, "5٫4")
        expectExact(analyzer.analyzeWord("5,4").stem, "5٫4")
        expectExact(normalizer.normalize("hello, world. 5."), "hello, world. 5.")
        // Lucene's normalizer alone changes nothing but its letters.
        expectExact(ArabicNormalizer(mode: .lucene).normalize("5.4"), "5.4")
    }

    @Test("The Lucene-compatible analyzer reads numbers the same way")
    func luceneConfiguration() {
        let lucene = ArabicAnalyzer(configuration: .luceneCompatible)
        expectExact(lucene.indexText("5.4 ٥٫٤ 1,350 ١٬٣٥٠ 25.01.2024"), "5٫4 5٫4 1350 1350 25 01 2024")
    }

    @Test("A query finds the number however the article wrote it")
    func queriesMatchDocuments() {
        let forms: [[String]] = [
            ["5.4", "5,4", "٥٫٤", "۵٫۴", "5٫4", "٥,٤"],
            ["1,350", "١٣٥٠", "١٬٣٥٠", "1\u{2009}350", "1\u{202F}350", "1\u{00A0}350", "1350", "۱۳۵۰"],
            ["1,350,000", "١٬٣٥٠٬٠٠٠", "1\u{202F}350\u{202F}000", "1350000"],
            ["12,75", "12.75", "١٢٫٧٥"],
            ["27.5%", "٢٧٫٥٪", "27,5 %"],
        ]
        for group in forms {
            let document = "قال التقرير إن الرقم بلغ \(group[0]) في العام الماضي"
            let documentTerms = Set(analyzer.tokens(in: document).map(\.term))
            let expected = analyzer.tokens(in: group[0]).map(\.term)
            #expect(expected.count == 1)
            for query in group {
                // Queries go through tokens(in:) and term(for:); both give the document's term.
                expectExact(analyzer.tokens(in: query).map(\.term), expected, "query \(describe(query))")
                expectExact(analyzer.term(for: query), expected[0], "query \(describe(query))")
                #expect(documentTerms.contains(expected[0]))
                // And a document written with this form has the same term.
                let other = "قال التقرير إن الرقم بلغ \(query) في العام الماضي"
                expectExact(analyzer.indexText(other), analyzer.indexText(document), "document with \(describe(query))")
            }
        }
        // A decimal number no longer matches an article that has its digits apart.
        let apart = Set(analyzer.tokens(in: "أصيب 5 أشخاص في 4 مدن").map(\.term))
        #expect(!apart.contains(analyzer.term(for: "5.4")!))
    }
}
