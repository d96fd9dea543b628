import Foundation
import GRDB
import Testing
@testable import ArticleIndex

@Suite("Ranking: bm25 without scoring every match")
struct RankingTests {
    /// The seeds plus articles that share their words in different amounts.
    static func corpus() throws -> [IndexDocument] {
        let words = ["العراق", "القوات", "الانسحاب", "بغداد", "واشنطن", "التحالف", "الحكومة", "الميليشيات"]
        var docs = try seedPaths().map(seedDocument)
        for i in 0..<60 {
            let title = "\(words[i % words.count]) \(words[(i * 3) % words.count]) \(i)"
            let body = (0..<(5 + i % 17)).map { words[($0 * (i + 1)) % words.count] }.joined(separator: " ")
            docs.append(try document("gen/\(i).txt", "\(title)\n\(body) نهاية \(i).\n\nفقرة ثانية \(words[i % 3]) هنا."))
        }
        return docs
    }

    @Test("with exact frequencies, marsad_rank gives FTS5's bm25 scores for every kind of query", arguments: [
        "العراق", "العراق القوات", "\"التحالف الدولي\"", "واشنطن OR بغداد", "القوات -الانسحاب", "انسحا*",
        "title:بغداد", "الحكومة title:العراق", "الميليشيات OR الكاظمي القوات",
    ])
    func sameAsBM25(_ text: String) async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try Self.corpus())
            let query = try SearchQuery(text)
            let compared = try index.pool.read { db in
                let frequencies = try ArticleIndex.documentFrequencies(db, query.phrases)
                    .map { String(format: "%.1f", $0) }.joined(separator: " ")
                return try Row.fetchAll(db, sql: """
                    SELECT rowid, bm25(article_fts, \(ArticleIndex.columnWeights)) AS fts5,
                           marsad_rank(article_fts, \(ArticleIndex.columnWeights), ?) AS ours
                    FROM article_fts WHERE article_fts MATCH ?
                    """, arguments: [frequencies, query.matchExpression])
            }
            #expect(!compared.isEmpty, "«\(text)» matches nothing")
            for row in compared {
                let fts5: Double = row["fts5"], ours: Double = row["ours"]
                #expect(abs(fts5 - ours) <= 1e-9 * max(1, abs(fts5)), "«\(text)» row \(row["rowid"] as Int64)")
            }
            // And search() orders by it: the same order as ORDER BY bm25.
            let expected = try await index.pool.read { db in
                try Int64.fetchAll(db, sql: """
                    SELECT rowid FROM article_fts WHERE article_fts MATCH ?
                    ORDER BY bm25(article_fts, \(ArticleIndex.columnWeights)), rowid DESC LIMIT 10
                    """, arguments: [query.matchExpression])
            }
            let results = try await index.search(query, options: SearchOptions(limit: 10))
            #expect(results.hits.map(\.id) == expected)
            // And the scores shown are bm25's (a prefix or a phrase alone is ranked in one pass, with the idf
            // applied after: see searchInOnePass).
            let bm25 = Dictionary(uniqueKeysWithValues: compared.map { ($0["rowid"] as Int64, $0["fts5"] as Double) })
            for hit in results.hits {
                let expected = -(bm25[hit.id] ?? .nan)
                #expect(abs(hit.score - expected) <= 1e-9 * max(1, abs(expected)), "«\(text)» hit \(hit.id)")
            }
            #expect(results.total == compared.count && results.totalIsExact && results.ranked == results.total)
        }
    }

    @Test("past the window, only the newest matches are ranked, and the answer says so",
          arguments: ["الزيتون", "الزي*"])
    func windowRanksTheNewest(_ text: String) async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            // The oldest article is the best match by far (the word in its title, many times in its body).
            _ = try await index.store([try document("old.txt", "الزيتون\nالزيتون الزيتون الزيتون الزيتون")])
            _ = try await index.store(try (0..<30).map {
                try document("new\($0).txt", "عنوان \($0)\nكلام كثير عن أشياء أخرى ثم الزيتون مرة في النهاية \($0)")
            })
            let all = try await index.search(SearchQuery(text), options: SearchOptions(limit: 3))
            #expect(all.hits.first?.path == "old.txt" && all.total == 31 && all.ranked == 31)
            let windowed = try await index.search(SearchQuery(text), options: SearchOptions(limit: 3, rankWindow: 10))
            #expect(windowed.total == 31 && windowed.totalIsExact && windowed.ranked == 10)
            #expect(!windowed.hits.map(\.path).contains("old.txt"))
            #expect(windowed.hits.allSatisfy { $0.id > 21 }, "only the 10 newest were ranked")
            // A page past the window widens it to cover the page.
            let deep = try await index.search(SearchQuery(text),
                                              options: SearchOptions(limit: 10, offset: 25, rankWindow: 10))
            #expect(deep.hits.count == 6 && deep.ranked == 31, "35 wanted, all 31 ranked")
            let page = try await index.search(SearchQuery(text),
                                              options: SearchOptions(limit: 10, offset: 15, rankWindow: 10))
            #expect(page.hits.count == 10 && page.ranked == 25)
            let capped = try await index.search(SearchQuery(text), options: SearchOptions(countLimit: 20))
            #expect(capped.total == 20 && !capped.totalIsExact)
        }
    }

    @Test("a frequency past the counting limit is estimated from how far back the counted matches reach")
    func frequencyEstimate() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            // 3,000 articles; every third holds الرمان (1,000), every second holds التفاح (1,500).
            let docs = try (0..<3000).map { i in
                var words = ["عنوان", "رقم", "\(i)"]
                if i % 3 == 0 { words.append("الرمان") }
                if i % 2 == 0 { words.append("التفاح") }
                return try document("d\(i).txt", "مقال \(i)\n" + words.joined(separator: " "))
            }
            _ = try await index.store(docs)
            let frequencies = try await index.pool.read { db in
                try ArticleIndex.documentFrequencies(db, try SearchQuery("التفاح الرمان").phrases)
            }
            #expect(ArticleIndex.frequencyCountLimit == 1_000)
            #expect(abs(frequencies[0] - 1500) < 15, "estimated \(frequencies[0]) for 1,500")
            #expect(frequencies[1] == 1000 || abs(frequencies[1] - 1000) < 10, "\(frequencies[1]) for 1,000")
        }
    }
}
