public import FilePaths
public import Logging

/// What happened to one file handed to the index.
public enum StoreOutcome: Sendable, Hashable {
    /// A new article was added.
    case indexed(id: Int64)
    /// The file changed and its article was replaced (same id when nothing else shared the old content).
    case replaced(id: Int64)
    /// The file's content is what the index already has for it.
    case unchanged(id: Int64)
    /// The content is already indexed under another path; this path is recorded as a duplicate of that article.
    case duplicate(of: Int64)
}

/// What readers need from an index: the CLI's `search`, `show`, `status` and `wait`, the pipeline's ledger
/// look-ups, and (next) `marsad serve`.
///
/// ``ArticleIndex`` (SQLite) conforms; a second backend (PostgreSQL) conforms the same way, and nothing
/// above this protocol changes. Paths are `String`s as Marsad keeps them (see `FileName` in FilePaths for
/// names that are not UTF-8); dictionaries of paths are keyed by `PathKey`, which compares bytes.
public protocol ArticleReading: Sendable {
    /// Where the index is, for messages (a file path, or a database URL without its password).
    var location: String { get }
    /// Ranked full-text search.
    func search(_ query: SearchQuery, options: SearchOptions) async throws -> SearchResults
    /// How the newest `limit` matches spread over outlets and days.
    func facets(_ query: SearchQuery, options: SearchOptions, limit: Int) async throws -> SearchFacets
    /// Counts and facts for `marsad status`.
    func status() async throws -> IndexStatus
    /// Articles in the index.
    func articleCount() async throws -> Int
    /// One stored article, by id or by one of its paths.
    func article(id: Int64?, path: String?) async throws(IndexError) -> StoredArticle?
    /// Articles that share the most distinctive terms of one, best first ("more like this").
    func similar(to id: Int64, limit: Int) async throws(IndexError) -> SearchResults?
    /// Stories, newest first (by their last article), filtered.
    func stories(_ filter: StoryFilter) async throws(IndexError) -> [StorySummary]
    /// One story and its articles in time order (a merged id gives the story it joined); nil when unknown.
    func story(id: Int64) async throws(IndexError) -> StoryDetail?
    /// The newest article id: ids grow in commit order (0 for an empty index).
    func latestArticleID() async throws(IndexError) -> Int64
    /// Articles committed after an id, oldest first, with their analyzed terms (for ``Percolator``).
    func analyzedArticles(after: Int64, limit: Int) async throws(IndexError) -> [AnalyzedArticle]
    /// Articles committed after an id that match a query (all when nil) and filters, in commit order.
    func newMatches(_ query: SearchQuery?, options: SearchOptions, after: Int64, newestFirst: Bool,
                    limit: Int) async throws(IndexError) -> [SearchHit]
    /// The ledger row of a path, if it was seen.
    func fileRecord(path: String) async throws -> FileRecord?
    /// The ledger rows of `paths` that the index has seen, in one read.
    func fileRecords(paths: [String]) async throws -> [PathKey: FileRecord]
    /// The ledger rows of every path below a directory.
    func fileRecords(under directory: String) async throws -> [PathKey: FileRecord]
    /// Paths of articles made by an older parser, to parse again.
    func stalePaths(limit: Int) async throws -> [String]
    /// Whether the full-text index was built with another analyzer than this one, and must be rebuilt.
    func needsReindex() async throws(IndexError) -> Bool
    /// The analyzer version the full-text index was built with (nil for an empty new index).
    func builtAnalyzerVersion() async throws(IndexError) -> Int?
    /// Closes the connections; further calls fail.
    func close() throws
}

/// What the pipeline's single writer needs from an index: every change to it goes through these calls.
public protocol ArticleWriting: Sendable {
    /// Stores a batch of analyzed articles in one transaction, each replacing whatever its path held before.
    func store(_ documents: [IndexDocument]) async throws -> [StoreOutcome]
    /// Records a new stamp for a path whose content did not change (`touch`, `rsync -t`, a restore).
    func restamp(path: String, stamp: FileStamp) async throws
    /// Records that a file could not be indexed. An article from its last good version stays searchable.
    func recordFailure(path: String, stamp: FileStamp?, contentSHA256: String?, reason: String) async throws
    /// Forgets a path. Its article leaves the index unless another path holds the same content.
    func remove(path: String) async throws
    /// Moves a path (a file renamed inside the inbox): the article stays, only its path changes.
    func rename(from: String, to: String) async throws
    /// Forgets every path below a directory.
    func removeAll(under directory: String) async throws
    /// Moves every path below `from` to the same place below `to`.
    func renameAll(under from: String, to: String) async throws
    /// Rebuilds the full-text index with the current analyzer; `progress` gets (done, total).
    func reindex(batchSize: Int, progress: @Sendable (Int, Int) -> Void) async throws(IndexError)
    /// Forgets every story and near-duplicate mark and finds them again in arrival order; `windowDays`, when
    /// given, becomes the index's story window. `progress` gets (done, total).
    func rebuildStories(windowDays: Int?, progress: @Sendable (Int, Int) -> Void) async throws(IndexError)
    /// Turns finding stories off (the story tables emptied) or on again (every story found again).
    func setStoriesEnabled(_ enabled: Bool, progress: @Sendable (Int, Int) -> Void) async throws(IndexError)
}

/// An index to read and write: what the daemon and `marsad ingest` hold.
public typealias ArticleStore = ArticleReading & ArticleWriting

/// Opens an index by where it is: the one place that picks a backend, so nothing above it names one.
public enum IndexBackend {
    /// Opens the index at `location`: a file path (SQLite, ``ArticleIndex``).
    ///
    /// - Parameter mapsFile: see ``ArticleIndex/init(path:mode:analyzer:mapsFile:logger:)``.
    public static func open(_ location: String, mode: ArticleIndex.Mode, mapsFile: Bool = true,
                            logger: Logger = Logger(label: "marsad.index")) throws(IndexError) -> any ArticleStore {
        try ArticleIndex(path: location, mode: mode, mapsFile: mapsFile, logger: logger)
    }
}
