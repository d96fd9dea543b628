public import Alerts
public import ArticleIndex
import Foundation
import Mustache

/// The HTML pages of `marsad serve`, rendered from the templates in `Templates/` (embedded in the binary by
/// `scripts/gen-web-assets`) with swift-mustache. Every value from an article reaches the page escaped by
/// ``HTML/escape(_:)`` (the templates' `MARSAD_HTML` content type), never as markup; the one pre-built
/// fragment, a snippet with its `<mark>`s, is built from escaped pieces.
public struct Pages: Sendable {
    let library: MustacheLibrary
    public let version: String

    /// The escaping of ``HTML``, registered under the name the templates' pragma gives.
    struct ScalarHTML: MustacheContentType {
        func escapeText(_ text: String) -> String { HTML.escape(text) }
    }

    public init(version: String = "1") {
        MustacheContentTypes.register(ScalarHTML(), named: "MARSAD_HTML")
        var library = MustacheLibrary()
        for (name, text) in EmbeddedAssets.templates {
            // The templates are part of the binary and tested: one that does not parse is a build mistake.
            do { try library.register(text, named: name) } catch { preconditionFailure("template \(name): \(error)") }
        }
        self.library = library
        self.version = version
    }

    /// A static file (`marsad.css`, `marsad.js`) and its content type, or nil.
    public static func asset(_ name: String) -> (body: String, contentType: String)? {
        guard let body = EmbeddedAssets.files[name] else { return nil }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
            : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
        return (body, type)
    }

    /// The keys whose values are not nil (a nil in `Any` would render as the text "nil").
    static func compact(_ values: [String: String?]) -> [String: Any] {
        values.compactMapValues { $0 }
    }

    func render(_ template: String, _ values: [String: Any]) -> String {
        var values = values
        values["version"] = version
        return library.render(values, withTemplate: template) ?? ""
    }

    // MARK: The search page

    /// What the search page shows.
    public struct Search: Sendable {
        public var query: String?
        public var source: String?
        public var since: String?
        public var until: String?
        public var offset: Int
        public var limit: Int
        public var results: SearchResults?
        public var facets: SearchFacets?
        public var error: String?
        /// `match`, when the page was asked for a mode other than the default (``MatchMode/best``).
        public var match: MatchMode?
        /// The query's pieces as typed (``SearchQuery/units``): a hit that lacks some says which.
        public var queryUnits: [String] = []
        /// `collapse`: one hit per story (the page's «تجميع حسب القصة») or per text; nil: every match.
        public var collapse: Collapse?

        public init(query: String?, source: String?, since: String?, until: String?, offset: Int, limit: Int,
                    results: SearchResults?, facets: SearchFacets?, error: String?) {
            self.query = query
            self.source = source
            self.since = since
            self.until = until
            self.offset = offset
            self.limit = limit
            self.results = results
            self.facets = facets
            self.error = error
        }

        /// The page's URL with some parameters changed (nil removes one).
        func link(_ changes: [String: String?]) -> String {
            var items: [(String, String)] = []
            var current: [String: String?] = ["q": query, "source": source, "since": since, "until": until,
                                              "match": match?.rawValue, "collapse": collapse?.rawValue,
                                              "offset": offset > 0 ? String(offset) : nil]
            for (key, value) in changes { current[key] = value }
            for key in ["q", "source", "since", "until", "match", "collapse", "offset"] {
                if let value = current[key] ?? nil, !value.isEmpty { items.append((key, value)) }
            }
            return "/?" + items.map { "\($0)=\(QueryString.encoded($1))" }.joined(separator: "&")
        }
    }

    /// Pages go this far into the results at most (the API's offset limit).
    static let maximumOffset = 10_000

    public func search(_ page: Search) -> String {
        // Only the keys that have values: a nil in `Any` would render as the text "nil".
        var values: [String: Any] = [:]
        if let query = page.query, !query.isEmpty { values["query"] = query }
        values["listening"] = page.offset == 0
        if let source = page.source { values["filterSource"] = source }
        if let since = page.since { values["filterSince"] = since }
        if let until = page.until { values["filterUntil"] = until }
        if let match = page.match { values["filterMatch"] = match.rawValue }
        values["collapseValue"] = page.collapse?.rawValue ?? Collapse.story.rawValue
        values["collapsing"] = page.collapse != nil
        if let error = page.error { values["error"] = error }
        if let results = page.results {
            let found = results.total > 0
            values["hasResults"] = found
            values["noResults"] = !found && page.error == nil
            values["searched"] = true
            let total = results.totalIsExact ? "\(results.total) نتيجة" : "أكثر من \(results.total) نتيجة"
            values["totalText"] = total + (results.collapse == .story ? " · مجمّعة حسب القصة"
                                           : results.collapse == .near ? " · النسخ المطابقة مجمّعة" : "")
            values["windowed"] = results.ranked < results.total
            values["ranked"] = results.ranked
            values["firstNumber"] = page.offset + 1
            let filters = [page.source.map { "المصدر: \($0)" }, page.since.map { "منذ \($0)" },
                           page.until.map { "حتى \($0)" }].compactMap { $0 }
            if !filters.isEmpty {
                values["filters"] = filters.joined(separator: "، ")
                values["clearLink"] = page.link(["source": nil, "since": nil, "until": nil, "offset": nil])
            }
            values["hits"] = results.hits.map { hit -> [String: Any] in
                var item: [String: Any] = ["id": hit.id, "title": hit.title, "path": hit.path,
                                           "snippetHTML": HTML.marked(hit.snippet, highlights: hit.highlights)]
                if let source = hit.source { item["source"] = source }
                let missing = page.queryUnits.filter { !(hit.matchedTerms ?? page.queryUnits).contains($0) }
                if !missing.isEmpty { item["missing"] = missing.joined(separator: "، ") }
                if let published = hit.publishedAt, let arabic = ArabicDate.day(published) {
                    item["published"] = ["iso": String(published.prefix(10)), "arabic": arabic]
                }
                if let folded = hit.collapsed, folded.count > 0 {
                    item["collapsedText"] = ArabicCount.folded(folded.count, outlets: folded.outlets.count,
                                                               sameText: results.collapse == .near)
                    if !folded.outlets.isEmpty { item["collapsedOutlets"] = folded.outlets.joined(separator: "، ") }
                    if let story = hit.storyID { item["storyLink"] = "/stories/\(story)" }
                }
                return item
            }
            if page.offset > 0 {
                values["previous"] = page.link(["offset": page.offset - page.limit > 0 ? String(page.offset - page.limit) : nil])
            }
            // Collapsed, `total` counts matches, not the hits they fold into: a full page says there may be more.
            let more = results.collapse == nil ? page.offset + page.limit < results.total : results.hits.count == page.limit
            if more && page.offset + page.limit <= Self.maximumOffset {
                values["next"] = page.link(["offset": String(page.offset + page.limit)])
            }
        }
        if let facets = page.facets {
            let sources = facets.source.prefix(12).map { count -> [String: Any] in
                ["value": count.value, "count": count.count, "selected": count.value == page.source,
                 "link": page.link(["source": count.value == page.source ? nil : count.value, "offset": nil])]
            }
            values["sources"] = sources
            values["hasSources"] = !sources.isEmpty
            // By day when the matches span a month or less, else by month.
            let byMonth = Set(facets.published.map { $0.day.prefix(7) }).count > 1 && facets.published.count > 31
            var buckets: [(key: String, label: String, count: Int, since: String, until: String)] = []
            if byMonth {
                var months: [String: Int] = [:]
                for day in facets.published { months[String(day.day.prefix(7)), default: 0] += day.count }
                // `until` is compared as a prefix of the date and must be a whole date: the month's last possible day.
                buckets = months.sorted { $0.key < $1.key }.map {
                    ($0.key, ArabicDate.month($0.key) ?? $0.key, $0.value, $0.key + "-01", $0.key + "-31")
                }
            } else {
                buckets = facets.published.map { ($0.day, ArabicDate.day($0.day) ?? $0.day, $0.count, $0.day, $0.day) }
            }
            let most = max(1, buckets.map(\.count).max() ?? 1)
            values["days"] = buckets.map { bucket -> [String: Any] in
                ["label": bucket.label, "count": bucket.count, "share": max(2, bucket.count * 100 / most),
                 "start": 100 - max(2, bucket.count * 100 / most),
                 "link": page.link(["since": bucket.since, "until": bucket.until, "offset": nil])]
            }
            values["hasDays"] = !buckets.isEmpty
            values["facetsExact"] = facets.exact
            values["facetCount"] = facets.counted
        }
        return render("search", values)
    }

    // MARK: One article

    /// - Parameter story: the article's story (``StoredArticle/storyID``), for its headline and size, and the titles
    ///   of the article's near-duplicate original and copies; nil when the index has no stories.
    public func article(_ stored: StoredArticle, similar: [SearchHit], story: StoryDetail? = nil) -> String {
        let a = stored.article
        var values: [String: Any] = ["id": stored.id, "title": a.title, "titleDerived": a.titleDerived,
                                     "path": stored.path, "paragraphs": a.paragraphs]
        if !a.lead.isEmpty { values["lead"] = a.lead }
        if let source = a.source { values["source"] = source }
        if let published = a.publishedAt, let arabic = ArabicDate.day(published) {
            values["published"] = ["iso": published, "arabic": arabic]
        }
        if let updated = a.updatedAt, let arabic = ArabicDate.day(updated) { values["updated"] = ["iso": updated, "arabic": arabic] }
        values["quotes"] = a.quotes.map { Self.compact(["text": $0.text, "speaker": $0.speaker]) }
        values["hasQuotes"] = !a.quotes.isEmpty
        values["captions"] = a.captions.map { Self.compact(["text": $0.text, "credit": $0.credit]) }
        values["hasCaptions"] = !a.captions.isEmpty
        values["related"] = a.related
        values["hasRelated"] = !a.related.isEmpty
        values["posts"] = a.embeddedPosts.map {
            Self.compact(["text": $0.text, "author": $0.author, "handle": $0.handle, "date": $0.date])
        }
        values["hasPosts"] = !a.embeddedPosts.isEmpty
        values["dates"] = a.datesMentioned.map { ["date": $0.date, "phrase": $0.phrase] }
        values["hasDates"] = !a.datesMentioned.isEmpty
        values["duplicates"] = stored.duplicatePaths
        values["hasDuplicates"] = !stored.duplicatePaths.isEmpty
        values["similar"] = similar.map { hit -> [String: Any] in
            // Its own key: a missing `source` would otherwise be looked up on the page's article.
            var item: [String: Any] = ["id": hit.id, "title": hit.title]
            if let source = hit.source { item["similarSource"] = source }
            return item
        }
        values["hasSimilar"] = !similar.isEmpty
        let members = Dictionary((story?.articles ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let id = story?.story.id ?? stored.storyID {
            var part: [String: Any] = ["storyLink": "/stories/\(id)"]
            if let summary = story?.story {
                part["storyTitle"] = summary.title
                part["storySize"] = summary.articleCount > 1
                    ? ArabicCount.articles(summary.articleCount)
                        + (summary.outlets.isEmpty ? "" : " من " + ArabicCount.outlets(summary.outlets.count))
                    : "لم يروِها غيره بعد"
            }
            values["story"] = part
        }
        if let original = stored.nearDuplicateOf {
            var part: [String: Any] = ["originalLink": "/articles/\(original)", "originalTitle": "المقال #\(original)"]
            if let member = members[original] {
                part["originalTitle"] = member.title
                if let source = member.source { part["originalSource"] = source }
            }
            values["nearDuplicate"] = part
        }
        values["copies"] = stored.nearDuplicates.map { id -> [String: Any] in
            var item: [String: Any] = ["copyID": id, "copyTitle": members[id]?.title ?? "المقال #\(id)"]
            if let source = members[id]?.source { item["copySource"] = source }
            return item
        }
        values["hasCopies"] = !stored.nearDuplicates.isEmpty
        values["copyCount"] = stored.nearDuplicates.count
        return render("article", values)
    }

    // MARK: Stories

    /// What the stories page lists: one page of stories, newest first, and the filters it was asked with.
    public struct StoryList: Sendable {
        public var stories: [StorySummary]
        public var source: String?
        public var since: String?
        public var until: String?
        public var offset: Int
        public var limit: Int
        /// Whether a story follows the page (one more than shown was asked for).
        public var hasMore: Bool
        public var error: String?

        public init(stories: [StorySummary], source: String?, since: String?, until: String?, offset: Int, limit: Int,
                    hasMore: Bool, error: String?) {
            self.stories = stories
            self.source = source
            self.since = since
            self.until = until
            self.offset = offset
            self.limit = limit
            self.hasMore = hasMore
            self.error = error
        }

        /// The page's URL with some parameters changed (nil removes one).
        func link(_ changes: [String: String?]) -> String {
            var current: [String: String?] = ["source": source, "since": since, "until": until,
                                              "offset": offset > 0 ? String(offset) : nil]
            for (key, value) in changes { current[key] = value }
            let items = ["source", "since", "until", "offset"].compactMap { key -> String? in
                guard let value = current[key] ?? nil, !value.isEmpty else { return nil }
                return "\(key)=\(QueryString.encoded(value))"
            }
            return "/stories" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
        }
    }

    /// What a story shows in the list and atop its page: its span of dates, its size, its outlets and words (under
    /// keys of their own: an article inside would otherwise find the story's `title`).
    static func storyValues(_ story: StorySummary) -> [String: Any] {
        var values: [String: Any] = [
            "storyID": story.id, "storyTitle": story.title, "span": ArabicDate.span(story.firstAt, story.lastAt),
            "firstDay": String(story.firstAt.prefix(10)), "lastDay": String(story.lastAt.prefix(10)),
            "countText": ArabicCount.articles(story.articleCount)
                + (story.outlets.isEmpty ? "" : " من " + ArabicCount.outlets(story.outlets.count)),
            "outlets": story.outlets, "hasOutlets": !story.outlets.isEmpty,
            "terms": story.terms.map { ["term": $0, "termLink": "/?q=" + QueryString.encoded($0)] },
            "hasTerms": !story.terms.isEmpty,
        ]
        if story.nearDuplicateCount > 0 { values["nearText"] = "منها " + ArabicCount.copies(story.nearDuplicateCount) }
        return values
    }

    public func stories(_ page: StoryList) -> String {
        var values: [String: Any] = ["stories": page.stories.map(Self.storyValues), "firstNumber": page.offset + 1,
                                     "empty": page.stories.isEmpty && page.error == nil]
        if let error = page.error { values["error"] = error }
        let filters = [page.source.map { "المصدر: \($0)" }, page.since.map { "منذ \($0)" },
                       page.until.map { "حتى \($0)" }].compactMap { $0 }
        if !filters.isEmpty { values["filters"] = filters.joined(separator: "، ") }
        if page.offset > 0 {
            values["previous"] = page.link(["offset": page.offset - page.limit > 0 ? String(page.offset - page.limit) : nil])
        }
        if page.hasMore && page.offset + page.limit <= Self.maximumOffset {
            values["next"] = page.link(["offset": String(page.offset + page.limit)])
        }
        return render("stories", values)
    }

    /// One story: its headline, dates, outlets and words, then its articles by day in time order, each
    /// near-duplicate folded under the article it republishes.
    public func story(_ detail: StoryDetail) -> String {
        var values = Self.storyValues(detail.story)
        if let merged = detail.mergedFrom { values["mergedFrom"] = merged }
        let ids = Set(detail.articles.map(\.id))
        var copies: [Int64: [StoryMember]] = [:]
        var originals: [StoryMember] = []
        for member in detail.articles {
            // A copy whose original is not in the story (it moved, or went) stands on its own.
            if let original = member.nearDuplicateOf, original != member.id, ids.contains(original) {
                copies[original, default: []].append(member)
            } else {
                originals.append(member)
            }
        }
        var days: [(day: String, entries: [[String: Any]])] = []
        for member in originals {
            let day = String((member.publishedAt ?? member.ingestedAt).prefix(10))
            var entry = Self.memberValues(member, prefix: "entry")
            entry["central"] = member.id == detail.story.articleID
            let folded = copies[member.id] ?? []
            entry["copies"] = folded.map { Self.memberValues($0, prefix: "copy") }
            entry["hasCopies"] = !folded.isEmpty
            entry["copyCount"] = folded.count
            if days.last?.day == day { days[days.count - 1].entries.append(entry) } else { days.append((day, [entry])) }
        }
        values["days"] = days.map { ["dayISO": $0.day, "dayArabic": ArabicDate.day($0.day) ?? $0.day, "entries": $0.entries] }
        return render("story", values)
    }

    /// An article of a story under keys of its own (`entryTitle`, `copyTitle`…): a key an item lacks would be
    /// looked up on the story around it.
    static func memberValues(_ member: StoryMember, prefix: String) -> [String: Any] {
        let at = member.publishedAt ?? member.ingestedAt
        var values: [String: Any] = [prefix + "ID": member.id, prefix + "Title": member.title, prefix + "At": at,
                                     prefix + "Undated": member.publishedAt == nil]
        if let source = member.source { values[prefix + "Source"] = source }
        if let clock = ArabicDate.clock(at) { values[prefix + "Clock"] = clock }
        if let day = ArabicDate.day(at) { values[prefix + "Day"] = day }
        return values
    }

    // MARK: Status

    public func status(index: IndexStatus, daemon: (state: String, inbox: String, queue: Int, rate: Double,
                                                    degraded: [String], indexDegraded: String?)?) -> String {
        var values: [String: Any] = [
            "articles": index.articles, "duplicates": index.duplicates, "failed": index.failed,
            "size": String(format: "%.1f MB", Double(index.indexBytes) / 1_000_000),
            "schema": index.schemaVersion, "analyzer": index.analyzerVersion, "parser": index.parserVersion,
            "failures": index.recentFailures.map { ["path": $0.path, "reason": $0.reason] },
            "hasFailures": !index.recentFailures.isEmpty,
        ]
        if let last = index.lastIngestAt { values["lastIngest"] = last }
        if let daemon {
            values["daemonState"] = daemon.state
            values["inbox"] = daemon.inbox
            values["queue"] = daemon.queue
            values["rate"] = String(format: "%.1f", daemon.rate)
            values["degraded"] = daemon.degraded
            values["hasDegraded"] = !daemon.degraded.isEmpty
            if let fault = daemon.indexDegraded { values["indexDegraded"] = fault }
        } else {
            values["daemonState"] = "لا يعمل (الفهرس يُقرأ فقط)"
        }
        return render("status", values)
    }

    // MARK: Alerts

    public func alerts(_ alerts: [(alert: Alert, matches: Int, latest: [AlertMatch])], csrf: String, error: String?,
                       unavailable: String?, name: String = "", query: String = "") -> String {
        var values: [String: Any] = ["csrf": csrf, "name": name, "queryText": query]
        if let error { values["error"] = error }
        if let unavailable { values["unavailable"] = unavailable }
        values["alerts"] = alerts.map { entry -> [String: Any] in
            ["id": entry.alert.id, "name": entry.alert.name, "query": entry.alert.query, "matches": entry.matches,
             "feed": entry.alert.feed, "searchLink": Search(query: entry.alert.query, source: nil, since: nil, until: nil,
                                                            offset: 0, limit: 20, results: nil, facets: nil, error: nil).link([:]),
             "latest": entry.latest.map { ["articleID": $0.articleID, "title": $0.title] }, "hasLatest": !entry.latest.isEmpty]
        }
        return render("alerts", values)
    }

    public func login(csrf: String, error: String?, next: String = "/") -> String {
        var values: [String: Any] = ["csrf": csrf, "next": next]
        if let error { values["error"] = error }
        return render("login", values)
    }
}

