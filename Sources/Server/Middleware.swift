import Foundation
import Hummingbird
import Logging

/// One line per request at debug (a failure at warning), with the fields journald indexes:
/// `HTTP_METHOD`, `HTTP_PATH`, `HTTP_STATUS`, `DURATION_MS`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status, start: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, status: error.status, start: start)
            throw error
        } catch {
            log(request, status: .internalServerError, start: start, error: error)
            throw error
        }
    }

    private func log(_ request: Request, status: HTTPResponse.Status, start: ContinuousClock.Instant,
                     error: (any Error)? = nil) {
        let level: Logger.Level = status.code >= 500 ? .warning : .debug
        guard logger.logLevel <= level else { return }
        let ms = Double((ContinuousClock.now - start) / .microseconds(1)) / 1000
        var metadata: Logger.Metadata = [
            "http_method": "\(request.method.rawValue)", "http_path": "\(request.uri.path)",
            "http_status": "\(status.code)", "duration_ms": "\(String(format: "%.2f", ms))", "event": "request",
        ]
        if let error { metadata["error"] = "\(error)" }
        logger.log(level: level, "\(request.method.rawValue) \(request.uri.path) \(status.code) \(String(format: "%.1f", ms)) ms",
                   metadata: metadata)
    }
}

/// With a token configured, `/api` and `/feeds` need `Authorization: Bearer <token>` (a feed URL may carry
/// `?token=` instead, since feed readers cannot set headers). `/metrics` answers clients on this machine
/// (loopback, the Unix socket) freely, and others only with the token; with no token configured, only local
/// clients. The comparison takes the same time whatever the guess, and the answer never says whether the
/// token was missing or wrong.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = MarsadRequestContext
    let token: [UInt8]?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // The route the router matched, not the raw path: `//api/search` and `/metrics/` reach the same routes.
        let path = context.endpointPath ?? Self.normalized(request.uri.path)
        if path == "/metrics" {
            if context.isLocalClient { return try await next(request, context) }
            guard let token else { throw APIError.forbidden("/metrics answers clients on this machine only (or give serve a token)") }
            guard Self.constantTimeEqual(Self.offered(request, allowQuery: false), token) else { throw APIError.unauthorized }
            return try await next(request, context)
        }
        guard let token, path.hasPrefix("/api") || path.hasPrefix("/feeds") else { return try await next(request, context) }
        if Self.hasLoginCookie(request, token: token) { return try await next(request, context) }
        guard Self.constantTimeEqual(Self.offered(request, allowQuery: path.hasPrefix("/feeds")), token) else {
            throw APIError.unauthorized
        }
        return try await next(request, context)
    }

    /// `path` with runs of `/` collapsed and no trailing `/`, as the router reads it.
    static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    static func offered(_ request: Request, allowQuery: Bool) -> [UInt8] {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return Array(header.utf8.dropFirst(7))
        }
        if allowQuery, let query = request.formParameters.first(where: { $0.key == "token" }) {
            return Array(query.value.utf8)
        }
        return []
    }

    /// Whether the request carries the pages' login cookie for `token`: accepted for reading (GET, HEAD: the
    /// pages' script asks `/api/stream`), never for a change, which has no CSRF token to check.
    static func hasLoginCookie(_ request: Request, token: [UInt8]) -> Bool {
        guard request.method == .get || request.method == .head,
              let cookie = MarsadServer.cookie(request, MarsadServer.tokenCookie) else { return false }
        let expected = MarsadServer.cookieValue(String(decoding: token, as: UTF8.self))
        return constantTimeEqual(Array(cookie.utf8), Array(expected.utf8))
    }

    /// Equal bytes, compared in time that depends only on the lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0 && !b.isEmpty
    }
}

/// A known route asked with a method it does not take is a 405 with `Allow`, not the router's 404.
struct MethodMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods a path takes (nil: not a route of Marsad's).
    static func methods(_ path: String) -> [HTTPRequest.Method]? {
        switch path {
        case "/healthz", "/readyz", "/metrics", "/api/search", "/api/status", "/api/stream", "/feeds/search.atom",
             "/api/alerts/stream", "/api/stories":
            return [.get]
        case "/api/alerts", "/alerts", "/login":
            return [.get, .post]
        case "/", "/status", "/stories":
            return [.get]
        default:
            if path.hasPrefix("/api/alerts/") {
                return path.hasSuffix("/matches") ? [.get] : [.get, .delete]
            }
            if path.hasPrefix("/api/articles/") || path.hasPrefix("/feeds/alerts/") || path.hasPrefix("/articles/")
                || path.hasPrefix("/static/") || path.hasPrefix("/api/stories/") || path.hasPrefix("/stories/") {
                return [.get]
            }
            if path.hasPrefix("/alerts/") && path.hasSuffix("/delete") { return [.post] }
            return nil
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = TokenMiddleware.normalized(request.uri.path)
        if request.method == .head, let allowed = Self.methods(path), allowed.contains(.get), !path.hasSuffix("/stream") {
            // HEAD is GET without the body (RFC 9110 §9.3.2): the same status and headers.
            var response = try await next(request, context)
            response.body = .init()
            return response
        }
        if let allowed = Self.methods(path), !allowed.contains(request.method) {
            throw APIError.methodNotAllowed(request.method, allowed: allowed)
        }
        return try await next(request, context)
    }
}

/// A request whose `Content-Length` says its body is over the limit is a 413 before anything reads it; a
/// chunked body is cut off at the same limit as it is collected (``MarsadRequestContext/maxUploadSize``).
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        return try await next(request, context)
    }
}

/// Errors the router or Hummingbird raise themselves (no such route, a body too large as it is collected) are
/// answered in the API's JSON shape too, never as an empty body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do { return try await next(request, context) } catch let error as HTTPError {
            switch error.status {
            case .notFound: throw APIError.notFound("no such route: \(request.uri.path)")
            case .contentTooLarge: throw APIError.tooLarge(limit: MarsadServer.maximumBodySize)
            default:
                throw APIError(error.status, code: error.status.code >= 500 ? "internal" : "bad_request",
                               message: error.body ?? error.status.reasonPhrase)
            }
        }
    }
}
