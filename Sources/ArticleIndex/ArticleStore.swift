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

/// The narrow interface between Marsad and the storage behind its index.
///
/// Everything the ingest pipeline, the watcher and the CLI need goes through these calls, so that another
/// backend (PostgreSQL, for deployments that outgrow one machine) can stand in for ``ArticleIndex``.
public protocol ArticleStore: Sendable {
    /// Stores a batch of analyzed articles in one transaction, each replacing whatever its path held before.
    func store(_ documents: [IndexDocument]) async throws -> [StoreOutcome]
    /// Records that a file could not be indexed. An article from its last good version stays searchable.
    func recordFailure(path: String, stamp: FileStamp?, contentSHA256: String?, reason: String) async throws
    /// Forgets a path. Its article leaves the index unless another path holds the same content.
    func remove(path: String) async throws
    /// Moves a path (a file renamed inside the inbox): the article stays, only its path changes.
    func rename(from: String, to: String) async throws
    /// The ledger rows of every path below a directory, keyed by path.
    func fileRecords(under directory: String) async throws -> [String: FileRecord]
    /// Forgets every path below a directory.
    func removeAll(under directory: String) async throws
    /// Moves every path below `from` to the same place below `to`.
    func renameAll(under from: String, to: String) async throws
    /// The ledger row of a path, if it was seen.
    func fileRecord(path: String) async throws -> FileRecord?
    /// The ledger rows of `paths` that the index has seen, keyed by path, in one read.
    func fileRecords(paths: [String]) async throws -> [String: FileRecord]
    /// Ranked full-text search.
    func search(_ query: SearchQuery, options: SearchOptions) async throws -> SearchResults
    /// Counts and facts for `marsad status`.
    func status() async throws -> IndexStatus
}
