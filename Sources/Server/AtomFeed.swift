import ArticleIndex
import Foundation
import Hummingbird
import Ingestion
import WebPages
import NIOCore

/// An Atom 1.0 document (RFC 4287) of search hits, newest first: what `/feeds/search.atom` and an alert's feed
/// answer.
///
/// Every element a feed reader needs is there: the feed's `id`, `title`, `updated`, `link rel="self"` and a
/// feed-level `author` (so an entry without an outlet is still valid); each entry's `id` (the article's URL,
/// which stays the same between polls), `title`, `link`, `updated` (when Marsad committed it), `published`
/// (the article's own date, when it has one), the outlet as `author`, and the snippet as `summary`. The text is
/// Arabic (`xml:lang="ar"`), escaped, never markup: a title holding `<script>` is five characters of text.
struct AtomFeed {
    var id: String
    var title: String
    var selfLink: String
    var alternateLink: String?
    var baseURL: String
    var hits: [SearchHit]

    /// The newest entry's commit time, or the Unix epoch for an empty feed.
    var updated: Date {
        hits.compactMap { $0.ingestedAt.flatMap(Self.parseTimestamp) }.max() ?? Date(timeIntervalSince1970: 0)
    }

    func render() -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
              <id>\(Self.escape(id))</id>
              <title>\(Self.escape(title))</title>
              <updated>\(Self.rfc3339(updated))</updated>
              <link rel="self" type="application/atom+xml" href="\(Self.escape(selfLink))"/>

            """
        if let alternateLink {
            xml += "  <link rel=\"alternate\" type=\"application/json\" href=\"\(Self.escape(alternateLink))\"/>\n"
        }
        xml += "  <author><name>Marsad</name></author>\n  <generator>Marsad</generator>\n"
        for hit in hits {
            let link = "\(baseURL)/api/articles/\(hit.id)"
            xml += "  <entry>\n"
            xml += "    <id>\(Self.escape(link))</id>\n"
            xml += "    <title>\(Self.escape(hit.title))</title>\n"
            xml += "    <link rel=\"alternate\" type=\"application/json\" href=\"\(Self.escape(link))\"/>\n"
            let committed = hit.ingestedAt.flatMap(Self.parseTimestamp) ?? updated
            xml += "    <updated>\(Self.rfc3339(committed))</updated>\n"
            if let published = hit.publishedAt.flatMap(Self.atomDate) {
                xml += "    <published>\(published)</published>\n"
            }
            if let source = hit.source, !source.isEmpty {
                xml += "    <author><name>\(Self.escape(source))</name></author>\n"
            }
            xml += "    <summary type=\"text\">\(Self.escape(hit.snippet))</summary>\n"
            xml += "  </entry>\n"
        }
        xml += "</feed>\n"
        return xml
    }

    /// Text as XML character data: the pages' escaping (``HTML/escape(_:)``), which leaves out what XML 1.0
    /// cannot hold and the bidi controls that would reorder a feed reader's view.
    static func escape(_ text: String) -> String {
        HTML.escape(text)
    }

    static func rfc3339(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }

    /// An article's own date as an RFC 3339 timestamp: a date alone is midnight UTC, a time without a zone is
    /// taken as UTC; anything else unreadable is left out rather than made up.
    static func atomDate(_ text: String) -> String? {
        let b = Array(text.utf8)
        if b.count == 10, SearchParameters.isISODate(Substring(text)) { return text + "T00:00:00Z" }
        guard b.count >= 19, SearchParameters.isISODate(Substring(text)) else { return nil }
        let candidate = b.count == 19 ? text + "Z" : text
        return parseTimestamp(candidate.replacingOccurrences(of: " ", with: "T")).map(rfc3339)
    }

    /// An HTTP date (RFC 9110 IMF-fixdate), for `Last-Modified`.
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }
}

/// An ``AtomFeed`` answered as `application/atom+xml`, with an `ETag` (a hash of the document) and a
/// `Last-Modified` (its newest entry), so that a feed reader polling with `If-None-Match` or
/// `If-Modified-Since` gets a bodiless 304 while nothing changed.
struct AtomResponse: ResponseGenerator {
    let feed: AtomFeed

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Array(feed.render().utf8)
        let etag = "\"" + ContentHash.sha256Hex(body).prefix(32) + "\""
        let updated = feed.updated
        let headers: HTTPFields = [
            .contentType: "application/atom+xml; charset=utf-8", .eTag: etag,
            .lastModified: AtomFeed.httpDate(updated), .cacheControl: "no-cache",
        ]
        if let match = request.headers[.ifNoneMatch] {
            // Weak comparison (RFC 9110 §13.1.2): W/"x" and "x" are the same tag.
            let tags = match.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .map { $0.hasPrefix("W/") ? String($0.dropFirst(2)) : $0 }
            if tags.contains(etag) || tags.contains("*") { return Response(status: .notModified, headers: headers) }
        } else if let since = request.headers[.ifModifiedSince], let date = AtomFeed.parseHTTPDate(since),
                  updated.timeIntervalSince1970.rounded(.down) <= date.timeIntervalSince1970 {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
