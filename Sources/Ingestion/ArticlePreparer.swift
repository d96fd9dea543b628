public import ArticleIndex
public import Articles

/// A file that could not be made into an article.
public struct PreparationFailure: Sendable, Hashable {
    public var path: String
    public var stamp: FileStamp?
    public var sha: String?
    public var reason: String
    /// Whether the ledger keeps the failure (not for paths that are not files at all).
    public var record: Bool
    /// Whether reading again may succeed (see ``FileReadError/temporary(_:)``): the daemon retries with backoff
    /// before it records the failure.
    public var transient: Bool
    /// A short stable name of the reason (`too_large`, `binary`, `timeout`…), for metrics labels.
    public var kind: String

    public init(path: String, stamp: FileStamp? = nil, sha: String? = nil, reason: String, record: Bool,
                transient: Bool = false, kind: String = "other") {
        self.kind = kind
        self.path = path
        self.stamp = stamp
        self.sha = sha
        self.reason = reason
        self.record = record
        self.transient = transient
    }
}

/// What became of one path before the writer.
public enum Preparation: Sendable {
    /// Parsed and analyzed, ready to store.
    case document(IndexDocument)
    /// The index already holds this file as it is.
    case unchanged(String)
    /// The index holds this content for the path, under an older stamp (`touch`, `rsync -t`, `tar`): only the
    /// new stamp is recorded, nothing is parsed.
    case restamped(String, FileStamp)
    /// Nothing is at the path any more.
    case missing(String)
    case failed(PreparationFailure)

    public var path: String {
        switch self {
        case .document(let doc): doc.path
        case .unchanged(let path), .missing(let path), .restamped(let path, _): path
        case .failed(let failure): failure.path
        }
    }
}

/// Turns a path into something the index writer can apply: reads the file once, skips it when the ledger
/// says it is unchanged, parses and analyzes it. Many run at once; none of them writes to the index.
public struct ArticlePreparer: Sendable {
    public let store: any ArticleStore
    public let sizeLimit: Int64
    let parser = ArticleParser()

    public init(store: any ArticleStore, sizeLimit: Int64 = ArticleFile.defaultSizeLimit) {
        self.store = store
        self.sizeLimit = sizeLimit
    }

    /// - Parameter trustStamps: when the ledger has the same size, mtime, device and inode for the path, take
    ///   the file as unchanged without reading it (what the daemon does: 100,000 unchanged files cost no reads).
    ///   Otherwise the content hash decides.
    public func prepare(_ path: String, trustStamps: Bool) async -> Preparation {
        prepare(path, record: try? await store.fileRecord(path: path), trustStamps: trustStamps)
    }

    /// The synchronous part of ``prepare(_:trustStamps:)``, given the ledger row: reading, hashing, parsing and
    /// analysis. The daemon runs it off the cooperative thread pool, under a time limit.
    public func prepare(_ path: String, record: FileRecord?, trustStamps: Bool) -> Preparation {
        if trustStamps, let record, let recorded = record.stamp, let current = ArticleFile.stamp(path),
           recorded == current, record.status == .failed || record.parserVersion == ArticleParser.version {
            return .unchanged(path)
        }
        let file: ArticleFile
        do { file = try ArticleFile.read(path, sizeLimit: sizeLimit) } catch {
            switch error {
            case .missing: return .missing(path)
            case .isDirectory, .notRegular:
                return .failed(PreparationFailure(path: path, reason: error.description, record: false, kind: error.kind))
            case .tooLarge, .permissionDenied, .io:
                return .failed(PreparationFailure(path: path, stamp: ArticleFile.stamp(path), reason: error.description,
                                                  record: true, kind: error.kind))
            case .temporary:
                return .failed(PreparationFailure(path: path, stamp: ArticleFile.stamp(path), reason: error.description,
                                                  record: true, transient: true, kind: error.kind))
            }
        }
        let sha = ContentHash.sha256Hex(file.bytes)
        // Same content and the same stamp: nothing to do. Same content under a new stamp (`touch`, a restore
        // from backup) goes to the writer as a new stamp, unparsed: otherwise every reconcile would read and
        // hash the file again, and `marsad wait` would not see the file as indexed.
        if let record, record.isCurrent(sha: sha) {
            return record.stamp == file.stamp ? .unchanged(path) : .restamped(path, file.stamp)
        }
        do throws(ArticleParseError) {
            let article = try parser.parse(file.bytes, format: Self.format(of: path), contentSHA256: sha)
            return .document(IndexDocument(path: path, stamp: file.stamp, article: article))
        } catch {
            return .failed(PreparationFailure(path: path, stamp: file.stamp, sha: sha, reason: error.description,
                                              record: true, kind: error.kind))
        }
    }

    /// The parser format for a path: by extension, plain text when the extension is not an article format.
    public static func format(of path: String) -> ArticleFormat {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: ".") else { return .text }
        return ArticleFormat(pathExtension: String(name[name.index(after: dot)...])) ?? .text
    }
}
