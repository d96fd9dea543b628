import Alerts
import ArticleIndex
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// What `POST /api/alerts` takes.
struct NewAlert: Decodable {
    var name: String
    var query: String
    var webhook: String?
}

/// An alert as the API shows it: its fields, the exact search, its feed and how many articles it matched.
struct AlertView: Encodable {
    var alert: Alert
    var matches: Int?

    enum CodingKeys: String, CodingKey {
        case search, feed, matches
    }

    func encode(to encoder: any Encoder) throws {
        try alert.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(alert.search, forKey: .search)
        try container.encode(alert.feed, forKey: .feed)
        try container.encodeIfPresent(matches, forKey: .matches)
    }
}

extension MarsadServer {
    /// The alert service, or a 503 saying why saved searches are off.
    static func alertService(_ alerts: Result<AlertService, AlertError>) throws(APIError) -> AlertService {
        switch alerts {
        case .success(let service): return service
        case .failure(let error): throw .unavailable("saved searches are off: \(error)")
        }
    }

    static func alertID(_ context: MarsadRequestContext, _ name: String = "id") throws(APIError) -> Int64 {
        guard let id = context.parameters.get(name).flatMap(Self.positiveID) else { throw APIError.notFound("no such alert") }
        return id
    }

    static func storeError(_ error: AlertError) -> APIError {
        switch error {
        case .invalid(let field, let reason): .badParameter(field, reason)
        case .notFound(let id): .notFound("no alert #\(id)")
        case .storage(let reason): .unavailable(reason)
        }
    }

    func addAlertRoutes(_ router: Router<MarsadRequestContext>) {
        let alerts = self.alerts
        let publicURL = configuration.publicURL
        Self.getAndHead(router, "/api/alerts") { _, _ in
            let store = try Self.alertService(alerts).store
            do {
                let counts = try await store.matchCounts()
                return JSONResponse(["alerts": try await store.alerts().map { AlertView(alert: $0, matches: counts[$0.id] ?? 0) }])
            } catch let error as AlertError { throw Self.storeError(error) }
        }
        router.post("/api/alerts") { request, context in
            let store = try Self.alertService(alerts).store
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: context.maxUploadSize) } catch {
                throw APIError.tooLarge(limit: context.maxUploadSize)
            }
            let new: NewAlert
            do { new = try JSONDecoder().decode(NewAlert.self, from: Data(buffer: body)) } catch {
                throw APIError.badParameter("body", "must be JSON: {\"name\": \"…\", \"query\": \"…\", \"webhook\": \"http…\" (optional)}")
            }
            let alert: Alert
            do { alert = try await store.add(name: new.name, query: new.query, webhook: new.webhook) } catch let error as AlertError {
                throw Self.storeError(error)
            }
            var response = try JSONResponse(AlertView(alert: alert, matches: 0)).response(from: request, context: context)
            response.status = .created
            response.headers[.location] = "/api/alerts/\(alert.id)"
            return response
        }
        router.get("/api/alerts/stream") { request, context in
            let service = try Self.alertService(alerts)
            return try await AlertStream(service: service, lastEventID: try Self.lastEventID(request))
                .response(closed: context.connectionClosed)
        }
        Self.getAndHead(router, "/api/alerts/:id") { _, context in
            let store = try Self.alertService(alerts).store
            let id = try Self.alertID(context)
            do {
                guard let alert = try await store.alert(id: id) else { throw APIError.notFound("no alert #\(id)") }
                return JSONResponse(AlertView(alert: alert, matches: try await store.matchCount(alertID: id)))
            } catch let error as AlertError { throw Self.storeError(error) }
        }
        router.delete("/api/alerts/:id") { _, context in
            let store = try Self.alertService(alerts).store
            let id = try Self.alertID(context)
            let removed: Bool
            do { removed = try await store.remove(id: id) } catch let error as AlertError { throw Self.storeError(error) }
            guard removed else { throw APIError.notFound("no alert #\(id)") }
            return Response(status: .noContent)
        }
        Self.getAndHead(router, "/api/alerts/:id/matches") { request, context in
            let store = try Self.alertService(alerts).store
            let id = try Self.alertID(context)
            let paging = try PagingParameters(request.formParameters)
            do {
                guard let alert = try await store.alert(id: id) else { throw APIError.notFound("no alert #\(id)") }
                let matches = try await store.matches(alertID: id, limit: paging.limit, offset: paging.offset)
                return JSONResponse(AlertMatches(alert: AlertView(alert: alert), matches: matches))
            } catch let error as AlertError { throw Self.storeError(error) }
        }
        Self.getAndHead(router, "/feeds/alerts/:file") { request, context in
            let store = try Self.alertService(alerts).store
            guard let file = context.parameters.get("file"), file.hasSuffix(".atom"),
                  let id = Self.positiveID(file.dropLast(5)) else { throw APIError.notFound("no such feed") }
            let alert: Alert, matches: [AlertMatch]
            do {
                guard let found = try await store.alert(id: id) else { throw APIError.notFound("no alert #\(id)") }
                alert = found
                matches = try await store.matches(alertID: id, limit: Self.feedSize)
            } catch let error as AlertError { throw Self.storeError(error) }
            let base = Self.baseURL(request, publicURL: publicURL)
            let hits = matches.map { match in
                var hit = SearchHit(id: match.articleID, path: match.path, title: match.title, score: 0,
                                    snippet: match.snippet, highlights: [], source: match.source,
                                    publishedAt: match.publishedAt)
                hit.ingestedAt = match.matchedAt
                return hit
            }
            return AtomResponse(feed: AtomFeed(
                id: "\(base)/feeds/alerts/\(id).atom", title: "مرصد: \(alert.name)",
                selfLink: "\(base)/feeds/alerts/\(id).atom", alternateLink: base + alert.search, baseURL: base,
                hits: hits))
        }
    }

    func addMetricsRoute(_ router: Router<MarsadRequestContext>) {
        let index = self.index
        let metrics = self.metrics
        let feed = self.feed
        let alerts = self.alerts
        let database = configuration.database
        Self.getAndHead(router, "/metrics") { _, _ in
            let status = try? await index.withReader { try await $0.status() }
            var streams = await feed.streams.count
            var saved: Int?
            if case .success(let service) = alerts {
                streams += await service.streams.count
                saved = try? await service.store.alerts().count
            }
            let body = metrics.exposition(index: status, streams: streams, alerts: saved, database: database)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// `Last-Event-ID`, when the client sent one: an id it has seen.
    static func lastEventID(_ request: Request) throws(APIError) -> Int64? {
        guard let header = request.headers[HTTPField.Name("Last-Event-ID")!] else { return nil }
        guard let id = Int64(header.trimmingCharacters(in: .whitespaces)), id >= 0 else {
            throw APIError.badParameter("Last-Event-ID", "'\(header)' is not an event id")
        }
        return id
    }
}

struct AlertMatches: Encodable {
    var alert: AlertView
    var matches: [AlertMatch]
}

/// `limit` (1 to 100, default 20) and `offset` (up to 10,000).
struct PagingParameters {
    var limit: Int
    var offset: Int

    init(_ pairs: some Sequence<(key: Substring, value: Substring)>) throws(APIError) {
        let parameters = try SearchParameters.named(pairs, known: ["limit", "offset", "token"])
        limit = try SearchParameters.integer(parameters, "limit", default: 20, in: 1...SearchParameters.maximumLimit)
        offset = try SearchParameters.integer(parameters, "offset", default: 0, in: 0...SearchParameters.maximumOffset)
    }
}

/// `/api/alerts/stream`: one `alert` event per recorded match of any saved search, its id the match id (so
/// `Last-Event-ID` resumes after the last match seen, as ``EventStream`` does for articles).
struct AlertStream {
    let service: AlertService
    let lastEventID: Int64?

    struct Event: Encodable {
        var id: Int64
        var alertID: Int64
        var alertName: String
        var search: String
        var article: ArticleSummary

        enum CodingKeys: String, CodingKey {
            case id, alertID = "alert_id", alertName = "alert_name", search, article
        }
    }

    func response(closed: EventLoopFuture<Void>) async throws -> Response {
        let store = service.store
        let start: Int64
        do { start = try await store.latestMatchID() } catch { throw MarsadServer.storeError(error) }
        let subscription = try await service.streams.subscribe(start: start)
        closed.whenComplete { _ in subscription.end() }
        let stream = self
        return Response(status: .ok, headers: EventStream.headers, body: ResponseBody { writer in
            do {
                try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
                var sent = try await stream.send(after: min(stream.lastEventID ?? subscription.start, subscription.start),
                                                 writer: &writer)
                for await tick in subscription.ticks {
                    if tick.latest > sent { sent = try await stream.send(after: sent, writer: &writer) }
                    if tick.keepAlive { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                }
            } catch {
                await stream.service.streams.unsubscribe(subscription.id)
                throw error
            }
            await stream.service.streams.unsubscribe(subscription.id)
            try await writer.finish(nil)
        })
    }

    /// Writes every match after `after`; returns the last match id written (or `after`).
    private func send(after: Int64, writer: inout any ResponseBodyWriter) async throws -> Int64 {
        var cursor = after
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        while true {
            let page = try await service.store.matches(after: cursor, limit: EventStream.pageSize)
            guard let last = page.last else { return cursor }
            var text = ""
            for match in page {
                let event = Event(id: match.id, alertID: match.alertID, alertName: match.alertName, search: match.search,
                                  article: ArticleSummary(match))
                text += "id: \(match.id)\nevent: alert\ndata: \(String(decoding: try encoder.encode(event), as: UTF8.self))\n\n"
            }
            try await writer.write(ByteBuffer(string: text))
            cursor = last.id
            if page.count < EventStream.pageSize { return cursor }
        }
    }
}
