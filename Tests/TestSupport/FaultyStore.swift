public import ArticleIndex
public import FilePaths
import Synchronization

/// A real index (SQLite, in a temp folder) behind a switch that can make its writes fail: the faults a
/// writer must survive, made to happen on cue. Reads and every write that is not failed go to the index.
///
/// - `busyFor` first writes fail with ``IndexError/busy(_:)`` (or `diskFullFor` with
///   ``IndexError/diskFull(_:)``), then pass: a temporary fault, as another process holding the lock or a full
///   disk gives it.
/// - A `store` of a batch that holds a path in `poisoned` fails with an error that is not temporary, as a row
///   SQLite refuses would.
public final class FaultyStore: ArticleStore {
    public let index: ArticleIndex
    private struct State {
        var busyFor = 0
        var diskFullFor = 0
        var poisoned: Set<PathKey> = []
        var storeCalls: [[String]] = []
        var failedAttempts = 0
    }
    private let state = Mutex(State())

    public init(_ index: ArticleIndex) {
        self.index = index
    }

    public func failNextWrites(busy: Int = 0, diskFull: Int = 0) {
        state.withLock { $0.busyFor = busy; $0.diskFullFor = diskFull }
    }

    public func poison(_ path: String) {
        state.withLock { _ = $0.poisoned.insert(PathKey(path)) }
    }

    /// The paths of each `store` call that reached the index, in order.
    public var storeCalls: [[String]] { state.withLock { $0.storeCalls } }
    /// Writes refused with a temporary fault so far.
    public var failedAttempts: Int { state.withLock { $0.failedAttempts } }

    private func fault() throws(IndexError) {
        let error: IndexError? = state.withLock { s in
            if s.busyFor > 0 { s.busyFor -= 1; s.failedAttempts += 1; return .busy("database is locked") }
            if s.diskFullFor > 0 { s.diskFullFor -= 1; s.failedAttempts += 1; return .diskFull("database or disk is full") }
            return nil
        }
        if let error { throw error }
    }

    // MARK: ArticleWriting

    public func store(_ documents: [IndexDocument]) async throws -> [StoreOutcome] {
        try fault()
        let poisoned = state.withLock { s in documents.contains { s.poisoned.contains(PathKey($0.path)) } }
        if poisoned { throw IndexError.database("constraint failed (poisoned for the test)", code: 19) }
        state.withLock { $0.storeCalls.append(documents.map(\.path)) }
        return try await index.store(documents)
    }

    public func restamp(path: String, stamp: FileStamp) async throws {
        try fault()
        try await index.restamp(path: path, stamp: stamp)
    }

    public func recordFailure(path: String, stamp: FileStamp?, contentSHA256: String?, reason: String) async throws {
        try fault()
        try await index.recordFailure(path: path, stamp: stamp, contentSHA256: contentSHA256, reason: reason)
    }

    public func remove(path: String) async throws {
        try fault()
        try await index.remove(path: path)
    }

    public func rename(from: String, to: String) async throws {
        try fault()
        try await index.rename(from: from, to: to)
    }

    public func removeAll(under directory: String) async throws {
        try fault()
        try await index.removeAll(under: directory)
    }

    public func renameAll(under from: String, to: String) async throws {
        try fault()
        try await index.renameAll(under: from, to: to)
    }

    public func reindex(batchSize: Int, progress: @Sendable (Int, Int) -> Void) async throws(IndexError) {
        try await index.reindex(batchSize: batchSize, progress: progress)
    }

    public func rebuildStories(windowDays: Int?, progress: @Sendable (Int, Int) -> Void) async throws(IndexError) {
        try await index.rebuildStories(windowDays: windowDays, progress: progress)
    }

    public func setStoriesEnabled(_ enabled: Bool, progress: @Sendable (Int, Int) -> Void) async throws(IndexError) {
        try await index.setStoriesEnabled(enabled, progress: progress)
    }

    // MARK: ArticleReading

    public var location: String { index.location }
    public func search(_ query: SearchQuery, options: SearchOptions) async throws -> SearchResults {
        try await index.search(query, options: options)
    }
    public func facets(_ query: SearchQuery, options: SearchOptions, limit: Int) async throws -> SearchFacets {
        try await index.facets(query, options: options, limit: limit)
    }
    public func status() async throws -> IndexStatus { try await index.status() }
    public func articleCount() async throws -> Int { try await index.articleCount() }
    public func article(id: Int64?, path: String?) async throws(IndexError) -> StoredArticle? {
        try await index.article(id: id, path: path)
    }
    public func similar(to id: Int64, limit: Int) async throws(IndexError) -> SearchResults? {
        try await index.similar(to: id, limit: limit)
    }
    public func stories(_ filter: StoryFilter) async throws(IndexError) -> [StorySummary] {
        try await index.stories(filter)
    }
    public func story(id: Int64) async throws(IndexError) -> StoryDetail? { try await index.story(id: id) }
    public func latestArticleID() async throws(IndexError) -> Int64 { try await index.latestArticleID() }
    public func analyzedArticles(after: Int64, limit: Int) async throws(IndexError) -> [AnalyzedArticle] {
        try await index.analyzedArticles(after: after, limit: limit)
    }
    public func newMatches(_ query: SearchQuery?, options: SearchOptions, after: Int64, newestFirst: Bool,
                           limit: Int) async throws(IndexError) -> [SearchHit] {
        try await index.newMatches(query, options: options, after: after, newestFirst: newestFirst, limit: limit)
    }
    public func fileRecord(path: String) async throws -> FileRecord? { try await index.fileRecord(path: path) }
    public func fileRecords(paths: [String]) async throws -> [PathKey: FileRecord] {
        try await index.fileRecords(paths: paths)
    }
    public func fileRecords(under directory: String) async throws -> [PathKey: FileRecord] {
        try await index.fileRecords(under: directory)
    }
    public func stalePaths(limit: Int) async throws -> [String] { try await index.stalePaths(limit: limit) }
    public func needsReindex() async throws(IndexError) -> Bool { try await index.needsReindex() }
    public func builtAnalyzerVersion() async throws(IndexError) -> Int? { try await index.builtAnalyzerVersion() }
    public func close() throws { try index.close() }
}
