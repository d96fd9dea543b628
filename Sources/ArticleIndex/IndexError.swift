/// Why the index refused or failed an operation. `description` is one line meant for people.
public enum IndexError: Error, Sendable, CustomStringConvertible {
    /// The file exists but is not a Marsad index; it is never overwritten.
    case notAnIndex(path: String, reason: String)
    /// The file is a Marsad index made by a newer Marsad.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The database is damaged or unreadable.
    case corrupt(path: String, reason: String)
    /// No index exists at the path and the caller asked not to create one.
    case missing(path: String)
    /// The index was built with another analyzer and must be rebuilt (`marsad reindex`) before searching.
    case needsReindex(path: String, found: Int, current: Int)
    /// A search query could not be understood.
    case invalidQuery(String)
    /// The database stayed locked by another connection past the busy timeout (`SQLITE_BUSY`,
    /// `SQLITE_LOCKED`): a temporary fault, to be waited out and retried.
    case busy(String)
    /// The disk or the filesystem holding the index is full (`SQLITE_FULL`, or an I/O error with `ENOSPC`):
    /// a temporary fault, to be waited out and retried once space returns.
    case diskFull(String)
    /// A search ran past its time limit (``SearchOptions/timeout``) and SQLite stopped it.
    case timedOut(String)
    /// Any other database error, with SQLite's primary result code when it came from SQLite.
    case database(String, code: Int32? = nil)

    public var description: String {
        switch self {
        case .notAnIndex(let path, let reason):
            "\(path) is not a Marsad index (\(reason)); refusing to touch it. Choose another file with --db."
        case .newerSchema(let path, let found, let supported):
            "\(path) was made by a newer Marsad (schema \(found); this one knows up to \(supported))."
        case .corrupt(let path, let reason):
            "\(path) is damaged or unreadable (\(reason))."
        case .missing(let path):
            "no index at \(path) (run `marsad ingest` or `marsad run` first, or pass --db)."
        case .needsReindex(let path, let found, let current):
            "\(path) was built with analyzer version \(found), this Marsad uses \(current): run `marsad reindex`."
        case .invalidQuery(let message):
            message
        case .busy(let message):
            "database busy: \(message)"
        case .diskFull(let message):
            "disk full: \(message)"
        case .timedOut(let message):
            message
        case .database(let message, _):
            "database error: \(message)"
        }
    }

    /// Whether trying again later may succeed: the database was busy or the disk full. A writer holds its
    /// batch and retries; it never records a file as failed for such an error.
    public var isTemporary: Bool {
        switch self {
        case .busy, .diskFull: true
        default: false
        }
    }
}
