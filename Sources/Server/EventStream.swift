import Alerts
import ArticleIndex
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// `/api/stream`: Server-Sent Events, one `article` event per newly committed article that matches.
///
/// ```text
/// retry: 2000
///
/// id: 1234
/// event: article
/// data: {"id":1234,"title":"…","path":"…","source":"…","published_at":"…","snippet":"…","story_id":56,"near_duplicate_of":null}
///
/// : keep-alive
/// ```
///
/// The event id is the article id, which grows in commit order, so a client that reconnects with
/// `Last-Event-ID: 1234` (browsers' `EventSource` sends it by itself) gets every match committed after 1234
/// first, then the live ones: it misses nothing. Without it the stream starts at the newest article when the
/// client connected. Matches are read from the index (``ArticleReading/newMatches(_:options:after:newestFirst:limit:)``)
/// a page at a time whenever ``ArticleFeed`` sees new commits, so a slow client only falls behind in the
/// index, never in the server's memory.
struct EventStream {
    let query: SearchQuery?
    let options: SearchOptions
    let index: IndexHandle
    let feed: ArticleFeed
    let lastEventID: Int64?

    static let pageSize = 100

    static let headers: HTTPFields = [
        .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache",
        HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// The response; the subscription is taken first, so that a full server answers 503 rather than 200.
    func response(closed: EventLoopFuture<Void>) async throws -> Response {
        let subscription = try await feed.subscribe()
        closed.whenComplete { _ in subscription.end() }
        let stream = self
        return Response(status: .ok, headers: Self.headers, body: ResponseBody { writer in
            do {
                try await stream.run(subscription, writer: &writer)
            } catch {
                await stream.feed.streams.unsubscribe(subscription.id)
                throw error
            }
            await stream.feed.streams.unsubscribe(subscription.id)
            try await writer.finish(nil)
        })
    }

    private func run(_ subscription: TickBroadcast.Subscription, writer: inout any ResponseBodyWriter) async throws {
        try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
        // A resumed stream catches up with what it missed before it waits for anything new. An id past the
        // newest is from before the index was rebuilt (the feed then ends every stream, and clients come back
        // with their last id): the stream goes on from the newest.
        var sent = min(lastEventID ?? subscription.start, subscription.start)
        sent = try await send(after: sent, through: subscription.start, writer: &writer)
        for await tick in subscription.ticks {
            if tick.latest > sent {
                sent = try await send(after: sent, through: tick.latest, writer: &writer)
            }
            if tick.keepAlive { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
        }
    }

    /// Writes the matches after `after` up to `latest`, a page at a time; returns the last id covered.
    private func send(after: Int64, through latest: Int64, writer: inout any ResponseBodyWriter) async throws -> Int64 {
        var cursor = after
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        while cursor < latest {
            let page = try await index.withReader {
                try await $0.newMatches(query, options: options, after: cursor, newestFirst: false, limit: Self.pageSize)
            }
            var text = ""
            for hit in page where hit.id <= latest {
                let event = ArticleSummary(id: hit.id, title: hit.title, path: hit.path, source: hit.source,
                                           publishedAt: hit.publishedAt, snippet: hit.snippet, storyID: hit.storyID,
                                           nearDuplicateOf: hit.nearDuplicateOf)
                let json = String(decoding: try encoder.encode(event), as: UTF8.self)
                text += "id: \(hit.id)\nevent: article\ndata: \(json)\n\n"
            }
            if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
            guard page.count == Self.pageSize, let last = page.last, last.id < latest else { return latest }
            cursor = last.id
        }
        return max(cursor, latest)
    }
}
