import Alerts
import ArticleIndex
import Daemon
import Foundation
import Hummingbird
import HTTPTypes
import Ingestion
import NIOCore
import WebPages

/// The pages: `/` (search), `/articles/{id}`, `/stories` and `/stories/{id}` (in ``addStoryPageRoutes(_:)``), `/status`, `/alerts` (with plain forms: POST, then a redirect to
/// GET, each form carrying a CSRF token that must equal its cookie), `/login` when serve has a token, and
/// `/static/` for the stylesheet and the script. Server-rendered, usable with JavaScript off.
extension MarsadServer {
    static let csrfCookie = "marsad_csrf"
    static let tokenCookie = "marsad_token"

    func addPageRoutes(_ router: Router<MarsadRequestContext>) {
        let index = self.index
        let pages = self.pages
        let alerts = self.alerts
        let timeout = configuration.queryTimeout
        let token = configuration.token
        let database = configuration.database
        let publicURL = configuration.publicURL

        Self.getAndHead(router, "/static/:file") { _, context in
            guard let name = context.parameters.get("file"), let asset = Pages.asset(name) else {
                throw APIError.notFound("no such file")
            }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(string: asset.body)))
        }
        Self.getAndHead(router, "/") { request, context in
            if let redirect = Self.loginRedirect(request, token: token) { return redirect }
            let pairs = Dictionary(request.formParameters.map { (String($0.key), String($0.value)) },
                                   uniquingKeysWith: { first, _ in first })
            let query = pairs["q"].flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            let limit = 20
            let offset = min(Int(pairs["offset"] ?? "") ?? 0, 10_000)
            var page = Pages.Search(query: query, source: pairs["source"].flatMap { $0.isEmpty ? nil : $0 },
                                    since: pairs["since"], until: pairs["until"], offset: max(0, offset), limit: limit,
                                    results: nil, facets: nil, error: nil)
            var status = HTTPResponse.Status.ok
            if let match = pairs["match"], !match.isEmpty {
                if let mode = MatchMode(rawValue: match) {
                    page.match = mode == .best ? nil : mode
                } else {
                    page.error = "طريقة المطابقة «\(match)» غير معروفة (match): all أو best أو any"
                    status = .badRequest
                }
            }
            if let collapse = pairs["collapse"], !collapse.isEmpty, collapse != "none" {
                if let fold = Collapse(rawValue: collapse) {
                    page.collapse = fold
                } else {
                    page.error = "طريقة التجميع «\(collapse)» غير معروفة (collapse): story أو near"
                    status = .badRequest
                }
            }
            for (name, value) in [("since", page.since), ("until", page.until)] {
                if let value, !SearchParameters.isISODate(Substring(value)) {
                    page.error = "التاريخ «\(value)» غير صالح (\(name)): اكتبه هكذا 2024-01-25"
                    status = .badRequest
                }
            }
            if let text = query, page.error == nil {
                do {
                    let parsed = try SearchQuery(text, mode: page.match ?? .best)
                    page.queryUnits = parsed.units
                    var options = SearchOptions(limit: limit, offset: page.offset, since: page.since, until: page.until,
                                                source: page.source)
                    options.collapse = page.collapse
                    let (results, facets) = try await Self.searchWithFacets(index, parsed, options: options, timeout: timeout)
                    page.results = results
                    page.facets = facets
                } catch let error as IndexError {
                    page.error = error.description
                    status = .badRequest
                } catch let error as APIError {
                    page.error = error.message
                    status = error.status
                }
            }
            // The script's requests while typing (`X-Marsad-Live`) get 200 with the message in the page.
            let live = request.headers[HTTPField.Name("X-Marsad-Live")!] != nil
            return Self.html(pages.search(page), status: live ? .ok : status)
        }
        Self.getAndHead(router, "/articles/:id") { request, context in
            if let redirect = Self.loginRedirect(request, token: token) { return redirect }
            let id = try Self.articleID(context)
            let (found, similar, story) = try await index.withReader { reader in
                let article = try await reader.article(id: id, path: nil)
                // Its story, for the headline and size and the titles of its near-duplicate original and copies.
                var story: StoryDetail?
                if let storyID = article?.storyID { story = try? await reader.story(id: storyID) }
                return (article, try? await reader.similar(to: id, limit: 5), story)
            }
            guard let article = found else { throw APIError.notFound("no article #\(id)") }
            return Self.html(pages.article(article, similar: similar?.hits ?? [], story: story))
        }
        Self.getAndHead(router, "/status") { request, _ in
            if let redirect = Self.loginRedirect(request, token: token) { return redirect }
            let status = try await index.withReader { try await $0.status() }
            let daemon = DaemonStatusView.read(database: database)
            return Self.html(pages.status(index: status, daemon: daemon))
        }
        Self.getAndHead(router, "/alerts") { request, _ in
            if let redirect = Self.loginRedirect(request, token: token) { return redirect }
            let csrf = Self.cookie(request, Self.csrfCookie) ?? Self.newSecret()
            var response = try await Self.alertsPage(alerts, pages: pages, csrf: csrf, error: nil)
            Self.setCookie(&response, Self.csrfCookie, csrf)
            return response
        }
        router.post("/alerts") { request, context in
            if let redirect = Self.loginRedirect(request, token: token) { return redirect }
            let form = try await Self.form(request, context)
            try Self.checkCSRF(request, form)
            let service = try Self.alertService(alerts)
            do {
                _ = try await service.store.add(name: form["name"] ?? "", query: form["query"] ?? "", webhook: nil)
            } catch let error as AlertError {
                let csrf = Self.cookie(request, Self.csrfCookie) ?? Self.newSecret()
                var response = try await Self.alertsPage(alerts, pages: pages, csrf: csrf, error: error.description,
                                                         name: form["name"] ?? "", query: form["query"] ?? "")
                response.status = .badRequest
                return response
            }
            return Response(status: .seeOther, headers: [.location: "/alerts"])
        }
        router.post("/alerts/:id/delete") { request, context in
            if let redirect = Self.loginRedirect(request, token: token) { return redirect }
            let form = try await Self.form(request, context)
            try Self.checkCSRF(request, form)
            let id = try Self.alertID(context)
            let service = try Self.alertService(alerts)
            do { _ = try await service.store.remove(id: id) } catch let error as AlertError { throw Self.storeError(error) }
            return Response(status: .seeOther, headers: [.location: "/alerts"])
        }
        Self.getAndHead(router, "/login") { request, _ in
            guard token != nil else { return Response(status: .seeOther, headers: [.location: "/"]) }
            let csrf = Self.cookie(request, Self.csrfCookie) ?? Self.newSecret()
            let next = request.formParameters.first { $0.key == "next" }.map { String($0.value) }
            var response = Self.html(pages.login(csrf: csrf, error: nil, next: Self.safeNext(next)))
            Self.setCookie(&response, Self.csrfCookie, csrf)
            return response
        }
        router.post("/login") { request, context in
            guard let token else { return Response(status: .seeOther, headers: [.location: "/"]) }
            let form = try await Self.form(request, context)
            try Self.checkCSRF(request, form)
            guard TokenMiddleware.constantTimeEqual(Array((form["token"] ?? "").utf8), Array(token.utf8)) else {
                let csrf = Self.cookie(request, Self.csrfCookie) ?? Self.newSecret()
                return Self.html(pages.login(csrf: csrf, error: "الرمز غير صحيح", next: Self.safeNext(form["next"])),
                                 status: .unauthorized)
            }
            var response = Response(status: .seeOther, headers: [.location: Self.safeNext(form["next"])])
            // The cookie holds the token's hash, never the token; Lax, so a link from elsewhere arrives logged in
            // (every POST checks its CSRF token all the same).
            Self.setCookie(&response, Self.tokenCookie, Self.cookieValue(token), sameSite: "Lax",
                           secure: publicURL?.hasPrefix("https://") == true)
            return response
        }
    }

    static func alertsPage(_ alerts: Result<AlertService, AlertError>, pages: Pages, csrf: String, error: String?,
                           name: String = "", query: String = "") async throws -> Response {
        switch alerts {
        case .failure(let failure):
            return html(pages.alerts([], csrf: csrf, error: error, unavailable: "التنبيهات متوقفة: \(failure)"), status: .serviceUnavailable)
        case .success(let service):
            let entries: [(alert: Alert, matches: Int, latest: [AlertMatch])]
            do { entries = try await alertEntries(service.store) } catch { throw storeError(error) }
            return html(pages.alerts(entries, csrf: csrf, error: error, unavailable: nil, name: name, query: query),
                        status: error == nil ? .ok : .badRequest)
        }
    }

    /// Each saved search with its number of matches and its three newest.
    static func alertEntries(_ store: AlertStore) async throws(AlertError) -> [(alert: Alert, matches: Int, latest: [AlertMatch])] {
        let counts = try await store.matchCounts()
        var entries: [(alert: Alert, matches: Int, latest: [AlertMatch])] = []
        for alert in try await store.alerts() {
            entries.append((alert, counts[alert.id] ?? 0, try await store.matches(alertID: alert.id, limit: 3)))
        }
        return entries
    }

    /// An HTML answer.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// With a token configured, a page asked without the login cookie (or the bearer header) goes to `/login`,
    /// which comes back to it.
    static func loginRedirect(_ request: Request, token: String?) -> Response? {
        guard let token else { return nil }
        if let value = cookie(request, tokenCookie),
           TokenMiddleware.constantTimeEqual(Array(value.utf8), Array(cookieValue(token).utf8)) { return nil }
        if TokenMiddleware.constantTimeEqual(TokenMiddleware.offered(request, allowQuery: false), Array(token.utf8)) {
            return nil
        }
        let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return Response(status: .seeOther, headers: [.location: "/login?next=" + QueryString.encoded(back)])
    }

    /// What the login cookie holds: the token's SHA-256 in hex (a cookie that leaks does not leak the token, and
    /// a token with `;` or spaces cannot break the header).
    static func cookieValue(_ token: String) -> String {
        ContentHash.sha256Hex(Array(("marsad-login:" + token).utf8))
    }

    /// A place on this site to go back to after logging in: a path, never another host (`//evil`, `https:`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x21 }) else { return "/" }
        return next
    }

    static func cookie(_ request: Request, _ name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }

    /// `HttpOnly; SameSite=Strict; Path=/` by default: scripts cannot read it, and no other site's page can send it.
    static func setCookie(_ response: inout Response, _ name: String, _ value: String, sameSite: String = "Strict",
                          secure: Bool = false) {
        let flags = "Path=/; HttpOnly; SameSite=\(sameSite)" + (secure ? "; Secure" : "")
        response.headers.append(HTTPField(name: .setCookie, value: "\(name)=\(value); \(flags)"))
    }

    /// 32 random bytes as hex.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A POSTed form's fields (`application/x-www-form-urlencoded`, at most 64 KB).
    static func form(_ request: Request, _ context: MarsadRequestContext) async throws -> [String: String] {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw APIError.tooLarge(limit: context.maxUploadSize)
        }
        var fields: [String: String] = [:]
        for (key, value) in formDecoded(Substring(String(buffer: body))) where fields[String(key)] == nil {
            fields[String(key)] = String(value)
        }
        return fields
    }

    /// The form's `csrf` field must equal the `marsad_csrf` cookie the page set (double submit; the cookie is
    /// `SameSite=Strict`, so another site's form arrives without it): else 403.
    static func checkCSRF(_ request: Request, _ form: [String: String]) throws {
        guard let cookie = cookie(request, csrfCookie), let field = form["csrf"],
              TokenMiddleware.constantTimeEqual(Array(field.utf8), Array(cookie.utf8)) else {
            throw APIError.forbidden("the form is stale or from another site (CSRF check): reload the page and try again")
        }
    }
}

/// What the status page shows of a daemon running on the index.
enum DaemonStatusView {
    static func read(database: String) -> (state: String, inbox: String, queue: Int, rate: Double, degraded: [String],
                                           indexDegraded: String?)? {
        guard let daemon = DaemonStatus.read(database: database) else { return nil }
        return (daemon.state, daemon.inbox, daemon.queueDepth, daemon.ingestRate, daemon.degraded, daemon.indexDegraded)
    }
}

/// `Content-Security-Policy` (no inline script or style, nothing from elsewhere), `nosniff`, `same-origin`
/// referrers and no framing, on every answer.
let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    + "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }
}
