import Foundation
import GRDB
import Testing
@testable import ArticleIndex
import ArabicText
import Articles

/// The seeds in a given order, stored one at a time (as files dropped one by one arrive).
private func storeOneByOne(_ index: ArticleIndex, _ paths: [String]) async throws {
    for path in paths { _ = try await index.store([try seedDocument(path)]) }
}

private func storyOf(_ index: ArticleIndex, _ path: String) async throws -> Int64? {
    try await index.article(path: path)?.storyID
}

/// A wire text of several paragraphs, and a republished copy with another header and boilerplate.
private let wireParagraphs = [
    "أعلنت وزارة الصحة في ولاية الخرطوم اليوم الأحد افتتاح ثلاثة مستشفيات ميدانية جديدة في أحياء أم درمان الشمالية لاستقبال المصابين بالحمى.",
    "وقال مدير إدارة الطوارئ في الوزارة إن المستشفيات الثلاثة تضم 240 سريرا ومختبرا متنقلا، وإن فرقا من المتطوعين انضمت إلى الكوادر الطبية.",
    "وأضاف أن عدد الحالات المسجلة منذ بداية الشهر بلغ 1870 حالة، بينها 23 وفاة، وأن معظم الإصابات سجلت في الأحياء التي تعاني من شح المياه.",
    "ودعت الوزارة السكان إلى تجفيف المياه الراكدة واستخدام الناموسيات، فيما بدأت حملة رش في 14 حيا بمشاركة البلديات والهلال الأحمر.",
    "ويأتي افتتاح المستشفيات بعد أسبوعين من تحذير منظمة الصحة العالمية من تفش واسع للحمى في العاصمة وضواحيها مع موسم الأمطار.",
]

private func wire(header: String, title: String, paragraphs: [String] = wireParagraphs, footer: String = "") -> String {
    ([title, header] + paragraphs + (footer.isEmpty ? [] : [footer])).joined(separator: "\n")
}

@Suite("Near-duplicates and stories, on real SQLite files")
struct StoryTests {
    @Test("the seeds: 003, 000 and 002 tell one story, 001 another, in any order they arrive", arguments: [
        [0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 0, 2, 4, 3], [2, 4, 0, 3, 1], [3, 1, 4, 0, 2],
    ])
    func seeds(order: [Int]) async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/i.db")
            defer { try? index.close() }
            let seeds = try seedPaths()
            try await storeOneByOne(index, order.map { seeds[$0] })
            let story = try await seeds.asyncMap { try await storyOf(index, $0) }
            #expect(story.allSatisfy { $0 != nil })
            #expect(story[0] == story[3] && story[2] == story[3], "003, 000 and 002: the first round of the talks")
            #expect(story[1] != story[3], "001: the end of the combat mission in 2021")
            for seed in seeds { #expect(try await index.article(path: seed)?.nearDuplicateOf == nil) }
        }
    }

    @Test("a copy with another header, headline, caption and line endings is a near-duplicate in its original's story")
    func nearDuplicate() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/i.db")
            defer { try? index.close() }
            let original = wire(header: "الخرطوم - رويترز", title: "ثلاثة مستشفيات ميدانية لمواجهة الحمى في أم درمان")
            var edited = wireParagraphs
            edited[1] = edited[1].replacingOccurrences(of: "انضمت إلى", with: "التحقت بـ")
            edited.remove(at: 4)
            let copy = wire(header: "الخرطوم - وكالات", title: "الخرطوم تفتتح مستشفيات للحمى", paragraphs: edited,
                            footer: "تابعونا على قناتنا في تيليغرام")
                .replacingOccurrences(of: "\n", with: "\r\n")
            _ = try await index.store([try document("/in/a.txt", original), try document("/in/b.txt", copy)])
            let a = try #require(try await index.article(path: "/in/a.txt"))
            let b = try #require(try await index.article(path: "/in/b.txt"))
            #expect(b.nearDuplicateOf == a.id)
            #expect(a.nearDuplicateOf == nil && a.nearDuplicates == [b.id])
            #expect(a.storyID != nil && a.storyID == b.storyID)
            // The same bytes again are today's duplicate: no new article.
            let outcome = try await index.store([try document("/in/c.txt", original)])
            #expect(outcome == [.duplicate(of: a.id)])
            let story = try #require(try await index.story(id: a.storyID!))
            #expect(story.story.articleCount == 2 && story.story.nearDuplicateCount == 1)
            #expect(story.articles.map(\.id).sorted() == [a.id, b.id])

            // Collapsed by text, the copy folds into its original.
            let near = try await index.search(SearchQuery("مستشفيات الحمى"), options: {
                var o = SearchOptions(); o.collapse = .near; return o }())
            #expect(near.hits.count == 1 && near.hits[0].collapsed?.count == 1)
            let plain = try await index.search(SearchQuery("مستشفيات الحمى"))
            #expect(plain.hits.count == 2 && plain.hits.allSatisfy { $0.storyID == a.storyID && $0.storySize == 2 })

            // The original leaves: its copy becomes the original and the story stays.
            try await index.remove(path: "/in/a.txt")
            try await index.remove(path: "/in/c.txt")
            let left = try #require(try await index.article(path: "/in/b.txt"))
            #expect(left.nearDuplicateOf == nil && left.storyID == a.storyID)
            #expect(try await index.story(id: a.storyID!)?.story.articleCount == 1)
            // A third copy now finds the promoted one.
            _ = try await index.store([try document("/in/d.txt", wire(header: "أم درمان - مرصد", title: "مستشفيات للحمى", paragraphs: edited))])
            #expect(try await index.article(path: "/in/d.txt")?.nearDuplicateOf == left.id)
            // The last articles leave: the story disappears.
            try await index.remove(path: "/in/b.txt")
            try await index.remove(path: "/in/d.txt")
            #expect(try await index.story(id: a.storyID!) == nil)
            #expect(try await index.stories(StoryFilter()).isEmpty)
        }
    }

    @Test("a replaced article finds its story again; an article bridging two stories merges them into the older")
    func replaceAndMerge() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/i.db")
            defer { try? index.close() }
            let seeds = try seedPaths()
            _ = try await index.store([try seedDocument(seeds[1])])  // 001: 2021
            let before = try #require(try await storyOf(index, seeds[1]))
            // The same path now holds another article: it leaves its story, which disappears, and gets a new one.
            let other = wire(header: "الخرطوم - رويترز", title: "مستشفيات ميدانية للحمى")
            let outcome = try await index.store([try document(seeds[1], other)])
            #expect(outcome.count == 1)
            let after = try #require(try await storyOf(index, seeds[1]))
            #expect(after != before)
            #expect(try await index.story(id: before) == nil)

            // Two stories, then an article similar to both: one story, the older id, and the other redirects.
            let first = wire(header: "الخرطوم - رويترز", title: "مستشفيات ميدانية في أم درمان",
                             paragraphs: Array(wireParagraphs.prefix(2)))
            let second = wire(header: "الخرطوم - أ ف ب", title: "حملة رش في 14 حيا",
                              paragraphs: Array(wireParagraphs.suffix(2)))
            let bridge = wire(header: "الخرطوم - مرصد", title: "الحمى في الخرطوم: مستشفيات ميدانية وحملة رش",
                              paragraphs: [wireParagraphs[0] + " " + wireParagraphs[4], wireParagraphs[3] + " " + wireParagraphs[1]])
            let index2 = try ArticleIndex(path: dir + "/j.db")
            defer { try? index2.close() }
            _ = try await index2.store([try document("/in/1.txt", first)])
            _ = try await index2.store([try document("/in/2.txt", second)])
            let s1 = try #require(try await storyOf(index2, "/in/1.txt"))
            let s2 = try #require(try await storyOf(index2, "/in/2.txt"))
            try #require(s1 != s2, "the two halves must start two stories for this test to mean anything")
            _ = try await index2.store([try document("/in/3.txt", bridge)])
            let s3 = try #require(try await storyOf(index2, "/in/3.txt"))
            #expect(s3 == min(s1, s2))
            #expect(try await storyOf(index2, "/in/1.txt") == s3)
            #expect(try await storyOf(index2, "/in/2.txt") == s3)
            let merged = try #require(try await index2.story(id: max(s1, s2)))
            #expect(merged.story.id == s3 && merged.mergedFrom == max(s1, s2) && merged.articles.count == 3)
        }
    }

    @Test("a story's span: an article from inside it leaves it as it was, one at an end narrows it, a replaced end too")
    func spanAfterRemoval() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/i.db")
            defer { try? index.close() }
            // One report on three days (each its own wording of the wire, so none is a near-duplicate of another).
            let days = ["2024/03/10", "2024/03/11", "2024/03/12"]
            for (n, day) in days.enumerated() {
                let paragraphs = wireParagraphs.enumerated().filter { $0.offset != n }.map(\.element)
                let text = ["مستشفيات ميدانية للحمى في الخرطوم (\(n))", "تم النشر: " + day] + paragraphs
                _ = try await index.store([try document("/in/\(n).txt", text.joined(separator: "\n"))])
            }
            let story = try #require(try await storyOf(index, "/in/0.txt"))
            let second = try await storyOf(index, "/in/1.txt"), third = try await storyOf(index, "/in/2.txt")
            try #require(second == story && third == story, "the three reports must share a story for this test to mean anything")
            func span() async throws -> (String, String, Int) {
                let detail = try #require(try await index.story(id: story))
                return (String(detail.story.firstAt.prefix(10)), String(detail.story.lastAt.prefix(10)), detail.story.articleCount)
            }
            #expect(try await span() == ("2024-03-10", "2024-03-12", 3))
            try await index.remove(path: "/in/1.txt")
            #expect(try await span() == ("2024-03-10", "2024-03-12", 2), "the middle day was no end of the span")
            try await index.remove(path: "/in/0.txt")
            #expect(try await span() == ("2024-03-12", "2024-03-12", 1), "the first day left with its article")
            // The last article is replaced by a report of the same story a day later: the span follows it.
            let later = ["مستشفيات ميدانية للحمى في الخرطوم (3)", "تم النشر: 2024/03/13"] + wireParagraphs.dropLast()
            _ = try await index.store([try document("/in/2.txt", later.joined(separator: "\n"))])
            let moved = try #require(try await storyOf(index, "/in/2.txt"))
            let detail = try #require(try await index.story(id: moved))
            #expect(detail.story.firstAt.hasPrefix("2024-03-13") && detail.story.lastAt.hasPrefix("2024-03-13"))
            #expect(detail.story.articleCount == 1)
        }
    }

    @Test("2,000 copies of one wire text with different headers: one story and one original")
    func wireBurst() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/i.db")
            defer { try? index.close() }
            let outlets = ["رويترز", "وكالات", "أ ف ب", "مرصد", "الأناضول"]
            var batch: [IndexDocument] = []
            for n in 0..<2_000 {
                let text = wire(header: "الخرطوم - \(outlets[n % outlets.count]) \(n)", title: "مستشفيات للحمى \(n)")
                batch.append(try document("/in/\(n).txt", text))
                if batch.count == 500 { _ = try await index.store(batch); batch = [] }
            }
            let stories = try await index.stories(StoryFilter(limit: 10))
            #expect(stories.count == 1)
            #expect(stories.first?.articleCount == 2_000 && stories.first?.nearDuplicateCount == 1_999)
            let originals = try await index.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM article_stories WHERE near_duplicate_of IS NULL")
            }
            #expect(originals == 1)
        }
    }

    @Test("articles with no body, a one-line body, no date, dates far off, a list of numbers: each gets a story")
    func badInput() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/i.db")
            defer { try? index.close() }
            let texts = [
                "عنوان بلا نص",
                "عنوان\nسطر واحد فقط.",
                "خبر بلا تاريخ\nقال مسؤول إن الاجتماع انتهى دون اتفاق على الموعد.",
                "خبر قديم جدا\nتم النشر: 1901/01/01\nقال مسؤول إن الاجتماع انتهى.",
                "خبر من المستقبل\nتم النشر: 2999/12/31\nقال مسؤول إن الاجتماع انتهى.",
                "أرقام\n" + (1...400).map(String.init).joined(separator: " "),
                "أرقام أخرى\n" + (1...400).map { String($0 * 7) }.joined(separator: "، "),
            ]
            for (n, text) in texts.enumerated() {
                _ = try await index.store([try document("/in/\(n).txt", text)])
                let stored = try #require(try await index.article(path: "/in/\(n).txt"))
                #expect(stored.storyID != nil, "\(text.prefix(20))")
            }
            // The title-only article has no fingerprint and no near-duplicate.
            #expect(try await index.article(path: "/in/0.txt")?.nearDuplicateOf == nil)
            #expect(try await index.stories(StoryFilter(limit: 100)).count >= 5)
        }
    }

    @Test("stories --rebuild finds the same stories as one-by-one arrival, and the listing filters")
    func rebuildAndList() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/i.db")
            defer { try? index.close() }
            let seeds = try seedPaths()
            try await storeOneByOne(index, seeds)
            func grouping() async throws -> Set<Set<String>> {
                var groups: [Int64: Set<String>] = [:]
                for seed in seeds { groups[try await storyOf(index, seed)!, default: []].insert(seed) }
                return Set(groups.values)
            }
            let before = try await grouping()
            try await index.rebuildStories(windowDays: nil) { _, _ in }
            #expect(try await grouping() == before)
            try await index.rebuildStories(windowDays: 2) { _, _ in }
            #expect(try await index.pool.read { db in try Meta.get(db, "story_window_days") } == "2")

            let all = try await index.stories(StoryFilter(limit: 50))
            #expect(all.reduce(0) { $0 + $1.articleCount } == seeds.count)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.lastAt >= $1.lastAt }, "newest first")
            for story in all {
                #expect(!story.title.isEmpty && !story.terms.isEmpty)
                let detail = try #require(try await index.story(id: story.id))
                #expect(detail.articles.count == story.articleCount)
                #expect(detail.articles.contains { $0.id == story.articleID })
            }
            let outlet = try #require(all.flatMap(\.outlets).first)
            #expect(try await index.stories(StoryFilter(source: outlet)).allSatisfy { $0.outlets.contains(outlet) })
            #expect(try await index.stories(StoryFilter(since: "2030-01-01")).isEmpty)
            #expect(try await index.stories(StoryFilter(limit: 1)).count == 1)
        }
    }

    @Test("an index of schema v4 gets its stories on the upgrade")
    func upgradeFromVersion4() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/v4.db"
            let index = try ArticleIndex(path: path)
            try await storeOneByOne(index, try seedPaths())
            try index.close()
            // As Marsad 4 left it: no story tables, the v5 migration not applied.
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                for table in ["article_stories", "fingerprint_bands", "story_keys", "story_terms", "stories", "story_redirects"] {
                    try db.execute(sql: "DROP TABLE \(table)")
                }
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v5%'")
                try Meta.set(db, "schema_version", "4")
                try db.execute(sql: "DELETE FROM meta WHERE key = 'story_version'")
            }
            try queue.close()
            let old = try ArticleIndex(path: path, mode: .readOnly)
            #expect(try await old.search(SearchQuery("التحالف")).hits.allSatisfy { $0.storyID == nil })
            try old.close()
            let upgraded = try ArticleIndex(path: path)
            defer { try? upgraded.close() }
            #expect(try await upgraded.status().schemaVersion == 5)
            for seed in try seedPaths() { #expect(try await storyOf(upgraded, seed) != nil) }
            #expect(try await upgraded.needsReindex() == false)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
