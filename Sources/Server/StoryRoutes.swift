import ArticleIndex
import Foundation
import Hummingbird
import WebPages

/// The query string of `/api/stories` and the stories page: the filters of ``StoryFilter`` and paging, each bad
/// value a 400 naming its parameter (the search's rules: dates as `YYYY-MM-DD` or ISO 8601, `limit` 1 to 100,
/// default 20, `offset` up to 10,000, no unknown name).
struct StoryParameters {
    var filter: StoryFilter

    static let known: Set<Substring> = ["since", "until", "source", "limit", "offset", "token"]

    init(_ pairs: some Sequence<(key: Substring, value: Substring)>) throws(APIError) {
        let parameters = try SearchParameters.named(pairs, known: Self.known)
        filter = StoryFilter(
            since: try SearchParameters.date(parameters, "since"), until: try SearchParameters.date(parameters, "until"),
            source: parameters["source"].map(String.init),
            limit: try SearchParameters.integer(parameters, "limit", default: 20, in: 1...SearchParameters.maximumLimit),
            offset: try SearchParameters.integer(parameters, "offset", default: 0, in: 0...SearchParameters.maximumOffset))
    }
}

/// `GET /api/stories`: `{"stories": [StorySummary]}`, newest first (by their last article).
struct StoryList: Encodable, Sendable {
    var stories: [StorySummary]
}

extension MarsadServer {
    /// The `{id}` of a story route. As for articles and alerts, anything but a positive number names no story: a
    /// 404 that quotes what was asked.
    static func storyID(_ context: MarsadRequestContext) throws(APIError) -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Self.positiveID(text) else {
            let shown = text.unicodeScalars.count > 40 ? String(text.unicodeScalars.prefix(40)) + "…" : text
            throw APIError.notFound("no story '\(shown)': story ids are positive whole numbers")
        }
        return id
    }

    /// The story of an id, or a 404 naming it. A merged id answers with the story it joined (200, its
    /// `merged_from` the id asked for): one round trip, and no permanent redirect for clients to cache, since
    /// `marsad stories --rebuild` numbers the stories anew.
    static func story(_ index: IndexHandle, id: Int64) async throws -> StoryDetail {
        let found = try await index.withReader { try await $0.story(id: id) }
        guard let detail = found else { throw APIError.notFound("no story #\(id)") }
        return detail
    }

    func addStoryRoutes(_ router: Router<MarsadRequestContext>) {
        let index = self.index
        Self.getAndHead(router, "/api/stories") { request, _ in
            let filter = try StoryParameters(request.formParameters).filter
            return JSONResponse(StoryList(stories: try await index.withReader { try await $0.stories(filter) }))
        }
        Self.getAndHead(router, "/api/stories/:id") { _, context in
            JSONResponse(try await Self.story(index, id: try Self.storyID(context)))
        }
    }

    /// `/stories` (newest first, paged like the search page, `since`/`until`/`source` as the API takes them) and
    /// `/stories/{id}` (the story's timeline).
    func addStoryPageRoutes(_ router: Router<MarsadRequestContext>) {
        let index = self.index
        let pages = self.pages
        let token = configuration.token
        Self.getAndHead(router, "/stories") { request, _ in
            if let redirect = Self.loginRedirect(request, token: token) { return redirect }
            let pairs = Dictionary(request.formParameters.map { (String($0.key), String($0.value)) },
                                   uniquingKeysWith: { first, _ in first })
            let limit = 20
            let offset = max(0, min(Int(pairs["offset"] ?? "") ?? 0, SearchParameters.maximumOffset))
            var page = Pages.StoryList(stories: [], source: pairs["source"].flatMap { $0.isEmpty ? nil : $0 },
                                       since: pairs["since"].flatMap { $0.isEmpty ? nil : $0 },
                                       until: pairs["until"].flatMap { $0.isEmpty ? nil : $0 },
                                       offset: offset, limit: limit, hasMore: false, error: nil)
            for (name, value) in [("since", page.since), ("until", page.until)] {
                if let value, !SearchParameters.isISODate(Substring(value)) {
                    page.error = "التاريخ «\(value)» غير صالح (\(name)): اكتبه هكذا 2024-01-25"
                }
            }
            if page.error != nil { return Self.html(pages.stories(page), status: .badRequest) }
            // One more than the page shows: whether there is a next page.
            let filter = StoryFilter(since: page.since, until: page.until, source: page.source, limit: limit + 1,
                                     offset: offset)
            let found = try await index.withReader { try await $0.stories(filter) }
            page.stories = Array(found.prefix(limit))
            page.hasMore = found.count > limit
            return Self.html(pages.stories(page))
        }
        Self.getAndHead(router, "/stories/:id") { request, context in
            if let redirect = Self.loginRedirect(request, token: token) { return redirect }
            return Self.html(pages.story(try await Self.story(index, id: try Self.storyID(context))))
        }
    }
}
