public import Alerts
import ArticleIndex
import WebPages
import Daemon
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
public import NIOCore
public import ServiceLifecycle

/// `marsad serve`: the HTTP API over a read-only index, beside the daemon that writes it.
///
/// Routes (JSON in snake_case, errors as ``APIError``; see `deploy/openapi.yaml`):
/// - `GET /healthz` — the process is up;
/// - `GET /readyz` — the index opens and its analyzer is this binary's; when a daemon runs on it, the daemon
///   is watching and its writer is not waiting out a fault (503 with the reason otherwise);
/// - `GET /api/search` — the CLI's `search --json` object plus `took_ms`, `analyzed_query` and `facets`
///   (outlets and days of the newest 2,000 matches; `facets.exact` false when there were more);
/// - `GET /api/articles/{id}` — `show --json`; `…/text` — the original text; `…/similar` — more like this;
/// - `GET /api/stories` — stories, newest first; `GET /api/stories/{id}` — one story and its articles;
/// - `GET /api/status` — `status --json`;
/// - `GET /api/stream` — new matching articles as Server-Sent Events (``EventStream``);
/// - `GET /feeds/search.atom` — the newest 50 matches as Atom (``AtomFeed``), with `ETag` and `Last-Modified`.
///
/// ```swift
/// let server = MarsadServer(configuration: .init(database: "marsad.db"), logger: logger)
/// try await ServiceGroup(services: server.services(), gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public struct MarsadServer: Sendable {
    public struct Configuration: Sendable {
        public var database: String
        public var listen: ListenAddress
        /// When set, `/api` and `/feeds` need it as a bearer token.
        public var token: String?
        /// A search, facet count or feed still running after this long is stopped and answered 503.
        public var queryTimeout: Duration
        /// How many `/api/stream` clients may be connected at once; more get 503.
        public var maxStreams: Int
        /// The address clients use (`https://news.example/marsad`), for links in feeds; nil: from the
        /// request's `Host`.
        public var publicURL: String?
        /// How often the index is asked for new commits (see ``ArticleFeed``).
        public var pollInterval: Duration
        public var keepAliveInterval: Duration
        /// Where serve keeps its own state (`alerts.db`); nil: the index's folder.
        public var stateDirectory: String?

        public init(database: String, listen: ListenAddress = .loopback, token: String? = nil,
                    queryTimeout: Duration = .seconds(2), maxStreams: Int = 1_000, publicURL: String? = nil,
                    pollInterval: Duration = .milliseconds(20), keepAliveInterval: Duration = .seconds(15),
                    stateDirectory: String? = nil) {
            self.database = database
            self.stateDirectory = stateDirectory
            self.listen = listen
            self.token = token
            self.queryTimeout = queryTimeout
            self.maxStreams = maxStreams
            self.publicURL = publicURL
            self.pollInterval = pollInterval
            self.keepAliveInterval = keepAliveInterval
        }
    }

    public let configuration: Configuration
    public let index: IndexHandle
    public let feed: ArticleFeed
    public let metrics = ServerMetrics()
    /// The HTML pages.
    let pages = Pages()
    /// The saved searches, or why they cannot be kept (the alert routes then answer 503 with it).
    public let alerts: Result<AlertService, AlertError>
    let logger: Logger

    /// Request bodies larger than this are refused with 413.
    public static let maximumBodySize = 64 * 1024
    /// The newest matches an Atom feed holds.
    public static let feedSize = 50

    public init(configuration: Configuration, logger: Logger = Logger(label: "marsad.serve")) {
        self.configuration = configuration
        self.logger = logger
        index = IndexHandle(location: configuration.database)
        let feed = ArticleFeed(index: index, pollInterval: configuration.pollInterval,
                               keepAliveInterval: configuration.keepAliveInterval, capacity: configuration.maxStreams,
                               logger: logger)
        self.feed = feed
        let directory = configuration.stateDirectory
            ?? ((configuration.database as NSString).deletingLastPathComponent.isEmpty
                ? "." : (configuration.database as NSString).deletingLastPathComponent)
        let metrics = self.metrics
        let index = self.index
        alerts = Result { () throws(AlertError) in
            AlertService(store: try AlertStore(directory: directory, index: AlertService.indexName(configuration.database)),
                         index: index, feed: feed,
                         capacity: configuration.maxStreams, logger: logger,
                         onMatches: { metrics.alertMatches.increment(by: Int64($0)) })
        }
        if case .failure(let error) = alerts {
            logger.warning("saved searches are off: \(error) (give serve a writable --state-dir)",
                           metadata: ["event": "alerts_unavailable"])
        }
    }

    /// The router with every route and middleware.
    public func router() -> Router<MarsadRequestContext> {
        let router = Router(context: MarsadRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: MethodMiddleware())
        router.add(middleware: BodyLimitMiddleware(limit: Self.maximumBodySize))
        router.add(middleware: TokenMiddleware(token: configuration.token.map { Array($0.utf8) }))
        addHealthRoutes(router)
        addSearchRoutes(router)
        addArticleRoutes(router)
        addStoryRoutes(router)
        addFeedRoutes(router)
        addAlertRoutes(router)
        addMetricsRoute(router)
        addPageRoutes(router)
        addStoryPageRoutes(router)
        return router
    }

    func addHealthRoutes(_ router: Router<MarsadRequestContext>) {
        let index = self.index
        let database = configuration.database
        Self.getAndHead(router, "/healthz") { _, _ in
            JSONResponse(["status": "ok"])
        }
        Self.getAndHead(router, "/readyz") { _, _ in
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
        Self.getAndHead(router, "/api/status") { _, _ in
            let status = try await index.withReader { try await $0.status() }
            return JSONResponse(StatusReport(index: status, daemon: DaemonStatus.read(database: database)))
        }
    }

    func addSearchRoutes(_ router: Router<MarsadRequestContext>) {
        let index = self.index
        let timeout = configuration.queryTimeout
        Self.getAndHead(router, "/api/search") { request, _ in
            let parameters = try SearchParameters(request.formParameters)
            guard let query = try parameters.parsedQuery() else { throw APIError.badParameter("q", "the query is required") }
            let start = ContinuousClock.now
            let (results, facets) = try await Self.searchWithFacets(index, query, options: parameters.options,
                                                                    timeout: timeout)
            let took = Double((ContinuousClock.now - start) / .microseconds(1)) / 1000
            return JSONResponse(SearchResponse(results: results, tookMS: took, analyzedQuery: query.matchExpression,
                                               facets: facets))
        }
    }

    func addArticleRoutes(_ router: Router<MarsadRequestContext>) {
        let index = self.index
        Self.getAndHead(router, "/api/articles/:id") { _, context in
            let id = try Self.articleID(context)
            let found = try await index.withReader { try await $0.article(id: id, path: nil) }
            guard let article = found else { throw APIError.notFound("no article #\(id)") }
            return JSONResponse(article)
        }
        Self.getAndHead(router, "/api/articles/:id/text") { _, context in
            let id = try Self.articleID(context)
            let found = try await index.withReader { try await $0.article(id: id, path: nil) }
            guard let article = found else { throw APIError.notFound("no article #\(id)") }
            let text = try OriginalText.read(article)
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
        Self.getAndHead(router, "/api/articles/:id/similar") { request, context in
            let id = try Self.articleID(context)
            let limit = try SimilarParameters(request.formParameters).limit
            let found = try await index.withReader { try await $0.similar(to: id, limit: limit) }
            guard let similar = found else { throw APIError.notFound("no article #\(id)") }
            return JSONResponse(similar)
        }
    }

    func addFeedRoutes(_ router: Router<MarsadRequestContext>) {
        let index = self.index
        let feed = self.feed
        let timeout = configuration.queryTimeout
        let publicURL = configuration.publicURL
        router.get("/api/stream") { request, context in
            let parameters = try SearchParameters(request.formParameters, known: SearchParameters.streamKnown,
                                                  requiresQuery: false)
            let lastEventID = try Self.lastEventID(request)
            var options = parameters.options
            options.timeout = timeout
            return try await EventStream(query: try parameters.parsedQuery(), options: options, index: index, feed: feed,
                                         lastEventID: lastEventID).response(closed: context.connectionClosed)
        }
        Self.getAndHead(router, "/feeds/search.atom") { request, _ in
            let parameters = try SearchParameters(request.formParameters, known: SearchParameters.streamKnown,
                                                  requiresQuery: false)
            let query = try parameters.parsedQuery()
            var options = parameters.options
            options.timeout = timeout
            let hits = try await index.withReader {
                try await $0.newMatches(query, options: options, after: 0, newestFirst: true, limit: Self.feedSize)
            }
            let base = Self.baseURL(request, publicURL: publicURL)
            let search = parameters.queryString
            let title = parameters.query.map { "مرصد: \($0)" } ?? "مرصد: كل المقالات الجديدة"
            let atom = AtomFeed(id: "\(base)/feeds/search.atom?\(search)", title: title,
                                selfLink: "\(base)/feeds/search.atom?\(search)",
                                alternateLink: parameters.query == nil ? nil : "\(base)/api/search?\(search)",
                                baseURL: base, hits: hits)
            return AtomResponse(feed: atom)
        }
    }

    /// A search and the facet count of its matches, under one time limit (the facets get what the search left),
    /// as `/api/search` and the search page answer it. A query the index refuses is a 400 naming `q`.
    static func searchWithFacets(_ index: IndexHandle, _ query: SearchQuery, options: SearchOptions,
                                 timeout: Duration) async throws -> (SearchResults, SearchFacets) {
        let start = ContinuousClock.now
        var options = options
        options.timeout = timeout
        return try await index.withReader { reader in
            let results: SearchResults
            do { results = try await reader.search(query, options: options) } catch IndexError.invalidQuery(let message) {
                throw APIError.badParameter("q", message)
            }
            guard results.total > 0 else { return (results, SearchFacets()) }
            let left = timeout - (ContinuousClock.now - start)
            guard left > .zero else {
                throw IndexError.timedOut("the search took longer than \(timeout) and was stopped: narrow it down")
            }
            options.timeout = left
            return (results, try await reader.facets(query.requiring(atLeast: results.minimumMatch), options: options,
                                                     limit: SearchParameters.facetLimit))
        }
    }

    /// The services to run: the HTTP application and the feed of new articles (which stops first on shutdown,
    /// closing the streams, so that the application's in-flight requests can finish).
    public func services(onServerRunning: @escaping @Sendable (String) async -> Void = { _ in }) -> [any Service] {
        var services: [any Service] = [application(onServerRunning: onServerRunning)]
        if case .success(let alerts) = alerts {
            let metrics = self.metrics
            services.append(WebhookSender(store: alerts.store, logger: logger, onResult: { delivered in
                (delivered ? metrics.webhookDelivered : metrics.webhookFailed).increment()
            }))
            services.append(alerts)
        }
        services.append(feed)
        return services
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

    /// The `{id}` of an article route; anything but a positive number (`..`, an encoded path) is a 404.
    static func articleID(_ context: MarsadRequestContext) throws(APIError) -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Self.positiveID) else { throw APIError.notFound("no such article") }
        return id
    }

    /// A positive id as its canonical decimal digits only: `+5`, `05` or `5x` name no resource.
    static func positiveID(_ text: some StringProtocol) -> Int64? {
        guard let first = text.utf8.first, first != UInt8(ascii: "0"),
              text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let id = Int64(text) else { return nil }
        return id
    }

    /// Registers `handler` for GET and HEAD (HEAD answers the same status and headers, without the body:
    /// ``MethodMiddleware`` drops it). The streams are GET only.
    static func getAndHead<Output: ResponseGenerator>(
        _ router: Router<MarsadRequestContext>, _ path: RouterPath,
        use handler: @escaping @Sendable (Request, MarsadRequestContext) async throws -> Output
    ) {
        router.on(path, method: .get, use: handler)
        router.on(path, method: .head, use: handler)
    }

    /// `http://HOST` from the request (or the configured public URL), for links.
    static func baseURL(_ request: Request, publicURL: String?) -> String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let host = request.head.authority ?? "localhost"
        let safe = host.unicodeScalars.allSatisfy { $0.isASCII && !" \"<>\\^`{|}".unicodeScalars.contains($0) }
        return "http://" + (safe ? host : "localhost")
    }
}

/// `limit` of `/api/articles/{id}/similar` (1 to 100, default 10).
struct SimilarParameters {
    var limit: Int

    init(_ pairs: some Sequence<(key: Substring, value: Substring)>) throws(APIError) {
        let parameters = try SearchParameters.named(pairs, known: ["limit", "token"])
        limit = try SearchParameters.integer(parameters, "limit", default: 10, in: 1...SearchParameters.maximumLimit)
    }
}

/// The request context of every route: Hummingbird's basic one, with request bodies capped at
/// ``MarsadServer/maximumBodySize`` (a larger body is a 413, never collected into memory).
public struct MarsadRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Whether the client is on this machine (a loopback address or the Unix socket): `/metrics` without a
    /// token answers only such clients.
    public let isLocalClient: Bool
    /// Completes when the client's connection closes: a stream then ends at once, freeing its place, instead of
    /// at its next write.
    public let connectionClosed: EventLoopFuture<Void>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        isLocalClient = Self.isLocal(source.channel.remoteAddress)
        connectionClosed = source.channel.closeFuture
    }

    static func isLocal(_ address: SocketAddress?) -> Bool {
        guard let address else { return false }
        if address.pathname != nil { return true }
        guard let ip = address.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

    public var maxUploadSize: Int { MarsadServer.maximumBodySize }
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
