import ArticleIndex
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingestion
import Testing
import TestSupport
@testable import Server

/// The API's routes through Hummingbird's test client, on a real index of the seeds in a temp folder.
@Suite("The HTTP API")
struct ServerTests {
    /// An index of the five seeds at `dir/m.db`.
    static func seededIndex(_ dir: String) async throws -> String {
        let db = dir + "/m.db"
        let index = try ArticleIndex(path: db)
        let report = await Ingestor(store: index).ingest([seedsDirectory])
        #expect(report.indexed == 5)
        try index.close()
        return db
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    static func errorCode(_ response: TestResponse) throws -> (code: String?, message: String?) {
        let error = try json(response)["error"] as? [String: Any]
        return (error?["code"] as? String, error?["message"] as? String)
    }

    /// GET `uri`; the response.
    static func get(_ client: some TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers) { $0 }
    }

    func withServer(token: String? = nil, database: ((String) async throws -> String)? = nil,
                    _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let db = try await (database ?? Self.seededIndex)(dir)
            let server = MarsadServer(configuration: .init(database: db, token: token))
            let app = Application(router: server.router())
            try await app.test(.router) { client in try await body(client) }
            await server.index.close()
        }
    }

    @Test("search finds an Arabic word in its other forms, with took_ms and analyzed_query")
    func search() async throws {
        try await withServer { client in
            let q = "الميليشيات".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            try await client.execute(uri: "/api/search?q=\(q)&limit=5", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try Self.json(response)
                #expect(body["total"] as? Int == 1)
                #expect(body["took_ms"] as? Double != nil)
                #expect((body["analyzed_query"] as? String)?.isEmpty == false)
                let facets = body["facets"] as? [String: Any] ?? [:]
                #expect(facets["counted"] as? Int == 1 && facets["exact"] as? Bool == true, "\(facets)")
                let days = facets["published"] as? [[String: Any]] ?? []
                let sources = facets["source"] as? [[String: Any]] ?? []
                #expect(days.map { $0["count"] as? Int ?? 0 }.reduce(0, +) <= 1 && sources.count <= 1)
                let hits = body["hits"] as? [[String: Any]] ?? []
                #expect(hits.count == 1 && (hits.first?["path"] as? String)?.hasSuffix("000_0bc6245a09814656.txt") == true)
            }
            // Harakat and another alef: the same word.
            let variant = "مِيلِيشيات".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            #expect(try Self.json(try await Self.get(client, "/api/search?q=\(variant)"))["total"] as? Int == 1)
        }
    }

    @Test("bad parameters are 400s that name the parameter", arguments: [
        ("/api/search", "q"),
        ("/api/search?q=%20", "q"),
        ("/api/search?q=x&limit=101", "limit"),
        ("/api/search?q=x&limit=ten", "limit"),
        ("/api/search?q=x&offset=-1", "offset"),
        ("/api/search?q=x&since=2024-13-01", "since"),
        ("/api/search?q=x&until=yesterday", "until"),
        ("/api/search?q=x&collapse=sideways", "collapse"),
        ("/api/stories?limit=0", "limit"),
        ("/api/stories?offset=10001", "offset"),
        ("/api/stories?since=2024-02-30x", "since"),
        ("/api/stories?until=tomorrow", "until"),
        ("/api/stories?q=x", "q"),
        ("/api/search?q=x&limt=5", "limt"),
        ("/api/search?q=x&match=most", "match"),
        ("/api/search?q=OR", "q"),
    ])
    func badParameters(_ uri: String, _ parameter: String) async throws {
        try await withServer { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest, "\(uri)")
                let error = try Self.errorCode(response)
                #expect(error.code == "bad_parameter")
                #expect(error.message?.hasPrefix("\(parameter): ") == true, "\(error)")
            }
        }
    }

    @Test("match=best is the default, match=all requires every word, and the hits name the words they hold")
    func bestMatch() async throws {
        try await withServer { client in
            // الميليشيات is in one seed; بركان in none; التحالف in all five.
            let q = "الميليشيات التحالف بركان".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let best = try Self.json(try await Self.get(client, "/api/search?q=\(q)"))
            #expect(best["match"] as? String == "best" && best["minimum_match"] as? Int == 1)
            #expect(best["total"] as? Int == 5)
            let hits = best["hits"] as? [[String: Any]] ?? []
            #expect((hits.first?["path"] as? String)?.hasSuffix("000_0bc6245a09814656.txt") == true)
            #expect(hits.first?["matched_terms"] as? [String] == ["الميليشيات", "التحالف"])
            #expect(hits.dropFirst().allSatisfy { $0["matched_terms"] as? [String] == ["التحالف"] })
            // The facets count the same five.
            #expect((best["facets"] as? [String: Any])?["counted"] as? Int == 5)
            let all = try Self.json(try await Self.get(client, "/api/search?q=\(q)&match=all"))
            #expect(all["match"] as? String == "all" && all["total"] as? Int == 0 && all["minimum_match"] as? Int == 0)
        }
    }

    @Test("an article by id; unknown ids, non-numbers and traversal attempts are 404s")
    func articles() async throws {
        try await withServer { client in
            try await client.execute(uri: "/api/articles/1", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["id"] as? Int == 1)
                #expect((body["article"] as? [String: Any])?["title"] as? String != nil, "\(body.keys)")
            }
            for uri in ["/api/articles/999999", "/api/articles/abc", "/api/articles/0", "/api/articles/../../etc/passwd",
                        "/api/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/nothing"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri): \(response.status)")
                }
            }
        }
    }

    @Test("status is status --json; healthz and readyz answer")
    func statusAndHealth() async throws {
        try await withServer { client in
            try await client.execute(uri: "/api/status", method: .get) { response in
                let body = try Self.json(response)
                #expect(body["articles"] as? Int == 5)
                #expect((body["daemon"] as? [String: Any])?["running"] as? Bool == false)
            }
            #expect(try await Self.get(client, "/healthz").status == .ok)
            #expect(try await Self.get(client, "/readyz").status == .ok)
        }
    }

    @Test("no index yet: readyz and the API are 503 with the reason; healthz is 200")
    func missingIndex() async throws {
        try await withServer(database: { dir in dir + "/none.db" }) { client in
            #expect(try await Self.get(client, "/healthz").status == .ok)
            for uri in ["/readyz", "/api/search?q=x", "/api/status"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(uri)")
                    let error = try Self.errorCode(response)
                    #expect(error.code == "unavailable" && error.message?.contains("no index") == true, "\(error)")
                }
            }
        }
    }

    @Test("with a token, /api needs it as a bearer token (401 either way when wrong or missing); health stays open")
    func token() async throws {
        let token = "0123456789abcdef0123456789abcdef"
        try await withServer(token: token) { client in
            let missing = try await Self.get(client, "/api/status")
            #expect(missing.status == .unauthorized)
            #expect(try Self.errorCode(missing).code == "unauthorized")
            let wrong = try await Self.get(client, "/api/status", headers: [.authorization: "Bearer " + token.dropLast() + "0"])
            #expect(wrong.status == .unauthorized)
            #expect(try Self.errorCode(wrong).message == Self.errorCode(missing).message, "the answer does not say which")
            let right = try await Self.get(client, "/api/status", headers: [.authorization: "Bearer " + token])
            #expect(right.status == .ok)
            #expect(try await Self.get(client, "/healthz").status == .ok)
            // The router reads `//api/status` and `/api/status/` as the route: so does the token check.
            for odd in ["//api/status", "/api/status/", "//api//search?q=x", "/feeds//search.atom"] {
                #expect(try await Self.get(client, odd).status == .unauthorized, "\(odd)")
            }
            let viaQuery = try await Self.get(client, "/api/status?token=" + token)
            #expect(viaQuery.status == .unauthorized || viaQuery.status == .badRequest, "?token= is for /feeds only")
            #expect(try await Self.get(client, "/feeds/search.atom?token=" + token).status == .ok)
            // A client with no address (the router's test client) is not "on this machine" for /metrics.
            #expect(try await Self.get(client, "/metrics").status == .unauthorized)
        }
    }

    @Test("another method than GET on a route is a 405 with Allow: GET")
    func methods() async throws {
        try await withServer { client in
            for method in [HTTPRequest.Method.post, .delete, .put, HTTPRequest.Method("TRACE")!] {
                let response = try await client.execute(uri: "/api/status", method: method) { $0 }
                #expect(response.status == .methodNotAllowed, "\(method)")
                #expect(response.headers[.allow] == "GET")
            }
        }
    }

    @Test func constantTimeComparison() {
        #expect(TokenMiddleware.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!TokenMiddleware.constantTimeEqual(Array("abd".utf8), Array("abc".utf8)))
        #expect(!TokenMiddleware.constantTimeEqual([], []), "an empty token never matches")
        let long = [UInt8](repeating: 0x61, count: 256)
        #expect(!TokenMiddleware.constantTimeEqual([], long), "lengths 256 apart differ")
    }

    @Test("listen addresses", arguments: [
        ("127.0.0.1:8080", "127.0.0.1:8080", true), ("[::1]:0", "[::1]:0", true), ("localhost:9000", "localhost:9000", true),
        ("0.0.0.0:80", "0.0.0.0:80", false), ("unix:/run/marsad/web.sock", "unix:/run/marsad/web.sock", true),
    ])
    func listenAddresses(_ text: String, _ shown: String, _ local: Bool) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.description == shown && address.isLocalOnly == local)
    }

    @Test(arguments: ["8080", "host:", ":80", "h:99999", "unix:relative", "[::1]80"])
    func badListenAddresses(_ text: String) {
        #expect(throws: ListenAddress.Invalid.self) { try ListenAddress(parsing: text) }
    }
}

@Suite("Search facets")
struct FacetTests {
    @Test("outlets and days of the matches, counted once each; bounded, and then marked as lower bounds")
    func facetsOfTheSeeds() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await ServerTests.seededIndex(dir)
            let index = try ArticleIndex(path: db, mode: .readOnly)
            let query = try SearchQuery("العراق")
            let results = try await index.search(query, options: SearchOptions())
            let facets = try await index.facets(query, options: SearchOptions(), limit: 100)
            #expect(facets.counted == results.total && facets.exact)
            #expect(facets.source.map(\.count).reduce(0, +) <= results.total)
            #expect(facets.published.map(\.day) == facets.published.map(\.day).sorted())
            #expect(facets.published.allSatisfy { $0.day.utf8.count == 10 })
            let bounded = try await index.facets(query, options: SearchOptions(), limit: 1)
            #expect(bounded.counted == 1 && bounded.exact == (results.total <= 1))
            // A filter narrows the facets as it narrows the hits.
            if let source = facets.source.first {
                let narrowed = try await index.facets(query, options: SearchOptions(source: source.value), limit: 100)
                #expect(narrowed.source == [source] && narrowed.counted == source.count)
            }
            try index.close()
        }
    }
}
