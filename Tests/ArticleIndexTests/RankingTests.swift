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
          arguments: ["البرتقال", "البرتق*"])
    func windowRanksTheNewest(_ text: String) async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            // The oldest article is the best match by far (the word in its title, many times in its body).
            _ = try await index.store([try document("old.txt", "البرتقال\nالبرتقال البرتقال البرتقال البرتقال")])
            _ = try await index.store(try (0..<30).map {
                try document("new\($0).txt", "عنوان \($0)\nكلام كثير عن أشياء أخرى ثم البرتقال مرة في النهاية \($0)")
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

@Suite("Short prefixes (two letters) from article_prefix")
struct ShortPrefixTests {
    /// 40 articles: every fourth has a زيت- word in its title, every one in its body; article 7 has none.
    func makeIndex(_ dir: String) async throws -> ArticleIndex {
        let index = try ArticleIndex(path: dir + "/m.db")
        _ = try await index.store(try (0..<40).map { i in
            let title = i % 4 == 0 ? "الزيتون رقم \(i)" : "عنوان رقم \(i)"
            let body = i == 7 ? "كلام عن أشياء أخرى \(i)" : "كلام كثير ثم زيتها مرة \(i)"
            return try document("d\(i).txt", title + "\n" + body, mtime: Double(i))
        })
        return index
    }

    @Test("the same articles as FTS5's prefix search, title matches first, newest first within each",
          arguments: ["الزي*", "زي*", "وزي*"])
    func titleFirstThenNewest(_ text: String) async throws {
        try await withTemporaryDirectory { dir in
            let index = try await makeIndex(dir)
            let query = try SearchQuery(text)
            #expect(query.shortPrefix?.text == "زي")
            let results = try await index.search(query, options: SearchOptions(limit: 50))
            // FTS5 evaluates the same prefix on the full-text table.
            let fts5 = try await index.pool.read { db in
                try Int64.fetchAll(db, sql: "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid DESC",
                                   arguments: [query.matchExpression])
            }
            #expect(results.total == 39 && results.totalIsExact && results.ranked == 39)
            #expect(Set(results.hits.map(\.id)) == Set(fts5))
            let titled = results.hits.prefix(10)
            #expect(titled.allSatisfy { $0.title.hasPrefix("الزيتون") && $0.score == 5 })
            #expect(titled.map(\.id) == titled.map(\.id).sorted(by: >))
            let rest = results.hits.dropFirst(10)
            #expect(rest.allSatisfy { !$0.title.hasPrefix("الزيتون") && $0.score == 1 })
            #expect(rest.map(\.id) == rest.map(\.id).sorted(by: >))
            #expect(!results.hits.contains { $0.path == "d7.txt" })
            #expect(results.hits.first?.snippet.isEmpty == false)
        }
    }

    @Test("paging, counting limits, titles only and filters")
    func pagingAndFilters() async throws {
        try await withTemporaryDirectory { dir in
            let index = try await makeIndex(dir)
            let all = try await index.search(SearchQuery("زي*"), options: SearchOptions(limit: 50)).hits.map(\.id)
            for (offset, limit) in [(0, 3), (8, 4), (10, 5), (36, 10), (39, 5)] {
                let page = try await index.search(SearchQuery("زي*"), options: SearchOptions(limit: limit, offset: offset))
                #expect(page.hits.map(\.id) == Array(all.dropFirst(offset).prefix(limit)), "offset \(offset)")
            }
            let capped = try await index.search(SearchQuery("زي*"), options: SearchOptions(countLimit: 20))
            #expect(capped.total == 20 && !capped.totalIsExact && capped.hits.count == 10)
            #expect(capped.hits.allSatisfy { $0.score == 5 }, "title matches still come first")
            let titles = try await index.search(SearchQuery("title:زي*"), options: SearchOptions(limit: 50))
            #expect(titles.total == 10 && titles.hits.allSatisfy { $0.title.hasPrefix("الزيتون") })
            #expect(try await index.search(SearchQuery("-زي* كلام")).total == 1, "negated: FTS5's path")
            #expect(try await index.search(SearchQuery("زي*"), options: SearchOptions(source: "nowhere")).total == 0)
            #expect(try await index.search(SearchQuery("غغ*")).total == 0)
            // Three letters and more: FTS5's own prefix search, ranked by bm25.
            #expect(try SearchQuery("زيت*").shortPrefix == nil)
            #expect(try await index.search(SearchQuery("زيت*")).total == 39)
        }
    }

    @Test("updates and deletions keep article_prefix in step with the articles")
    func keptInStep() async throws {
        try await withTemporaryDirectory { dir in
            let index = try await makeIndex(dir)
            _ = try await index.store([try document("d0.txt", "عنوان جديد\nلا شيء هنا", mtime: 100)])
            try await index.remove(path: "d1.txt")
            let results = try await index.search(SearchQuery("زي*"), options: SearchOptions(limit: 50))
            #expect(results.total == 37)
            #expect(!results.hits.contains { ["d0.txt", "d1.txt"].contains($0.path) })
            try await index.pool.write { db in
                func count(_ token: String) throws -> Int? {
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM article_prefix WHERE article_prefix MATCH ?",
                                     arguments: ["\"\(token)\""])
                }
                // The rows of the replaced and the removed article left no tokens behind.
                #expect(try count("زي") == 37)
                // عنوان: 30 titles, plus d0's new one, less the removed d1.
                #expect(try count("عن") == 30)
                #expect(try count(FullTextRow.titleMarker + "عن") == 30)
                #expect(try count(FullTextRow.titleMarker + "زي") == 9, "d0's title no longer has الزيتون")
                try db.execute(sql: "INSERT INTO article_prefix(article_prefix, rank) VALUES ('integrity-check', 0)")
            }
        }
    }

    @Test("prefixes: the distinct first two scalars of each term, Arabic, Latin and digits alike; titles marked")
    func prefixTerms() {
        let row = FullTextRow(terms: ("زيتون زيت بر", "ab abc 2024 ز زي ﷲ", "قمر"))
        let tokens = row.prefixes.split(separator: " ").map(String.init)
        #expect(tokens.count == Set(tokens).count, "each prefix once")
        let marker = FullTextRow.titleMarker
        #expect(Set(tokens) == ["زي", "بر", "ab", "20", "قم", marker + "زي", marker + "بر"])
        // One scalar is not a prefix; ﷲ (U+FDF2, 3 bytes) is one scalar too.
        #expect(FullTextRow(terms: ("", "ﷲ", "")).prefixes.isEmpty)
        #expect(FullTextRow(terms: ("", "", "")).prefixes.isEmpty)
    }
}
