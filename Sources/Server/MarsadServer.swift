import ArticleIndex
import Daemon
import Foundation
public import Hummingbird
public import Logging
import NIOCore

/// `marsad serve`: the HTTP API over a read-only index, beside the daemon that writes it.
///
/// Routes (JSON in snake_case, errors as ``APIError``; see `deploy/openapi.yaml`):
/// - `GET /healthz` — the process is up;
/// - `GET /readyz` — the index opens and its analyzer is this binary's; when a daemon runs on it, the daemon
///   is watching and its writer is not waiting out a fault (503 with the reason otherwise);
/// - `GET /api/search` — the CLI's `search --json` object plus `took_ms`, `analyzed_query` and `facets`
///   (outlets and days of the newest 2,000 matches; `facets.exact` false when there were more);
/// - `GET /api/articles/{id}` — `show --json`;
/// - `GET /api/status` — `status --json`.
///
/// ```swift
/// let server = MarsadServer(configuration: .init(database: "marsad.db"), logger: logger)
/// try await ServiceGroup(services: [server.application()], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public struct MarsadServer: Sendable {
    public struct Configuration: Sendable {
        public var database: String
        public var listen: ListenAddress
        /// When set, `/api` and `/feeds` need it as a bearer token.
        public var token: String?

        public init(database: String, listen: ListenAddress = .loopback, token: String? = nil) {
            self.database = database
            self.listen = listen
            self.token = token
        }
    }

    public let configuration: Configuration
    public let index: IndexHandle
    let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "marsad.serve")) {
        self.configuration = configuration
        self.logger = logger
        index = IndexHandle(location: configuration.database)
    }

    /// The router with every route and middleware.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: MethodMiddleware())
        if let token = configuration.token { router.add(middleware: TokenMiddleware(token: Array(token.utf8))) }
        let index = self.index
        let database = configuration.database

        router.get("/healthz") { _, _ in
            JSONResponse(["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            if try await index.withReader({ try await $0.needsReindex() }) {
                throw APIError.unavailable("the index was built with another analyzer and is waiting to be rebuilt")
            }
            if let daemon = DaemonStatus.read(database: database) {
                if let fault = daemon.indexDegraded {
                    throw APIError.unavailable("the daemon cannot write to the index: \(fault)")
                }
                guard daemon.state == "watching" || daemon.state == "polling" else {
                    throw APIError.unavailable("the daemon is \(daemon.state)")
                }
            }
            return JSONResponse(["status": "ready"])
        }
        router.get("/api/search") { request, _ in
            let parameters = try SearchParameters(request.uri.queryParameters)
            let query: SearchQuery
            do { query = try SearchQuery(parameters.query) } catch let error as IndexError {
                throw APIError.badParameter("q", error.description)
            }
            let start = ContinuousClock.now
            let (results, facets) = try await index.withReader { reader in
                let results: SearchResults
                do { results = try await reader.search(query, options: parameters.options) } catch IndexError.invalidQuery(let message) {
                    throw APIError.badParameter("q", message)
                }
                let facets = results.total == 0 ? SearchFacets()
                    : try await reader.facets(query, options: parameters.options, limit: SearchParameters.facetLimit)
                return (results, facets)
            }
            let took = Double((ContinuousClock.now - start) / .microseconds(1)) / 1000
            return JSONResponse(SearchResponse(results: results, tookMS: took, analyzedQuery: query.matchExpression,
                                               facets: facets))
        }
        router.get("/api/articles/:id") { _, context in
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw APIError.notFound("no such article")
            }
            let found = try await index.withReader { try await $0.article(id: id, path: nil) }
            guard let article = found else { throw APIError.notFound("no article #\(id)") }
            return JSONResponse(article)
        }
        router.get("/api/status") { _, _ in
            let status = try await index.withReader { try await $0.status() }
            return JSONResponse(StatusReport(index: status, daemon: DaemonStatus.read(database: database)))
        }
        return router
    }

    /// The Hummingbird application: a `Service`, to run in a `ServiceGroup` (graceful on SIGTERM: in-flight
    /// requests finish). `onServerRunning` gets the bound address (port 0 picks a free one).
    public func application(onServerRunning: @escaping @Sendable (String) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let address: BindAddress = switch configuration.listen {
        case .host(let host, let port): .hostname(host, port: port)
        case .unixSocket(let path): .unixDomainSocket(path: path)
        }
        return Application(
            router: router(),
            configuration: .init(address: address, serverName: "marsad"),
            onServerRunning: { channel in
                await onServerRunning(Self.describe(channel.localAddress, fallback: address))
            },
            logger: logger)
    }
}

extension MarsadServer {
    /// `127.0.0.1:41234`, `[::1]:8080` or `unix:/run/marsad/web.sock`: the address a client uses.
    static func describe(_ address: SocketAddress?, fallback: BindAddress) -> String {
        guard let address else { return "\(fallback)" }
        if let path = address.pathname { return "unix:\(path)" }
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}

/// The search answer: the CLI's `search --json` keys, then `took_ms` and `analyzed_query`.
struct SearchResponse: Encodable, Sendable {
    var results: SearchResults
    var tookMS: Double
    var analyzedQuery: String
    var facets: SearchFacets

    enum CodingKeys: String, CodingKey {
        case tookMS = "took_ms", analyzedQuery = "analyzed_query", facets
    }

    func encode(to encoder: any Encoder) throws {
        try results.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode((tookMS * 1000).rounded() / 1000, forKey: .tookMS)
        try container.encode(analyzedQuery, forKey: .analyzedQuery)
        try container.encode(facets, forKey: .facets)
    }
}

/// A value answered as `application/json; charset=utf-8`, keys sorted, slashes not escaped (paths read).
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
