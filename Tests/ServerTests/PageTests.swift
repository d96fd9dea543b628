import ArticleIndex
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingestion
import HTTPTypes
import Testing
import TestSupport
@testable import Server
@testable import WebPages

/// The HTML pages through Hummingbird's test client: escaping of hostile articles, forms, CSRF, headers.
@Suite("The pages")
struct PageTests {
    /// An index of the seeds and one hostile article: markup, an attribute breakout, a `javascript:` link and
    /// bidi overrides in its headline, outlet, caption and body.
    static func hostileIndex(_ dir: String) async throws -> String {
        let inbox = dir + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let hostile = """
            عاجل <script>alert(1)</script> "><img src=x onerror=alert(2)> \u{202E}مقلوب
            الأحد 25 يناير 2024
            المصدر: <b>وكالة</b> javascript:alert(3)

            قال مسؤول إن "><svg onload=alert(4)> العاصفة ضربت الساحل الشرقي صباح اليوم <a href="javascript:alert(5)">هنا</a>.
            وأضاف أن فرق الإنقاذ تعمل في المنطقة منذ ساعات الفجر الأولى.
            """
        try Data(hostile.utf8).write(to: URL(fileURLWithPath: inbox + "/hostile.txt"))
        let db = dir + "/m.db"
        let index = try ArticleIndex(path: db)
        _ = await Ingestor(store: index).ingest([seedsDirectory, inbox])
        try index.close()
        return db
    }

    func withPages(token: String? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let db = try await Self.hostileIndex(dir)
            let server = MarsadServer(configuration: .init(database: db, token: token, stateDirectory: dir + "/state"))
            try await Application(router: server.router()).test(.router) { client in try await body(client) }
            await server.index.close()
        }
    }

    static func page(_ client: some TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws
        -> (status: HTTPResponse.Status, html: String, headers: HTTPFields)
    {
        try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body), $0.headers) }
    }

    /// No markup from the article survives as markup: every `<` of it is `&lt;`, no bidi override remains.
    static func expectInert(_ html: String, _ what: String) {
        for bad in ["<script>alert", "<img src=x", "<svg onload", "<a href=\"javascript:", "<b>وكالة", "\u{202E}"] {
            #expect(!html.contains(bad), "\(what) holds \(bad.debugDescription)")
        }
    }

    @Test("a hostile article is data on the search and article pages: escaped, isolated, nothing executable")
    func escaping() async throws {
        try await withPages { client in
            let search = try await Self.page(client, "/?q=" + "العاصفة".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(search.status == .ok)
            #expect(search.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(search.html.contains("<mark>العاصفة</mark>"))
            Self.expectInert(search.html, "the search page")
            let id = try #require(search.html.firstMatch(of: /href="\/articles\/(\d+)"/).map { String($0.1) })
            let article = try await Self.page(client, "/articles/\(id)")
            #expect(article.status == .ok)
            Self.expectInert(article.html, "the article page")
            #expect(article.html.contains("<html lang=\"ar\" dir=\"rtl\">"))
        }
    }

    @Test("escaping works on scalars: a quote followed by a combining mark is still escaped")
    func combiningQuote() {
        #expect(HTML.escape("\"\u{301}>") == "&quot;\u{301}&gt;")
        #expect(HTML.escape("a\u{202E}b\u{2067}c") == "abc")
        #expect(HTML.marked("أبجد هوز", highlights: [[5, 8]]) == "أبجد <mark>هوز</mark>")
        #expect(HTML.marked("<b>", highlights: [[0, 3], [9, 99]]) == "<mark>&lt;b&gt;</mark>")
        #expect(HTML.marked("abcdef", highlights: [[0, 3], [2, 5]]) == "<mark>abc</mark><mark>de</mark>f")
        #expect(ArabicDate.day("2024-01-25T15:41:00Z") == "25 يناير 2024")
    }

    @Test("every page has a strict CSP and the other headers; static files are served, others are 404")
    func headers() async throws {
        try await withPages { client in
            for uri in ["/", "/status", "/alerts", "/articles/1", "/static/marsad.js"] {
                let response = try await Self.page(client, uri)
                #expect(response.status == .ok, "\(uri)")
                let policy = response.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "\(uri)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
            }
            #expect(try await Self.page(client, "/static/marsad.js").headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(try await Self.page(client, "/static/nope.js").status == .notFound)
            let home = try await Self.page(client, "/")
            #expect(!home.html.contains("<script>") && !home.html.contains(" style="), "no inline script or style")
            #expect(home.html.contains("autofocus") && home.html.contains("dir=\"auto\""))
        }
    }

    @Test("a bad query or date is a 400 page that says why; facets link to narrowed searches")
    func badInputAndFacets() async throws {
        try await withPages { client in
            let unbalanced = try await Self.page(client, "/?q=%C2%AB%D9%85%D9%81%D8%AA%D9%88%D8%AD")
            #expect(unbalanced.status == .badRequest && unbalanced.html.contains("class=\"error\""))
            let date = try await Self.page(client, "/?q=x&since=yesterday")
            #expect(date.status == .badRequest)
            // While typing, the script's request for a half-typed query gets the message with a 200.
            let typing = try await Self.page(client, "/?q=%C2%AB", headers: [HTTPField.Name("X-Marsad-Live")!: "1"])
            #expect(typing.status == .ok && typing.html.contains("class=\"error\""))
            let search = try await Self.page(client, "/?q=" + "التحالف".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            let facet = try #require(search.html.firstMatch(of: /<li><a href="(\/\?q=[^"]*source=[^"]*)"/).map { String($0.1) })
            let narrowed = try await Self.page(client, facet.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(narrowed.status == .ok && narrowed.html.contains("إزالة التصفية"))
        }
    }

    @Test("the search page: best match says what a hit lacks; match= stays in its links; a bad match is a 400 page")
    func bestMatchPage() async throws {
        try await withPages { client in
            let q = "التحالف بركانيات".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let best = try await Self.page(client, "/?q=\(q)")
            #expect(best.status == .ok && best.html.contains("لا تحتوي على: <bdi>بركانيات</bdi>"))
            let all = try await Self.page(client, "/?q=\(q)&match=all")
            #expect(all.status == .ok && !all.html.contains("class=\"hit\"") && all.html.contains("name=\"match\" value=\"all\""))
            let bad = try await Self.page(client, "/?q=\(q)&match=most")
            #expect(bad.status == .badRequest && bad.html.contains("class=\"error\""))
        }
    }

    @Test("alerts: add and remove with plain forms (POST then redirect); a form without its CSRF token is refused")
    func alertForms() async throws {
        try await withPages { client in
            let page = try await Self.page(client, "/alerts")
            let cookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            #expect(page.headers[.setCookie]?.contains("HttpOnly") == true && page.headers[.setCookie]?.contains("SameSite=Strict") == true)
            let csrf = String(cookie.split(separator: "=")[1])
            #expect(page.html.contains("name=\"csrf\" value=\"\(csrf)\""))
            let form = "csrf=\(csrf)&name=%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82&query=%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82"
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let added = try await client.execute(uri: "/alerts", method: .post, headers: headers, body: ByteBuffer(string: form)) { $0 }
            #expect(added.status == .seeOther && added.headers[.location] == "/alerts")
            let list = try await Self.page(client, "/alerts", headers: [.cookie: cookie])
            #expect(list.html.contains("<bdi>العراق</bdi>"))
            let id = try #require(list.html.firstMatch(of: /action="\/alerts\/(\d+)\/delete"/).map { String($0.1) })
            let forged = try await client.execute(uri: "/alerts/\(id)/delete", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "csrf=\(csrf)")) { $0 }
            #expect(forged.status == .forbidden, "no cookie: another site's form")
            let wrong = try await client.execute(uri: "/alerts/\(id)/delete", method: .post, headers: headers,
                                                 body: ByteBuffer(string: "csrf=0000")) { $0 }
            #expect(wrong.status == .forbidden)
            let removed = try await client.execute(uri: "/alerts/\(id)/delete", method: .post, headers: headers,
                                                   body: ByteBuffer(string: "csrf=\(csrf)")) { $0 }
            #expect(removed.status == .seeOther)
            #expect(!(try await Self.page(client, "/alerts", headers: [.cookie: cookie])).html.contains("<bdi>العراق</bdi>"))
            let bad = try await client.execute(uri: "/alerts", method: .post, headers: headers,
                                               body: ByteBuffer(string: "csrf=\(csrf)&name=x&query=%C2%AB")) { $0 }
            #expect(bad.status == .badRequest)
        }
    }

    @Test("with a token the pages ask for a login, which sets an HttpOnly SameSite=Strict cookie the API takes too")
    func login() async throws {
        let token = "0123456789abcdef0123456789abcdef"
        try await withPages(token: token) { client in
            let home = try await Self.page(client, "/articles/2")
            #expect(home.status == .seeOther && home.headers[.location] == "/login?next=%2Farticles%2F2")
            let form = try await Self.page(client, "/login")
            let csrfCookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let csrf = String(csrfCookie.split(separator: "=")[1])
            let headers: HTTPFields = [.cookie: csrfCookie, .contentType: "application/x-www-form-urlencoded"]
            let wrong = try await client.execute(uri: "/login", method: .post, headers: headers,
                                                 body: ByteBuffer(string: "csrf=\(csrf)&token=nope")) { $0 }
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(uri: "/login", method: .post, headers: headers,
                                                 body: ByteBuffer(string: "csrf=\(csrf)&token=\(token)&next=%2Farticles%2F2")) { $0 }
            #expect(right.status == .seeOther && right.headers[.location] == "/articles/2")
            let set = right.headers[.setCookie] ?? ""
            #expect(set.hasPrefix("marsad_token=") && set.contains("HttpOnly") && set.contains("SameSite=Lax"))
            #expect(!set.contains(token), "the cookie holds a hash, never the token")
            let value = try #require(set.split(separator: ";").first.map(String.init))
            let cookie: HTTPFields = [.cookie: value]
            #expect(try await Self.page(client, "/", headers: cookie).status == .ok)
            #expect(try await Self.page(client, "/api/status", headers: cookie).status == .ok)
            // Reading only: a change through the API needs the bearer token, not the cookie.
            let post = try await client.execute(uri: "/api/alerts", method: .post, headers: cookie,
                                                body: ByteBuffer(string: #"{"name": "x", "query": "x"}"#)) { $0 }
            #expect(post.status == .unauthorized)
            // Elsewhere is never a place to go back to.
            let away = try await client.execute(uri: "/login", method: .post, headers: headers,
                                                body: ByteBuffer(string: "csrf=\(csrf)&token=\(token)&next=%2F%2Fevil.example")) { $0 }
            #expect(away.headers[.location] == "/")
        }
    }
}
