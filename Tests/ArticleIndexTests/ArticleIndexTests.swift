import Foundation
import GRDB
import Testing
@testable import ArticleIndex
import Articles
import ArabicText

@Suite("Storing, replacing, duplicates, renames on a real SQLite file")
struct ArticleIndexTests {
    @Test("each seed is found by a word only it contains")
    func seedsFoundByUniqueWords() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            let paths = try seedPaths()
            #expect(paths.count == 5)
            let outcomes = try await index.store(try paths.map(seedDocument))
            #expect(outcomes.allSatisfy { if case .indexed = $0 { true } else { false } })
            let unique = [
                "000_0bc6245a09814656.txt": "الميليشيات",
                "001_acc821ad5b268313.txt": "الكاظمي",
                "002_9bb42edd3776e544.txt": "وبريطانيون",
                "003_931eb2a5a6a3a8f9.txt": "رومانوسكي",
                "004_294b61a1675897da.txt": "للبنتاغون",
            ]
            for (file, word) in unique {
                let hits = try await index.paths(word)
                #expect(hits == [seedsDirectory + "/" + file], "searching \(word)")
            }
        }
    }

    @Test("storing the same content again is a no-op")
    func unchangedIsNoOp() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            let doc = try document("a.txt", "عنوان\nنص المقال الأول")
            let first = try await index.store([doc])
            guard case .indexed(let id) = first[0] else { Issue.record("expected indexed, got \(first)"); return }
            let second = try await index.store([doc])
            #expect(second == [.unchanged(id: id)])
            let status = try await index.status()
            #expect(status.articles == 1 && status.files == 1 && status.duplicates == 0)
        }
    }

    @Test("a changed file replaces its article and keeps its id")
    func changedReplacesInPlace() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            guard case .indexed(let id) = try await index.store([try document("a.txt", "عنوان\nكلمة برتقال")])[0]
            else { Issue.record("not indexed"); return }
            let outcome = try await index.store([try document("a.txt", "عنوان\nكلمة تفاح", mtime: 2)])
            #expect(outcome == [.replaced(id: id)])
            #expect(try await index.paths("برتقال").isEmpty)
            #expect(try await index.paths("تفاح") == ["a.txt"])
            #expect(try await index.status().articles == 1)
        }
    }

    @Test("identical content under a second path is a duplicate, found once, and outlives the original")
    func duplicates() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            let text = "عنوان\nمقال عن الزيتون"
            guard case .indexed(let id) = try await index.store([try document("a.txt", text)])[0]
            else { Issue.record("not indexed"); return }
            #expect(try await index.store([try document("b.txt", text)]) == [.duplicate(of: id)])
            #expect(try await index.paths("الزيتون") == ["a.txt"])
            var status = try await index.status()
            #expect(status.articles == 1 && status.duplicates == 1)
            #expect(try await index.article(path: "b.txt")?.id == id)
            #expect(try await index.article(id: id)?.duplicatePaths == ["b.txt"])

            // The original goes: the duplicate inherits the article, same id.
            try await index.remove(path: "a.txt")
            #expect(try await index.paths("الزيتون") == ["b.txt"])
            #expect(try await index.article(path: "b.txt")?.id == id)
            status = try await index.status()
            #expect(status.articles == 1 && status.duplicates == 0 && status.files == 1)

            try await index.remove(path: "b.txt")
            #expect(try await index.paths("الزيتون").isEmpty)
            #expect(try await index.status().articles == 0)
        }
    }

    @Test("a changed duplicate gets its own article; the shared one stays with the other path")
    func changedDuplicate() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            let text = "عنوان\nمقال عن الزيتون"
            _ = try await index.store([try document("a.txt", text), try document("b.txt", text)])
            let changed = try await index.store([try document("a.txt", "عنوان\nمقال عن الرمان", mtime: 3)])
            guard case .replaced = changed[0] else { Issue.record("expected replaced, got \(changed)"); return }
            #expect(try await index.paths("الزيتون") == ["b.txt"])
            #expect(try await index.paths("الرمان") == ["a.txt"])
            let status = try await index.status()
            #expect(status.articles == 2 && status.duplicates == 0)
        }
    }

    @Test("rename keeps the article, changes only its path; onto an existing path replaces it")
    func rename() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            guard case .indexed(let id) = try await index.store([try document("a.txt", "عنوان\nنص عن القمح")])[0]
            else { Issue.record("not indexed"); return }
            _ = try await index.store([try document("c.txt", "عنوان\nنص عن الشعير")])
            try await index.rename(from: "a.txt", to: "b.txt")
            #expect(try await index.paths("القمح") == ["b.txt"])
            #expect(try await index.article(path: "b.txt")?.id == id)
            #expect(try await index.fileRecord(path: "a.txt") == nil)
            try await index.rename(from: "b.txt", to: "c.txt")
            #expect(try await index.paths("الشعير").isEmpty)
            #expect(try await index.paths("القمح") == ["c.txt"])
            #expect(try await index.status().files == 1)
        }
    }

    @Test("a failure is recorded and the last good version stays searchable")
    func failureKeepsPrevious() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store([try document("a.txt", "عنوان\nنص عن العدس")])
            try await index.recordFailure(path: "a.txt", stamp: FileStamp(byteSize: 0, mtime: 5),
                                          contentSHA256: nil, reason: "the file is empty")
            #expect(try await index.paths("العدس") == ["a.txt"])
            let status = try await index.status()
            #expect(status.failed == 1 && status.articles == 1)
            #expect(status.recentFailures.first?.reason == "the file is empty")
            // Fixing the file brings it back to indexed.
            let outcome = try await index.store([try document("a.txt", "عنوان\nنص عن الحمص", mtime: 6)])
            guard case .replaced = outcome[0] else { Issue.record("expected replaced, got \(outcome)"); return }
            #expect(try await index.status().failed == 0)
            #expect(try await index.paths("الحمص") == ["a.txt"])
        }
    }

    @Test("spellings with harakat, tatweel or another alef form find the plain word, and the reverse")
    func orthographicVariants() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store([
                try document("plain.txt", "عنوان\nأعلن الرئيس عن اتفاق جديد"),
                try document("marked.txt", "عنوان\nوقَّعَ الوزيـــر إتفاقاً مع آسيا"),
            ])
            #expect(try await index.paths("الوزير") == ["marked.txt"])
            #expect(try await index.paths("الوزيـــر") == ["marked.txt"])
            #expect(try await index.paths("وقع") == ["marked.txt"])
            #expect(try await index.paths("اسيا") == ["marked.txt"])
            #expect(try await index.paths("أعلَنَ") == ["plain.txt"])
            #expect(try await index.paths("اعلن") == ["plain.txt"])
            #expect(try await index.paths("إعلن") == ["plain.txt"])
        }
    }

    @Test("an article from an older parser is replaced (same id) when its unchanged file is stored again")
    func olderParserVersionIsReplaced() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/m.db"
            let index = try ArticleIndex(path: path)
            let doc = try document("a.txt", "عنوان\nنص عن الكرز")
            guard case .indexed(let id) = try await index.store([doc])[0] else { Issue.record("not indexed"); return }
            #expect(try await index.fileRecord(path: "a.txt")?.isCurrent(sha: doc.article.contentSHA256) == true)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "UPDATE articles SET parser_version = 0") }
            try queue.close()
            #expect(try await index.stalePaths() == ["a.txt"])
            #expect(try await index.status().staleArticles == 1)
            #expect(try await index.fileRecord(path: "a.txt")?.isCurrent(sha: doc.article.contentSHA256) == false)
            #expect(try await index.store([doc]) == [.replaced(id: id)])
            #expect(try await index.stalePaths().isEmpty)
            #expect(try await index.paths("الكرز") == ["a.txt"])
        }
    }

    @Test("an index built with another analyzer is refused for search until reindexed")
    func reindexOnAnalyzerChange() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/m.db"
            do {
                let index = try ArticleIndex(path: path)
                _ = try await index.store([try document("a.txt", "عنوان\nنص عن الفستق")])
                try index.close()
            }
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "UPDATE meta SET value = '0' WHERE key = 'analyzer_version'")
                try db.execute(sql: "INSERT INTO article_fts(article_fts) VALUES('delete-all')")
            }
            try queue.close()
            let index = try ArticleIndex(path: path)
            #expect(try await index.needsReindex())
            await #expect(throws: IndexError.self) { try await index.paths("الفستق") }
            try await index.reindex()
            #expect(try await !index.needsReindex())
            #expect(try await index.paths("الفستق") == ["a.txt"])
        }
    }
}

@Suite("Files that are not a Marsad index are refused and left untouched")
struct RefusalTests {
    func refuse(_ bytes: [UInt8]) async throws -> String {
        try await withTemporaryDirectory { (dir: String) async throws -> String in
            let path = dir + "/other.db"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            var message = ""
            #expect {
                _ = try ArticleIndex(path: path)
            } throws: { error in
                message = "\(error)"
                return error is IndexError
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes), "the file was changed")
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
            return message
        }
    }

    @Test func textFile() async throws {
        let message = try await refuse(Array("hello, this is a text file\n".utf8))
        #expect(message.contains("not a Marsad index") && message.contains("not an SQLite database"))
    }

    @Test func foreignSQLiteDatabase() async throws {
        let bytes = try await withTemporaryDirectory { dir in
            let queue = try DatabaseQueue(path: dir + "/x.db")
            try await queue.write { db in try db.execute(sql: "CREATE TABLE customers (id INTEGER, name TEXT)") }
            try queue.close()
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/x.db")))
        }
        let message = try await refuse(bytes)
        #expect(message.contains("customers"))
    }

    @Test func corruptDatabase() async throws {
        var bytes = Array("SQLite format 3\0".utf8)
        bytes += (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }
        let message = try await refuse(bytes)
        #expect(message.contains("other.db"))
    }

    @Test func newerSchemaIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/m.db"
            try ArticleIndex(path: path).close()
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "UPDATE meta SET value = '99' WHERE key = 'schema_version'") }
            try queue.close()
            #expect(throws: IndexError.self) { try ArticleIndex(path: path) }
        }
    }

    @Test func emptyFileBecomesAnIndex() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/empty.db"
            _ = FileManager.default.createFile(atPath: path, contents: Data())
            let index = try ArticleIndex(path: path)
            #expect(try await index.status().schemaVersion == Schema.version)
        }
    }

    @Test func readOnlyOnMissingFile() async throws {
        try await withTemporaryDirectory { dir in
            #expect(throws: IndexError.self) { try ArticleIndex(path: dir + "/none.db", mode: .readOnly) }
            #expect(!FileManager.default.fileExists(atPath: dir + "/none.db"))
        }
    }
}

@Suite("Stored article details")
struct DetailsTests {
    @Test("the hand-written JSON reads back to the same fields, escapes included")
    func roundTrip() throws {
        let article = Article(
            title: "t", captions: [Caption(text: "صورة \"1\"\\ \n", credit: "رويترز"), Caption(text: "بلا")],
            related: ["«خبر»", "tab\there"], embeddedPosts: [EmbeddedPost(author: "أ", handle: "h", date: "2021-12-09", text: "x\u{01}")],
            quotes: [Quote(text: "q", speaker: nil)], datesMentioned: [DateMention(date: "2024-01", phrase: "يناير 2024")],
            warnings: ["w"])
        let json = ArticleDetails(article).json()
        let decoded = try #require(ArticleDetails.decode(json))
        #expect(decoded.captions == article.captions)
        #expect(decoded.related == article.related)
        #expect(decoded.embeddedPosts == article.embeddedPosts)
        #expect(decoded.quotes == article.quotes)
        #expect(decoded.datesMentioned == article.datesMentioned)
        #expect(decoded.warnings == article.warnings)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }
}

@Suite("Search that Arabic readers expect")
struct ArabicSearchTests {
    @Test("a word finds its other forms, and the snippet highlights them as written, harakat and prefixes included")
    func formsAndSnippets() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            _ = try await index.store([
                try document("a.txt", "عنوان أول\nأعلنت القوات وانسحابَها من المدينة بعد الاتفاق."),
                try document("b.txt", "عنوان ثان\nبدأ الانسحاب أمس وتأخر بالانسحاب الكامل."),
                try document("c.txt", "عنوان ثالث\nلا علاقة لهذا النص بالموضوع."),
            ])
            let results = try await index.search(SearchQuery("انسحاب"), options: SearchOptions())
            #expect(Set(results.hits.map(\.path)) == ["a.txt", "b.txt"])
            for hit in results.hits {
                let scalars = Array(hit.snippet.unicodeScalars)
                let marked = hit.highlights.map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }
                if hit.path == "a.txt" { #expect(marked == ["وانسحابَها"], "\(hit.snippet)") }
                if hit.path == "b.txt" { #expect(marked == ["الانسحاب", "بالانسحاب"], "\(hit.snippet)") }
            }
            // Prefix, phrase, OR, exclusion and title-only on the same three articles.
            #expect(Set(try await index.paths("انسح*")) == ["a.txt", "b.txt"])
            #expect(try await index.paths("\"الانسحاب الكامل\"") == ["b.txt"])
            #expect(Set(try await index.paths("المدينة OR الموضوع")) == ["a.txt", "c.txt"])
            #expect(try await index.paths("انسحاب -المدينة") == ["b.txt"])
            #expect(try await index.paths("title:ثالث") == ["c.txt"])
            #expect(try await index.paths("title:انسحاب").isEmpty)
        }
    }

    @Test("--since, --until and --source filter on the parsed publication date and outlet")
    func filters() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            var a = try document("a.txt", "عنوان\nمقال عن الزيتون")
            a.article.publishedAt = "2024-01-25T15:41:00Z"
            a.article.source = "عربي بوست"
            var b = try document("b.txt", "عنوان آخر\nمقال آخر عن الزيتون")
            b.article.publishedAt = "2021-12-09"
            _ = try await index.store([a, b])
            func paths(_ options: SearchOptions) async throws -> [String] {
                try await index.search(SearchQuery("الزيتون"), options: options).hits.map(\.path).sorted()
            }
            #expect(try await paths(SearchOptions(since: "2024-01-01")) == ["a.txt"])
            #expect(try await paths(SearchOptions(until: "2021-12-31")) == ["b.txt"])
            #expect(try await paths(SearchOptions(until: "2024-01-25")) == ["a.txt", "b.txt"])
            #expect(try await paths(SearchOptions(source: "عربي بوست")) == ["a.txt"])
            #expect(try await paths(SearchOptions()) == ["a.txt", "b.txt"])
        }
    }
}
