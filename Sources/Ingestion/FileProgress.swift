public import ArticleIndex
import FilePaths
#if canImport(Glibc)
import Glibc
#endif

/// How far the index has got with a file on disk: what `marsad wait` asks until it is done.
///
/// A file is done when the ledger holds it with the stamp (size, mtime, device, inode) it has on disk now:
/// searchable, or failed with a reason. A path with neither a file nor a ledger row is gone; one that holds
/// something that is not a regular file (a symbolic link, a FIFO) is skipped, as the pipeline skips it.
public enum FileProgress: Sendable, Hashable {
    case searchable(articleID: Int64?)
    case failed(reason: String)
    case gone
    case skipped(reason: String)
    /// Not there yet: the ledger has no row for the file, or a row for an older version of it.
    case pending

    /// Whether waiting longer can change the answer.
    public var isDone: Bool { self != .pending }

    /// The progress of `path` given its ledger row.
    public static func of(_ path: String, record: FileRecord?) -> FileProgress {
        switch (record, ArticleFile.stamp(path)) {
        case (let record?, let stamp?) where record.stamp == stamp:
            record.status == .failed ? .failed(reason: record.error ?? "unknown reason")
                : .searchable(articleID: record.articleID)
        case (nil, nil):
            notARegularFile(path).map { .skipped(reason: $0.description) } ?? .gone
        default:
            .pending
        }
    }

    /// The progress of `path` in `store`.
    public static func of(_ path: String, in store: any ArticleReading) async throws -> FileProgress {
        of(path, record: try await store.fileRecord(path: path))
    }

    /// Why the pipeline skips what is at `path` when it is there but not a regular file, or nil.
    static func notARegularFile(_ path: String) -> FileReadError? {
        var info = stat()
        guard FileName.withPlatformPath(path, { lstat($0, &info) }) == 0 else { return nil }
        return FileReadError(notRegular: info.st_mode)
    }
}
