import Foundation
import Articles
public import FilePaths
import GRDB

// The ledger: the `files` table, one row per path Marsad has seen, with the file's stamp, its status and the
// article it holds. Everything about it lives in this file: the stamp, the row and its status, the queries.

/// What the ledger knows of a file on disk, without its contents.
public struct FileStamp: Sendable, Hashable, Codable {
    public var byteSize: Int64
    /// Modification time, seconds since 1970.
    public var mtime: Double
    public var device: UInt64
    public var inode: UInt64

    public init(byteSize: Int64, mtime: Double, device: UInt64 = 0, inode: UInt64 = 0) {
        self.byteSize = byteSize
        self.mtime = mtime
        self.device = device
        self.inode = inode
    }
}

/// What the ledger holds for one path.
public struct FileRecord: Sendable, Hashable {
    public enum Status: String, Sendable { case indexed, duplicate, failed }
    public var path: String
    public var status: Status
    public var articleID: Int64?
    public var contentSHA256: String?
    public var stamp: FileStamp?
    public var error: String?
    /// The parser version of the file's article; an older one means the file is due to be parsed again.
    public var parserVersion: Int?

    /// Whether the index holds this file as the current parser would: same content, not failed, current parser.
    public func isCurrent(sha: String) -> Bool {
        contentSHA256 == sha && status != .failed && parserVersion == ArticleParser.version
    }
}

extension ArticleIndex {
    /// Ledger rows with their article's parser version.
    static let recordQuery = "SELECT f.*, a.parser_version FROM files f LEFT JOIN articles a ON a.id = f.article_id"

    static func record(_ row: Row) -> FileRecord {
        let size: Int64? = row["byte_size"]
        let stamp = size.map {
            FileStamp(byteSize: $0, mtime: row["mtime"] ?? 0,
                      device: UInt64(bitPattern: row["device"] ?? 0), inode: UInt64(bitPattern: row["inode"] ?? 0))
        }
        return FileRecord(path: row["path"], status: FileRecord.Status(rawValue: row["status"]) ?? .failed,
                          articleID: row["article_id"], contentSHA256: row["content_sha256"], stamp: stamp,
                          error: row["error"], parserVersion: row["parser_version"])
    }

    /// The ledger row of `path`, if Marsad has seen it.
    public func fileRecord(path: String) async throws -> FileRecord? {
        try await mapErrors {
            try await pool.read { db in
                try Row.fetchOne(db.cachedStatement(sql: Self.recordQuery + " WHERE f.path = ?"), arguments: [path])
                    .map(Self.record)
            }
        }
    }

    /// The ledger rows of `paths` that Marsad has seen, keyed by path: one read for a worker's whole chunk.
    public func fileRecords(paths: [String]) async throws -> [PathKey: FileRecord] {
        try await mapErrors {
            try await pool.read { db in
                let statement = try db.cachedStatement(sql: Self.recordQuery + " WHERE f.path = ?")
                var records: [PathKey: FileRecord] = [:]
                for path in paths {
                    if let record = try Row.fetchOne(statement, arguments: [path]).map(Self.record) {
                        records[PathKey(path)] = record
                    }
                }
                return records
            }
        }
    }

    /// The ledger rows of every path below `directory` (a path prefix ending without `/`), keyed by path.
    /// This is what reconcile compares the tree against: one query, no file reads.
    public func fileRecords(under directory: String) async throws -> [PathKey: FileRecord] {
        try await mapErrors {
            try await pool.read { db in
                let cursor = try Row.fetchCursor(db, sql: Self.recordQuery + " WHERE f.path >= ? AND f.path < ?",
                                                 arguments: Self.prefixRange(directory))
                var records: [PathKey: FileRecord] = [:]
                while let row = try cursor.next() {
                    let record = Self.record(row)
                    records[PathKey(record.path)] = record
                }
                return records
            }
        }
    }

    public func restamp(path: String, stamp: FileStamp) async throws {
        try await mapErrors {
            try await pool.write { db in
                try db.cached("""
                    UPDATE files SET byte_size = ?, mtime = ?, device = ?, inode = ?, updated_at = ? WHERE path = ?
                    """, arguments: [stamp.byteSize, stamp.mtime, Int64(bitPattern: stamp.device),
                                     Int64(bitPattern: stamp.inode), Date().timeIntervalSince1970, path])
            }
        }
    }

    public func recordFailure(path: String, stamp: FileStamp?, contentSHA256: String?, reason: String) async throws {
        try await mapErrors {
            try await pool.write { db in
                let previous = try db.one(Int64.self, "SELECT article_id FROM files WHERE path = ?",
                                                  arguments: [path])
                try Ledger.upsert(db, path: path, articleID: previous, status: .failed, sha: contentSHA256,
                                  stamp: stamp, error: reason, now: Date().timeIntervalSince1970)
            }
        }
    }
}

/// The `files` table: one row per path.
enum Ledger {
    struct Entry {
        var articleID: Int64?
        var status: FileRecord.Status
        var sha: String?
    }

    static func fetch(_ db: Database, _ path: String) throws -> Entry? {
        try db.one(Row.self, "SELECT article_id, status, content_sha256 FROM files WHERE path = ?",
                         arguments: [path]).map {
            Entry(articleID: $0["article_id"], status: FileRecord.Status(rawValue: $0["status"]) ?? .failed,
                  sha: $0["content_sha256"])
        }
    }

    static func exists(_ db: Database, _ path: String) throws -> Bool {
        try db.one(Bool.self, "SELECT 1 FROM files WHERE path = ?", arguments: [path]) ?? false
    }

    /// Whether a path other than `path` still refers to the article (a duplicate, or a failed file keeping it).
    static func isShared(_ db: Database, articleID: Int64, besides path: String) throws -> Bool {
        try db.one(Bool.self, "SELECT 1 FROM files WHERE article_id = ? AND path <> ? LIMIT 1",
                          arguments: [articleID, path]) ?? false
    }

    static func upsert(_ db: Database, path: String, articleID: Int64?, status: FileRecord.Status, sha: String?,
                       stamp: FileStamp?, error: String?, now: Double) throws {
        try db.cached("""
            INSERT INTO files (path, article_id, status, content_sha256, byte_size, mtime, device, inode, error,
                               updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(path) DO UPDATE SET article_id = excluded.article_id, status = excluded.status,
                content_sha256 = excluded.content_sha256, byte_size = excluded.byte_size, mtime = excluded.mtime,
                device = excluded.device, inode = excluded.inode, error = excluded.error,
                updated_at = excluded.updated_at
            """, arguments: [path, articleID, status.rawValue, sha, stamp?.byteSize, stamp?.mtime,
                             stamp.map { Int64(bitPattern: $0.device) }, stamp.map { Int64(bitPattern: $0.inode) },
                             error, now])
    }
}

