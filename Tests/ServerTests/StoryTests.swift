import Alerts
import ArticleIndex
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingestion
import Testing
import TestSupport
@testable import Server
@testable import WebPages

/// Stories through the API and the pages, on real indexes of the seeds. How the seeds group is the story rules'
/// business (they are being tuned): these tests hold the API to being consistent with itself (every hit's and
/// every article's `story_id` is a story that lists it, counts add up, collapsing folds exactly the matches of one
/// story), not to one grouping.
@Suite("Stories in the API and the pages")
struct StoryTests {
    /// The seeds and a near-copy of seed 003 (another headline, outlet and date; the same body), at `dir/m.db`.
    static func indexWithCopy(_ dir: String) async throws -> String {
        let inbox = dir + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let original = try String(contentsOfFile: seedsDirectory + "/003_931eb2a5a6a3a8f9.txt", encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        lines[0] = "بغداد وواشنطن تتفقان على جدول لانسحاب قوات التحالف الدولي"
        lines[2] = "وكالة المرصد"
        lines[3] = "تم النشر: 2024/01/26 الساعة 09:10 بتوقيت غرينتش"
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: inbox + "/copy.txt"))
        let db = dir + "/m.db"
        let index = try ArticleIndex(path: db)
        let report = await Ingestor(store: index).ingest([seedsDirectory])
        #expect(report.indexed == 5)
        // After the seeds, so that the copy is the later one.
        #expect(await Ingestor(store: index).ingest([inbox]).indexed == 1)
        try index.close()
        return db
    }

    func withServer(database: @escaping (String) async throws -> String = ServerTests.seededIndex,
                    _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let db = try await database(dir)
            // A debug build under the whole suite's load can take over the default 2 s for a page's search and
            // facets (a plain search page once came back empty with its timeout error): these tests are not
            // about the timeout.
            let server = MarsadServer(configuration: .init(database: db, queryTimeout: .seconds(30),
                                                           stateDirectory: dir + "/state"))
            try await Application(router: server.router()).test(.router) { client in try await body(client) }
            await server.index.close()
        }
    }

    static func json(_ client: some TestClientProtocol, _ uri: String) async throws -> [String: Any] {
        let response = try await ServerTests.get(client, uri)
        #expect(response.status == .ok, "\(uri): \(response.status) \(String(buffer: response.body))")
        return try ServerTests.json(response)
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func id(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }

    /// Every story of the index, through `/api/stories`, with its detail.
    static func allStories(_ client: some TestClientProtocol) async throws -> [(summary: [String: Any], detail: [String: Any])] {
        let list = try await json(client, "/api/stories?limit=100")["stories"] as? [[String: Any]] ?? []
        var out: [(summary: [String: Any], detail: [String: Any])] = []
        for story in list {
            let id = try #require(Self.id(story["id"]))
            out.append((story, try await json(client, "/api/stories/\(id)")))
        }
        return out
    }

    @Test("/api/stories lists every article once, newest first; each story's detail lists articles whose story_id is it")
    func storiesAreConsistent() async throws {
        try await withServer { client in
            let stories = try await Self.allStories(client)
            #expect(!stories.isEmpty)
            let counts = stories.map { Self.id($0.summary["article_count"]) ?? 0 }
            #expect(counts.reduce(0, +) == 5, "every seed is in exactly one story: \(counts)")
            let lasts = stories.map { $0.summary["last_at"] as? String ?? "" }
            #expect(lasts == lasts.sorted(by: >), "newest first: \(lasts)")
            var seen: Set<Int> = []
            for (summary, detail) in stories {
                let id = try #require(Self.id(summary["id"]))
                for key in ["title", "article_id", "first_at", "last_at", "article_count", "near_duplicate_count",
                            "outlets", "terms"] {
                    #expect(summary[key] != nil, "story \(id) lacks \(key)")
                }
                let story = detail["story"] as? [String: Any] ?? [:]
                #expect(Self.id(story["id"]) == id && story["title"] as? String == summary["title"] as? String)
                #expect(detail["merged_from"] == nil || detail["merged_from"] is NSNull)
                let members = detail["articles"] as? [[String: Any]] ?? []
                #expect(members.count == Self.id(summary["article_count"]))
                #expect(members.contains { Self.id($0["id"]) == Self.id(summary["article_id"]) }, "its central article is a member")
                let times = members.map { ($0["published_at"] as? String) ?? ($0["ingested_at"] as? String ?? "") }
                #expect(times == times.sorted(), "members in time order: \(times)")
                #expect(members.filter { !($0["near_duplicate_of"] is NSNull) && $0["near_duplicate_of"] != nil }.count
                        == Self.id(summary["near_duplicate_count"]))
                for member in members {
                    let articleID = try #require(Self.id(member["id"]))
                    #expect(seen.insert(articleID).inserted, "#\(articleID) is in two stories")
                    for key in ["path", "title", "source", "published_at", "ingested_at", "near_duplicate_of"] {
                        #expect(member.keys.contains(key), "a member lacks \(key) (written as null when unknown)")
                    }
                    let article = try await Self.json(client, "/api/articles/\(articleID)")
                    #expect(Self.id(article["story_id"]) == id, "#\(articleID) says story \(String(describing: article["story_id"]))")
                }
            }
            #expect(seen.count == 5)
            // Paging goes through the same list.
            let first = try await Self.json(client, "/api/stories?limit=1")["stories"] as? [[String: Any]] ?? []
            let second = try await Self.json(client, "/api/stories?limit=1&offset=1")["stories"] as? [[String: Any]] ?? []
            #expect(first.map { Self.id($0["id"]) } == stories.prefix(1).map { Self.id($0.summary["id"]) })
            #expect(second.map { Self.id($0["id"]) } == stories.dropFirst().prefix(1).map { Self.id($0.summary["id"]) })
            // A filter no story passes.
            let none = try await Self.json(client, "/api/stories?source=" + Self.encoded("لا مصدر بهذا الاسم"))
            #expect((none["stories"] as? [Any])?.isEmpty == true)
            let head = try await client.execute(uri: "/api/stories", method: .head) { $0 }
            #expect(head.status == .ok && head.body.readableBytes == 0)
        }
    }

    @Test("an unknown story is a 404 naming it; an id that is not a positive number names no story either")
    func storyErrors() async throws {
        try await withServer { client in
            let unknown = try await ServerTests.get(client, "/api/stories/987654")
            #expect(unknown.status == .notFound)
            let error = try ServerTests.errorCode(unknown)
            #expect(error.code == "not_found" && error.message?.contains("987654") == true, "\(error)")
            for bad in ["abc", "0", "-1", "01", "1x"] {
                let response = try await ServerTests.get(client, "/api/stories/\(bad)")
                #expect(response.status == .notFound, "\(bad): \(response.status)")
                let message = try ServerTests.errorCode(response).message ?? ""
                #expect(message.contains("'\(bad)'"), "\(bad): \(message)")
            }
            #expect(try await ServerTests.get(client, "/stories/987654").status == .notFound)
            let post = try await client.execute(uri: "/api/stories/1", method: .post) { $0 }
            #expect(post.status == .methodNotAllowed && post.headers[.allow] == "GET")
        }
    }

    @Test("collapse=story: one hit per story, each story_id distinct, the folded matches exactly the rest")
    func collapseByStory() async throws {
        try await withServer { client in
            let q = Self.encoded("التحالف")  // in every seed
            let plain = try await Self.json(client, "/api/search?q=\(q)&limit=20")
            let hits = plain["hits"] as? [[String: Any]] ?? []
            #expect(hits.count == 5 && plain["collapse"] == nil)
            for hit in hits {
                let story = try #require(Self.id(hit["story_id"]), "every hit has a story_id")
                let detail = try await Self.json(client, "/api/stories/\(story)")
                let members = (detail["articles"] as? [[String: Any]] ?? []).compactMap { Self.id($0["id"]) }
                #expect(members.contains(Self.id(hit["id"]) ?? 0), "story \(story) lists hit \(hit["id"] ?? "")")
                #expect(Self.id(hit["story_size"]) == members.count)
            }
            let stories = Set(hits.compactMap { Self.id($0["story_id"]) })

            let collapsed = try await Self.json(client, "/api/search?q=\(q)&limit=20&collapse=story")
            #expect(collapsed["collapse"] as? String == "story")
            #expect(collapsed["total"] as? Int == plain["total"] as? Int, "total still counts the matches")
            let folded = collapsed["hits"] as? [[String: Any]] ?? []
            let ids = folded.compactMap { Self.id($0["story_id"]) }
            #expect(ids.count == folded.count && Set(ids).count == ids.count, "one hit per story: \(ids)")
            #expect(Set(ids) == stories)
            // Seeds 000, 002 and 003 tell one story: fewer hits than matches.
            #expect(folded.count < hits.count, "\(folded.count) collapsed hits for \(hits.count) matches")
            var covered: [Int] = []
            for hit in folded {
                covered.append(Self.id(hit["id"]) ?? 0)
                if let more = hit["collapsed"] as? [String: Any] {
                    let others = (more["ids"] as? [Any] ?? []).compactMap(Self.id)
                    #expect(more["count"] as? Int == others.count)
                    covered += others
                    for other in others {
                        let match = hits.first { Self.id($0["id"]) == other }
                        #expect(Self.id(match?["story_id"]) == Self.id(hit["story_id"]), "#\(other) folded into another story")
                    }
                    #expect(more["outlets"] is [Any])
                }
            }
            #expect(covered.sorted() == hits.compactMap { Self.id($0["id"]) }.sorted(), "every match once: \(covered)")

            let near = try await Self.json(client, "/api/search?q=\(q)&limit=20&collapse=near")
            #expect(near["collapse"] as? String == "near")
            let none = try await Self.json(client, "/api/search?q=\(q)&limit=20&collapse=none")
            #expect(none["collapse"] == nil && (none["hits"] as? [Any])?.count == 5)
        }
    }

    @Test("a near-copy: near_duplicate_of on its hit and article, folded by collapse=near, under its original on the story page")
    func nearDuplicates() async throws {
        try await withServer(database: Self.indexWithCopy) { client in
            let q = Self.encoded("التحالف")
            let hits = try await Self.json(client, "/api/search?q=\(q)&limit=20")["hits"] as? [[String: Any]] ?? []
            let copy = try #require(hits.first { ($0["path"] as? String)?.hasSuffix("/copy.txt") == true })
            let original = try #require(hits.first { ($0["path"] as? String)?.hasSuffix("/003_931eb2a5a6a3a8f9.txt") == true })
            let copyID = try #require(Self.id(copy["id"]))
            let originalID = try #require(Self.id(original["id"]))
            #expect(Self.id(copy["near_duplicate_of"]) == originalID, "\(copy)")
            #expect(original["near_duplicate_of"] == nil, "left out for an original")
            #expect(Self.id(copy["story_id"]) == Self.id(original["story_id"]))
            let article = try await Self.json(client, "/api/articles/\(originalID)")
            #expect((article["near_duplicates"] as? [Any])?.compactMap(Self.id) == [copyID])

            let near = try await Self.json(client, "/api/search?q=\(q)&limit=20&collapse=near")
            let nearHits = near["hits"] as? [[String: Any]] ?? []
            #expect(nearHits.count == hits.count - 1)
            let folding = nearHits.first { ($0["collapsed"] as? [String: Any]) != nil }
            #expect(folding.map { [Self.id($0["id"]) ?? 0] + (($0["collapsed"] as? [String: Any])?["ids"] as? [Any] ?? []).compactMap(Self.id) }
                        .map(Set.init) == [originalID, copyID], "the copy folds with its original")

            let story = try #require(Self.id(original["story_id"]))
            let page = try await PageTests.page(client, "/stories/\(story)")
            #expect(page.status == .ok)
            let details = try #require(page.html.range(of: "<details class=\"near\">"))
            let entry = try #require(page.html.range(of: "data-id=\"\(originalID)\""))
            #expect(entry.lowerBound < details.lowerBound, "the copy is folded under its original")
            #expect(page.html.contains("نسخ مطابقة تقريبا (1)"))
            #expect(page.html[details.lowerBound...].contains("href=\"/articles/\(copyID)\""))
            let copyPage = try await PageTests.page(client, "/articles/\(copyID)")
            #expect(copyPage.html.contains("نسخة مطابقة تقريبا من <a href=\"/articles/\(originalID)\">"))
            let originalPage = try await PageTests.page(client, "/articles/\(originalID)")
            #expect(originalPage.html.contains("href=\"/articles/\(copyID)\""), "the original lists its copy")
        }
    }

    @Test("the story page: headline, RTL, a timeline with every article linked; the list page; the article links its story")
    func pages() async throws {
        try await withServer { client in
            let stories = try await Self.allStories(client)
            let list = try await PageTests.page(client, "/stories")
            #expect(list.status == .ok && list.html.contains("<html lang=\"ar\" dir=\"rtl\">"))
            for (summary, detail) in stories {
                let id = try #require(Self.id(summary["id"]))
                #expect(list.html.contains("href=\"/stories/\(id)\""), "the list links story \(id)")
                let page = try await PageTests.page(client, "/stories/\(id)")
                #expect(page.status == .ok)
                #expect(page.html.contains("<html lang=\"ar\" dir=\"rtl\">"))
                #expect(page.html.contains("<h1><bdi>\(HTML.escape(summary["title"] as? String ?? "-"))</bdi></h1>"))
                #expect(page.html.contains("class=\"timeline\""))
                for member in detail["articles"] as? [[String: Any]] ?? [] {
                    let articleID = try #require(Self.id(member["id"]))
                    #expect(page.html.contains("href=\"/articles/\(articleID)\""), "story \(id) links #\(articleID)")
                    let article = try await PageTests.page(client, "/articles/\(articleID)")
                    #expect(article.html.contains("href=\"/stories/\(id)\""), "#\(articleID) links its story")
                }
                #expect(try await client.execute(uri: "/stories/\(id)", method: .head) { $0 }.status == .ok)
            }
            #expect(try await PageTests.page(client, "/stories?since=yesterday").status == .badRequest)
            #expect(try await PageTests.page(client, "/stories?offset=20").status == .ok)
        }
    }

    @Test("the search page: «تجميع حسب القصة» sets collapse=story, kept in its links; collapsed hits link their story")
    func searchPageCollapse() async throws {
        try await withServer { client in
            let q = Self.encoded("التحالف")
            let plain = try await PageTests.page(client, "/?q=\(q)")
            #expect(plain.html.contains("name=\"collapse\" value=\"story\">"), "unchecked by default")
            #expect(plain.html.components(separatedBy: "class=\"hit\"").count > 1, "\(plain.html.suffix(600))")
            let page = try await PageTests.page(client, "/?q=\(q)&collapse=story")
            #expect(page.status == .ok)
            #expect(page.html.contains("name=\"collapse\" value=\"story\" checked"))
            #expect(page.html.components(separatedBy: "class=\"hit\"").count < plain.html.components(separatedBy: "class=\"hit\"").count)
            let line = try #require(page.html.firstMatch(of: /<p class="collapsed"><a href="\/stories\/(\d+)">\+(\d+) ([^<]+)<\/a>/))
            #expect(Int(line.2) ?? 0 > 0)
            #expect(try await PageTests.page(client, "/stories/\(line.1)").status == .ok)
            #expect(page.html.contains("collapse=story"), "the facets keep it")
            let bad = try await PageTests.page(client, "/?q=\(q)&collapse=sideways")
            #expect(bad.status == .badRequest && bad.html.contains("class=\"error\""))
        }
    }

    @Test("what a collapsed hit says of its folded matches, and counted nouns")
    func arabicCounts() {
        #expect(ArabicCount.folded(4, outlets: 3, sameText: false) == "+4 من 3 مصادر أخرى")
        #expect(ArabicCount.folded(1, outlets: 1, sameText: false) == "+1 من مصدر آخر")
        #expect(ArabicCount.folded(2, outlets: 2, sameText: false) == "+2 من مصدرين آخرين")
        #expect(ArabicCount.folded(2, outlets: 0, sameText: false) == "+2 في القصة نفسها")
        #expect(ArabicCount.folded(12, outlets: 11, sameText: false) == "+12 من 11 مصدرًا آخر")
        #expect(ArabicCount.articles(1) == "مقال واحد" && ArabicCount.articles(2) == "مقالان")
        #expect(ArabicCount.articles(5) == "5 مقالات" && ArabicCount.articles(11) == "11 مقالًا")
        #expect(ArabicDate.span("2024-01-25T15:41:00Z", "2024-01-25T18:00:00Z") == "25 يناير 2024")
        #expect(ArabicDate.span("2024-01-25", "2024-02-01T09:00:00Z") == "من 25 يناير 2024 إلى 1 فبراير 2024")
        #expect(ArabicDate.clock("2024-01-25T15:41:00Z") == "15:41" && ArabicDate.clock("2024-01-25") == nil)
    }

    @Test("a merged story's page says so; a copy whose original is elsewhere stands on its own; article text stays data")
    func renderedStory() throws {
        let json = #"""
            {"story": {"id": 7, "title": "عنوان <script>x</script>", "article_id": 11, "first_at": "2024-01-25T10:00:00Z",
                       "last_at": "2024-01-26T08:00:00Z", "dated": true, "article_count": 4, "near_duplicate_count": 2,
                       "outlets": ["أ", "ب"], "terms": ["كلمة"]},
             "articles": [
               {"id": 11, "path": "a", "title": "الأصل", "source": "أ", "published_at": "2024-01-25T10:00:00Z",
                "ingested_at": "2024-01-25T10:01:00Z", "near_duplicate_of": null},
               {"id": 14, "path": "d", "title": "آخر", "source": "ب", "published_at": "2024-01-25T12:00:00Z",
                "ingested_at": "2024-01-25T12:01:00Z", "near_duplicate_of": null},
               {"id": 12, "path": "b", "title": "نسخة", "source": "ب", "published_at": "2024-01-26T08:00:00Z",
                "ingested_at": "2024-01-26T08:01:00Z", "near_duplicate_of": 11},
               {"id": 13, "path": "c", "title": "يتيمة", "source": null, "published_at": null,
                "ingested_at": "2024-01-26T09:00:00Z", "near_duplicate_of": 99}],
             "merged_from": 3}
            """#
        // In time order, as the index gives them.
        let detail = try JSONDecoder().decode(StoryDetail.self, from: Data(json.utf8))
        let html = Pages().story(detail)
        #expect(html.contains("القصة #3 دُمجت في هذه القصة"))
        #expect(html.contains("&lt;script&gt;") && !html.contains("<script>x"))
        #expect(html.contains("من 25 يناير 2024 إلى 26 يناير 2024"))
        // Two days; #12 folded under #11 though it was published the next day; #13's original is not in the story.
        #expect(html.components(separatedBy: "class=\"day\"").count == 3)
        #expect(html.components(separatedBy: "<details class=\"near\">").count == 2)
        #expect(html.contains("data-id=\"13\"") && html.contains("(وقت الفهرسة)"))
        let order = ["data-id=\"11\"", "data-id=\"12\"", "data-id=\"14\"", "data-id=\"13\""].compactMap { html.range(of: $0)?.lowerBound }
        #expect(order.count == 4 && order == order.sorted(), "11, its copy 12, then 14 the same day, then 13")
    }

    @Test("stream events and webhook bodies carry story_id and near_duplicate_of (null when unknown); alert matches keep them")
    func notifications() async throws {
        let encoder = JSONEncoder()
        let plain = try JSONSerialization.jsonObject(with: encoder.encode(
            ArticleSummary(id: 1, title: "t", path: "p", source: nil, publishedAt: nil, snippet: "s"))) as? [String: Any]
        #expect(plain?.keys.contains("story_id") == true && plain?["story_id"] is NSNull)
        #expect(plain?.keys.contains("near_duplicate_of") == true)
        let marked = try JSONSerialization.jsonObject(with: encoder.encode(
            ArticleSummary(id: 1, title: "t", path: "p", source: nil, publishedAt: nil, snippet: "s", storyID: 9,
                           nearDuplicateOf: 4))) as? [String: Any]
        #expect(Self.id(marked?["story_id"]) == 9 && Self.id(marked?["near_duplicate_of"]) == 4)

        try await withTemporaryDirectory { dir in
            let db = dir + "/m.db"
            let index = try ArticleIndex(path: db)
            let store = try AlertStore(directory: dir + "/state")
            try await store.setCursor(0)
            let alert = try await store.add(name: "التحالف", query: "التحالف", webhook: "http://127.0.0.1:9/hook")
            _ = await Ingestor(store: index).ingest([seedsDirectory])
            let handle = IndexHandle(location: db)
            let service = AlertService(store: store, index: handle, feed: ArticleFeed(index: handle), capacity: 10,
                                       logger: .init(label: "test"))
            await service.match(upTo: try await index.latestArticleID())
            let matches = try await store.matches(alertID: alert.id, limit: 10)
            #expect(matches.count == 5)
            for match in matches {
                let stored = try await index.article(id: match.articleID, path: nil)
                #expect(match.storyID != nil && match.storyID == stored?.storyID, "#\(match.articleID)")
            }
            let json = try JSONSerialization.jsonObject(with: encoder.encode(matches[0])) as? [String: Any]
            #expect(Self.id(json?["story_id"]) == matches[0].storyID.map(Int.init))
            let due = try await store.dueDeliveries(now: Date().timeIntervalSince1970 + 1, limit: 1)
            let first = try #require(due.first)
            let payload = try #require(try await store.payload(matchID: first.matchID))
            let article = (try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])?["article"] as? [String: Any]
            #expect(article?["story_id"] != nil && !(article?["story_id"] is NSNull), "\(String(describing: article))")
            try index.close()
            await handle.close()
        }
    }
}
