import Foundation
import Testing
@testable import ArticleIndex
import Articles
import ArabicText

/// What `marsad serve` builds its feeds, streams and alerts on: articles in commit order, "more like this",
/// saved queries matched against one article without the index, and searches stopped at a deadline.
@Suite("Commit order, more like this, the percolator, query time limits")
struct FollowingTests {
    /// The queries the percolator must decide exactly as FTS5 does: words, phrases, OR, NOT, prefixes, title:.
    static let queries = [
        "العراق", "انسحاب القوات", "\"التحالف الدولي\"", "واشنطن OR بغداد", "التحالف -داعش", "انسحا*", "تح*",
        "title:انسحاب", "title:\"قوات التحالف\"", "الحكومة العراقية NOT الكاظمي", "\"قوات التحالف\" OR رومانوسكي",
        "الميليشيات", "البنتاغون OR للبنتاغون", "مستشار* العراق", "title:العراق -اتفاق", "الأمريكية", "كلمةغيرموجودة",
        "2024", "داعش الإسلامية الدولة",
    ]

    @Test("the percolator's verdict on each seed equals a search restricted to it, for every query form")
    func percolatorAgreesWithFTS5() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try seedPaths().map(seedDocument))
            let articles = try await index.analyzedArticles(after: 0, limit: 100)
            #expect(articles.count == 5)
            var percolator = Percolator<String>()
            var agreed = 0
            for text in Self.queries {
                let query = try SearchQuery(text)
                percolator.insert(query, for: text)
                let found = Set(try await index.newMatches(query, options: SearchOptions(), after: 0, newestFirst: false,
                                                           limit: 100).map(\.id))
                for article in articles {
                    #expect(query.matches(article) == found.contains(article.id), "«\(text)» on #\(article.id)")
                    agreed += 1
                }
            }
            #expect(agreed == Self.queries.count * 5)
            // Filed under their anchors, the queries give the same verdicts as checking each one.
            for article in articles {
                let expected = Set(try Self.queries.filter { try SearchQuery($0).matches(article) })
                #expect(Set(percolator.matches(article)) == expected, "article #\(article.id)")
            }
            #expect(Self.queries.contains { try! SearchQuery($0).matches(articles[0]) })
            percolator.remove("العراق")
            #expect(!percolator.matches(articles[0]).contains("العراق"))
        }
    }

    @Test("a percolator of 1,000 saved searches checks only the few whose anchors an article holds")
    func thousandSearches() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try seedPaths().map(seedDocument))
            let articles = try await index.analyzedArticles(after: 0, limit: 100)
            var percolator = Percolator<Int>()
            // 999 searches for words no seed has, and one that all of them match.
            for k in 0..<999 { percolator.insert(try SearchQuery("غائبة\(k) كلمة"), for: k) }
            percolator.insert(try SearchQuery("التحالف"), for: 999)
            #expect(percolator.count == 1_000)
            for article in articles { #expect(percolator.matches(article) == [999]) }
        }
    }

    @Test("articles after an id come in commit order, filtered like a search, and newest first for feeds")
    func commitOrder() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            #expect(try await index.latestArticleID() == 0)
            _ = try await index.store(try seedPaths().map(seedDocument))
            let latest = try await index.latestArticleID()
            #expect(latest == 5)
            let all = try await index.newMatches(nil, options: SearchOptions(), after: 2, newestFirst: false, limit: 10)
            #expect(all.map(\.id) == [3, 4, 5])
            #expect(all.allSatisfy { $0.ingestedAt != nil && !$0.snippet.isEmpty })
            let newest = try await index.newMatches(nil, options: SearchOptions(), after: 0, newestFirst: true, limit: 2)
            #expect(newest.map(\.id) == [5, 4])
            let query = try SearchQuery("الكاظمي")
            let matching = try await index.newMatches(query, options: SearchOptions(), after: 0, newestFirst: false, limit: 10)
            #expect(matching.count == 1 && matching[0].snippet.contains("الكاظمي"))
            let sources = Set(all.compactMap(\.source))
            if let source = sources.first {
                let filtered = try await index.newMatches(nil, options: SearchOptions(source: source), after: 0,
                                                          newestFirst: false, limit: 10)
                #expect(!filtered.isEmpty && filtered.allSatisfy { $0.source == source })
            }
            #expect(try await index.analyzedArticles(after: latest, limit: 10).isEmpty)
        }
    }

    @Test("more like this finds the other reports of the story, scored, never the article itself")
    func similar() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store(try seedPaths().map(seedDocument))
            for id in Int64(1)...5 {
                let similar = try #require(try await index.similar(to: id, limit: 10))
                #expect(!similar.hits.isEmpty, "article #\(id)")
                #expect(!similar.hits.contains { $0.id == id })
                #expect(similar.hits.allSatisfy { $0.score > 0 })
                #expect(similar.hits.map(\.score) == similar.hits.map(\.score).sorted(by: >))
            }
            #expect(try await index.similar(to: 99, limit: 10) == nil)
        }
    }

    @Test("a search past its time limit is stopped by SQLite and reported as timed out; the next one runs")
    func timeout() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            // 400 articles of 300 terms sharing a prefix: the prefix search steps through thousands of rows.
            let documents = try (0..<400).map { n in
                try document(dir + "/\(n).txt", "مرصد \(n)\n\n" + (0..<300).map { "مرصدكلمة\(n * 300 + $0)" }
                    .joined(separator: " "))
            }
            _ = try await index.store(documents)
            let query = try SearchQuery("مرصدكلم*")
            do {
                _ = try await index.search(query, options: SearchOptions(timeout: .nanoseconds(1)))
                Issue.record("the search was not stopped")
            } catch let error as IndexError {
                guard case .timedOut = error else { Issue.record("expected timedOut, got \(error)"); return }
            }
            let results = try await index.search(query, options: SearchOptions(timeout: .seconds(30)))
            #expect(results.total == 400)
        }
    }
}
