import Foundation
import GRDB
import Testing
@testable import ArticleIndex

@Suite("Best match: articles with every word first, then fewer, down to a floor")
struct BestMatchTests {
    /// Articles holding 4, 3, 2, 1 and 0 of the words زلزال، تركيا، ضحايا، إنقاذ (and other words around them).
    static func corpus() throws -> [IndexDocument] {
        [
            try document("four.txt", "خبر أول\nزلزال في تركيا يخلف ضحايا وفرق الإنقاذ تعمل.\n"),
            try document("three.txt", "خبر ثان\nزلزال قوي في تركيا وسقوط ضحايا.\n"),
            try document("two.txt", "خبر ثالث\nزلزال يضرب تركيا فجرا.\n"),
            try document("one-title.txt", "زلزال زلزال زلزال\nتقرير عن الهزات عموما في المنطقة.\n"),
            try document("one.txt", "خبر رابع\nتمرين على الإنقاذ في المدارس.\n"),
            try document("none.txt", "خبر خامس\nأسعار النفط ترتفع.\n"),
        ]
    }

    static func search(_ index: ArticleIndex, _ text: String, _ mode: MatchMode,
                       ranking: SearchOptions.LooseRanking = .tiers) async throws -> SearchResults {
        var options = SearchOptions(limit: 20)
        options.looseRanking = ranking
        return try await index.search(SearchQuery(text, mode: mode), options: options)
    }

    @Test("best: tiers by the number of words held, down to a third of them; all and any around it")
    func tiers() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try Self.corpus())
            let q = "زلزال تركيا ضحايا إنقاذ"
            let best = try await Self.search(index, q, .best)
            // "one-title" repeats one word in its title: bm25 would put it high, the tiers keep it below.
            #expect(best.hits.map(\.path) == ["four.txt", "three.txt", "two.txt"])
            #expect(best.match == .best && best.minimumMatch == 2 && best.total == 3)
            // A third of three words is one: then every article with one of them counts, ranked last.
            let three = try await Self.search(index, "زلزال تركيا ضحايا", .best)
            #expect(three.minimumMatch == 1 && Set(three.hits.prefix(2).map(\.path)) == ["four.txt", "three.txt"])
            #expect(three.hits.count == 4 && three.hits[2].path == "two.txt")
            #expect(three.hits.last?.path == "one-title.txt")
            #expect(best.hits[1].matchedTerms == ["زلزال", "تركيا", "ضحايا"])
            #expect(best.hits[0].matchedTerms == ["زلزال", "تركيا", "ضحايا", "إنقاذ"])
            let all = try await Self.search(index, q, .all)
            #expect(all.hits.map(\.path) == ["four.txt"] && all.minimumMatch == 0)
            let any = try await Self.search(index, q, .any)
            #expect(any.hits.prefix(3).map(\.path) == ["four.txt", "three.txt", "two.txt"])
            #expect(Set(any.hits.dropFirst(3).map(\.path)) == ["one-title.txt", "one.txt"] && any.total == 5)
            // The scores shown are bm25's, without the tier's weight.
            #expect(best.hits.allSatisfy { $0.score > 0 && $0.score < 100 })
        }
    }

    @Test("a query none of whose articles holds half of its words still finds what holds the most")
    func floorComesDown() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try Self.corpus())
            let results = try await Self.search(index, "زلزال بركان فيضان إعصار", .best)
            #expect(results.minimumMatch == 1 && results.total == 4)
            #expect(results.hits.allSatisfy { $0.matchedTerms == ["زلزال"] })
            let nothing = try await Self.search(index, "بركان فيضان إعصار", .best)
            #expect(nothing.total == 0 && nothing.hits.isEmpty)
        }
    }

    @Test("+word, phrases, OR, prefixes, title: and -word keep their meaning in best mode")
    func exactPiecesStayExact() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try Self.corpus())
            // +إنقاذ is required: "three" and "two" lack it.
            let required = try await Self.search(index, "زلزال تركيا ضحايا +إنقاذ", .best)
            #expect(Set(required.hits.map(\.path)) == ["four.txt"])
            // -ضحايا excludes; the other two words are optional with a floor of one.
            let excluded = try await Self.search(index, "زلزال تركيا -ضحايا", .best)
            #expect(excluded.hits.map(\.path).first == "two.txt")
            #expect(!excluded.hits.contains { ["four.txt", "three.txt"].contains($0.path) })
            // A phrase is required and exact: «زلزال قوي» is in "three" only.
            let phrase = try await Self.search(index, "\"زلزال قوي\" تركيا إنقاذ", .best)
            #expect(phrase.hits.map(\.path) == ["three.txt"])
            #expect(phrase.hits[0].matchedTerms == ["\"زلزال قوي\"", "تركيا"])
            // title: is required, and so is one of the plain words beside it.
            let title = try await Self.search(index, "title:زلزال عموما تركيا", .best)
            #expect(title.hits.map(\.path) == ["one-title.txt"])
            #expect(try await Self.search(index, "title:زلزال تركيا ضحايا", .best).total == 0)
            // An OR group is one required piece; the member a hit holds is named.
            let or = try await Self.search(index, "تمرين OR فجرا تركيا ضحايا", .best)
            #expect(or.hits.map(\.path) == ["two.txt"])
            #expect(or.hits.first?.matchedTerms == ["فجرا", "تركيا"])
            let orOnly = try await Self.search(index, "تمرين OR فجرا إنقاذ تركيا", .best)
            #expect(Set(orOnly.hits.map(\.path)) == ["two.txt", "one.txt"])
            #expect(orOnly.hits.first { $0.path == "one.txt" }?.matchedTerms == ["تمرين", "إنقاذ"])
        }
    }

    @Test("the coordination ranking keeps the same matches and orders them by bm25 × share of words")
    func coordination() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try Self.corpus())
            let tiers = try await Self.search(index, "زلزال تركيا ضحايا إنقاذ", .any)
            let coordination = try await Self.search(index, "زلزال تركيا ضحايا إنقاذ", .any, ranking: .coordination)
            #expect(Set(tiers.hits.map(\.path)) == Set(coordination.hits.map(\.path)))
            #expect(coordination.total == tiers.total)
            let scores = coordination.hits.map(\.score)
            #expect(scores == scores.sorted(by: >))
        }
    }

    @Test("facets count what the search counted, at the floor it came down to")
    func facetsFollowTheFloor() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try Self.corpus())
            let query = try SearchQuery("زلزال بركان فيضان إعصار", mode: .best)
            let results = try await index.search(query, options: SearchOptions(limit: 10))
            let facets = try await index.facets(query.requiring(atLeast: results.minimumMatch),
                                                options: SearchOptions(), limit: 100)
            #expect(facets.counted == results.total)
            let atHalf = try await index.facets(query, options: SearchOptions(), limit: 100)
            #expect(atHalf.counted == 0)
        }
    }

    @Test("the library's default stays every word; one plain word is the same in every mode")
    func defaults() throws {
        #expect(try SearchQuery("زلزال تركيا").mode == .all)
        #expect(!(try SearchQuery("زلزال تركيا")).isLoosened)
        #expect(!(try SearchQuery("زلزال", mode: .best)).isLoosened)
        #expect(!(try SearchQuery("\"زلزال قوي\" +تركيا", mode: .best)).isLoosened)
        let q = try SearchQuery("زلزال تركيا ضحايا", mode: .best)
        #expect(q.isLoosened && q.minimumMatch == 1 && q.optionalUnits == [0, 1, 2])
        #expect(try SearchQuery("زلزال تركيا ضحايا", mode: .any).minimumMatch == 1)
        #expect(try SearchQuery("زلزال تركيا ضحايا إنقاذ خبر", mode: .best).minimumMatch == 2)
        #expect(try SearchQuery("زلزال تركيا ضحايا إنقاذ خبر أول ثان", mode: .best).minimumMatch == 3)
    }
}

@Suite("Numbers meet in every script, in the index and in queries")
struct NumberSearchTests {
    @Test("every way of writing 5.4 and 1,350 finds the articles written every other way", arguments: [
        "5.4", "5,4", "٥٫٤", "۵٫۴", "5٫4",
    ])
    func decimals(_ typed: String) async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            let forms = ["5.4", "5,4", "٥٫٤", "۵٫۴"]
            _ = try await index.store(forms.enumerated().map { n, form in
                try document("d\(n).txt", "زلزال\nهزة بقوة \(form) درجات على مقياس ريختر.\n")
            } + [try document("other.txt", "زلزال آخر\nهزة بقوة 5 درجات، ثم 4 هزات ارتدادية.\n")])
            let hits = try await index.search(SearchQuery("هزة \(typed) درجات"), options: SearchOptions(limit: 10))
            #expect(Set(hits.hits.map(\.path)) == Set(forms.indices.map { "d\($0).txt" }), "«\(typed)»")
        }
    }

    @Test("1,350, ١٣٥٠, ١٬٣٥٠ and 1 350 (thin and no-break spaces, in the query too) are one number", arguments: [
        "1,350", "١٣٥٠", "١٬٣٥٠", "1\u{2009}350", "1\u{202F}350", "1\u{00A0}350", "1350",
    ])
    func thousands(_ typed: String) async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            let forms = ["1,350", "١٣٥٠", "١٬٣٥٠", "1\u{2009}350", "1350"]
            _ = try await index.store(forms.enumerated().map { n, form in
                try document("d\(n).txt", "حصيلة\nبلغ عدد الضحايا \(form) شخصا.\n")
            } + [try document("other.txt", "حصيلة أخرى\nبلغ عدد الضحايا 1 شخصا و350 مصابا.\n")])
            let hits = try await index.search(SearchQuery("الضحايا \(typed)"), options: SearchOptions(limit: 10))
            #expect(Set(hits.hits.map(\.path)) == Set(forms.indices.map { "d\($0).txt" }), "«\(typed)»")
        }
    }
}
