import Alerts
import ArticleIndex
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingestion
import Testing
import TestSupport
@testable import Server

/// The article text, more like this, the Atom feed, saved searches and metrics, through Hummingbird's test
/// client on a real index of the seeds.
@Suite("Feeds, alerts and metrics")
struct FeedAndAlertTests {
    func withServer(_ mode: TestingSetup = .router,
                    _ body: @Sendable (any TestClientProtocol, MarsadServer) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let db = try await ServerTests.seededIndex(dir)
            let server = MarsadServer(configuration: .init(database: db, stateDirectory: dir + "/state"))
            let app = Application(router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(mode) { client in try await body(client, server) }
            await server.index.close()
        }
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test("the original text is the file's bytes; a file changed since it was indexed is not passed off as it")
    func originalText() async throws {
        try await withTemporaryDirectory { dir in
            let inbox = dir + "/inbox"
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
            let seed = try #require(try FileManager.default.contentsOfDirectory(atPath: seedsDirectory)
                .filter { $0.hasSuffix(".txt") }.sorted().first)
            try FileManager.default.copyItem(atPath: seedsDirectory + "/" + seed, toPath: inbox + "/a.txt")
            let db = dir + "/m.db"
            let index = try ArticleIndex(path: db)
            _ = await Ingestor(store: index).ingest([inbox])
            try index.close()
            let server = MarsadServer(configuration: .init(database: db))
            try await Application(router: server.router()).test(.router) { client in
                let response = try await ServerTests.get(client, "/api/articles/1/text")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                #expect(Array(buffer: response.body) == Array(try Data(contentsOf: URL(fileURLWithPath: inbox + "/a.txt"))))
                try Data("نص آخر تماما".utf8).write(to: URL(fileURLWithPath: inbox + "/a.txt"))
                let changed = try await ServerTests.get(client, "/api/articles/1/text")
                #expect(changed.status == .notFound)
                #expect(try ServerTests.errorCode(changed).message?.contains("no longer") == true)
                #expect(try await ServerTests.get(client, "/api/articles/9/text").status == .notFound)
            }
            await server.index.close()
        }
    }

    @Test("more like this: the other reports of the story, scored; a bad limit is a 400, an unknown id a 404")
    func similar() async throws {
        try await withServer { client, _ in
            let response = try await ServerTests.get(client, "/api/articles/1/similar?limit=3")
            #expect(response.status == .ok)
            let hits = try ServerTests.json(response)["hits"] as? [[String: Any]] ?? []
            #expect(!hits.isEmpty && hits.count <= 3)
            #expect(!hits.contains { $0["id"] as? Int == 1 })
            #expect(try await ServerTests.get(client, "/api/articles/1/similar?limit=0").status == .badRequest)
            #expect(try await ServerTests.get(client, "/api/articles/1/similar?size=3").status == .badRequest)
            #expect(try await ServerTests.get(client, "/api/articles/77/similar").status == .notFound)
        }
    }

    @Test("the Atom feed: entries newest first, Arabic text escaped, ETag and Last-Modified answered with 304")
    func atom() async throws {
        try await withServer { client, _ in
            let response = try await ServerTests.get(client, "/feeds/search.atom?q=" + Self.encoded("التحالف"))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
            let xml = String(buffer: response.body)
            #expect(xml.contains("xml:lang=\"ar\""))
            let ids = xml.components(separatedBy: "<id>").dropFirst(2).compactMap { $0.split(separator: "<").first }
                .compactMap { $0.split(separator: "/").last.flatMap { Int($0) } }
            #expect(ids == [5, 4, 3, 2, 1], "\(ids)")
            let etag = try #require(response.headers[.eTag])
            let modified = try #require(response.headers[.lastModified])
            let again = try await ServerTests.get(client, "/feeds/search.atom?q=" + Self.encoded("التحالف"),
                                                  headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            let since = try await ServerTests.get(client, "/feeds/search.atom?q=" + Self.encoded("التحالف"),
                                                  headers: [.ifModifiedSince: modified])
            #expect(since.status == .notModified)
            let other = try await ServerTests.get(client, "/feeds/search.atom?q=" + Self.encoded("الكاظمي"),
                                                  headers: [.ifNoneMatch: etag])
            #expect(other.status == .ok)
            #expect(try await ServerTests.get(client, "/feeds/search.atom?q=" + Self.encoded("«مفتوح")).status == .badRequest)
            #expect(try await ServerTests.get(client, "/feeds/search.atom?limit=5").status == .badRequest)
        }
    }

    @Test("XML escaping keeps markup in article text as text, and drops what XML 1.0 cannot hold")
    func escaping() {
        #expect(AtomFeed.escape("<script>&\"'") == "&lt;script&gt;&amp;&quot;&#39;")
        #expect(AtomFeed.escape("a\u{1}b\u{FFFE}c\td") == "abc\td")
        #expect(AtomFeed.atomDate("2024-01-25") == "2024-01-25T00:00:00Z")
        #expect(AtomFeed.atomDate("2024-01-25T15:41:00+03:00") == "2024-01-25T12:41:00Z")
        #expect(AtomFeed.atomDate("25 يناير") == nil)
    }

    @Test("saved searches: add, list, one, matches, remove; bad fields are 400s naming them; a body over 64 KB is 413")
    func alertsCRUD() async throws {
        try await withServer { client, _ in
            let body = #"{"name": "انسحاب", "query": "انسحاب القوات", "webhook": "http://127.0.0.1:9/hook"}"#
            let created = try await client.execute(uri: "/api/alerts", method: .post,
                                                   headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: body)) { $0 }
            #expect(created.status == .created)
            let alert = try ServerTests.json(created)
            let id = try #require(alert["id"] as? Int)
            #expect(alert["feed"] as? String == "/feeds/alerts/\(id).atom")
            #expect((alert["search"] as? String)?.hasPrefix("/api/search?q=") == true)
            let list = try ServerTests.json(try await ServerTests.get(client, "/api/alerts"))["alerts"] as? [[String: Any]]
            #expect(list?.count == 1 && list?.first?["matches"] as? Int == 0)
            #expect(try await ServerTests.get(client, "/api/alerts/\(id)").status == .ok)
            let matches = try await ServerTests.get(client, "/api/alerts/\(id)/matches")
            let matchList = try ServerTests.json(matches)["matches"] as? [Any]
            #expect(matches.status == .ok && matchList?.isEmpty == true)
            #expect(try await ServerTests.get(client, "/feeds/alerts/\(id).atom").status == .ok)

            for (bad, field) in [(#"{"name": "x", "query": "«مفتوح"}"#, "query"), (#"{"name": " ", "query": "x"}"#, "name"),
                                 (#"{"name": "x", "query": "x", "webhook": "ftp://h/"}"#, "webhook"), ("not json", "body")] {
                let response = try await client.execute(uri: "/api/alerts", method: .post, body: ByteBuffer(string: bad)) { $0 }
                #expect(response.status == .badRequest, "\(bad)")
                #expect(try ServerTests.errorCode(response).message?.hasPrefix(field + ":") == true, "\(bad)")
            }
            let huge = ByteBuffer(string: #"{"name": "x", "query": ""# + String(repeating: "ا", count: 40_000) + #""}"#)
            let tooLarge = try await client.execute(uri: "/api/alerts", method: .post, body: huge) { $0 }
            #expect(tooLarge.status == .contentTooLarge, "\(tooLarge.status)")
            #expect(try ServerTests.errorCode(tooLarge).code == "too_large")

            let removed = try await client.execute(uri: "/api/alerts/\(id)", method: .delete) { $0 }
            #expect(removed.status == .noContent)
            #expect(try await client.execute(uri: "/api/alerts/\(id)", method: .delete) { $0 }.status == .notFound)
            #expect(try await ServerTests.get(client, "/api/alerts/\(id)/matches").status == .notFound)
            let put = try await client.execute(uri: "/api/alerts", method: .put) { $0 }
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "GET, POST")
        }
    }

    @Test("1,000 saved searches: each new article is matched once, and only the searches it satisfies record it")
    func thousandAlerts() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir + "/m.db"
            let index = try ArticleIndex(path: db)
            let store = try AlertStore(directory: dir + "/state")
            try await store.setCursor(0)
            for k in 0..<997 { _ = try await store.add(name: "غائب \(k)", query: "كلمةغائبة\(k)", webhook: nil) }
            let all = try await store.add(name: "التحالف", query: "التحالف", webhook: "http://127.0.0.1:9/hook")
            let one = try await store.add(name: "الكاظمي", query: "الكاظمي", webhook: nil)
            let prefix = try await store.add(name: "رومانوس*", query: "title:العراق OR رومانوس*", webhook: nil)
            _ = await Ingestor(store: index).ingest([seedsDirectory])
            let handle = IndexHandle(location: db)
            let service = AlertService(store: store, index: handle, feed: ArticleFeed(index: handle), capacity: 10,
                                       logger: .init(label: "test"))
            await service.match(upTo: try await index.latestArticleID())
            #expect(await service.count == 1_000)
            let counts = try await store.matchCounts()
            #expect(counts[all.id] == 5)
            #expect(counts[one.id] == 1)
            let expected = try await index.search(SearchQuery(prefix.query), options: SearchOptions(limit: 10)).total
            #expect(counts[prefix.id] == expected)
            #expect(counts.count == 3)
            #expect(try await store.cursor() == 5)
            // Calls are queued for the alert with a webhook only.
            #expect(try await store.dueDeliveries(now: Date().timeIntervalSince1970 + 1, limit: 100).count == 5)
            // Matching again changes nothing: each article is matched once.
            await service.match(upTo: 5)
            #expect(try await store.matchCounts() == counts)
            try index.close()
            await handle.close()
        }
    }

    @Test("/metrics is Prometheus text with the index's figures, HTTP requests by route, and process figures")
    func metrics() async throws {
        // Live, on a loopback port: /metrics answers local clients only, and only a real connection has an address.
        try await withServer(.live) { client, _ in
            _ = try await ServerTests.get(client, "/api/articles/1")
            _ = try await ServerTests.get(client, "/api/articles/999")
            let response = try await ServerTests.get(client, "/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            #expect(text.contains("\nmarsad_articles 5"), "\(text.prefix(400))")
            #expect(text.contains(#"marsad_http_requests_total{route="/api/articles/{id}",method="GET",status="404"} 1"#))
            #expect(text.contains("marsad_http_request_duration_seconds_bucket"))
            for name in ["process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds",
                         "process_start_time_seconds", "marsad_index_up 1", "# HELP marsad_articles"] {
                #expect(text.contains(name), "\(name)")
            }
        }
    }

    @Test("HEAD is GET without the body; an unknown route is a JSON 404; ids are canonical digits only")
    func edges() async throws {
        try await withServer { client, _ in
            let head = try await client.execute(uri: "/api/articles/1", method: .head) { $0 }
            #expect(head.status == .ok && head.body.readableBytes == 0, "\(head.status) \(String(buffer: head.body))")
            #expect(head.headers[.contentType] == "application/json; charset=utf-8")
            let unknown = try await ServerTests.get(client, "/nope")
            let code = try ServerTests.errorCode(unknown).code
            #expect(unknown.status == .notFound && code == "not_found")
            for path in ["/api/articles/+1", "/api/articles/01", "/api/articles/1x", "/feeds/alerts/+1.atom",
                         "/api/alerts/007"] {
                #expect(try await ServerTests.get(client, path).status == .notFound, "\(path)")
            }
            let padded = String(repeating: " ", count: 10) + String(repeating: "ا", count: 195) + String(repeating: " ", count: 10)
            let control = try await client.execute(uri: "/api/alerts", method: .post,
                                                   body: ByteBuffer(string: #"{"name": "a\u001cb", "query": "x"}"#)) { $0 }
            #expect(control.status == .badRequest)
            let long = try await client.execute(uri: "/api/alerts", method: .post,
                                                body: ByteBuffer(string: "{\"name\": \"\(padded)\", \"query\": \"x\"}")) { $0 }
            #expect(long.status == .badRequest)
        }
    }

}
