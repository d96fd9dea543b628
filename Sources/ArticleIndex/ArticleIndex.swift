import Foundation
public import ArabicText
import Articles
import GRDB
import GRDBSQLite
import Stories
public import Logging

/// Marsad's full-text index of articles: one SQLite file in WAL mode, managed with GRDB.
///
/// Open it with ``init(path:mode:)``. A file that is not a Marsad index is refused and left untouched. Writes are
/// serialized by GRDB's single writer connection; readers (searches) run concurrently with it, so the daemon can
/// index while `marsad search` runs.
///
/// ```swift
/// let index = try ArticleIndex(path: "marsad.db")
/// let outcomes = try await index.store([IndexDocument(path: path, stamp: stamp, article: article)])
/// let results = try await index.search(try SearchQuery("انسحاب القوات"), options: .init(limit: 10))
/// ```
public final class ArticleIndex: ArticleStore {
    /// How to open the file.
    public enum Mode: Sendable {
        /// Create the index when missing and upgrade its schema.
        case readWrite
        /// Only read an existing index: for searching, never changes the file.
        case readOnly
    }

    public let path: String
    public var location: String { path }
    let pool: DatabasePool
    let analyzer: ArabicAnalyzer
    /// Whether the index has `article_prefix` (schema v4; an older index opened read-only has not, and its
    /// short prefixes are answered by FTS5 alone).
    let hasPrefixTable: Bool
    let logger: Logger

    /// Opens (or, in `.readWrite` mode, creates) the index at `path`.
    ///
    /// - Parameter mapsFile: whether read connections map the database file into memory, which makes
    ///   searches over long doclists faster. Mapped pages count in the process's resident memory as they are
    ///   touched, so a process that does not search (the daemon) passes `false`: its memory is then bounded
    ///   by the connections' page caches, whatever the size of the index.
    /// - Throws: ``IndexError/notAnIndex(path:reason:)`` when the file is something else,
    ///   ``IndexError/newerSchema(path:found:supported:)``, ``IndexError/corrupt(path:reason:)``,
    ///   ``IndexError/missing(path:)`` in `.readOnly` mode when there is no file.
    public init(path: String, mode: Mode = .readWrite, analyzer: ArabicAnalyzer = ArabicAnalyzer(),
                mapsFile: Bool = true, logger: Logger = Logger(label: "marsad.index")) throws(IndexError) {
        self.path = path
        self.analyzer = analyzer
        self.logger = logger
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && mode == .readOnly { throw .missing(path: path) }
        if exists { try Self.inspect(path: path) }

        var config = Configuration()
        config.label = "marsad"
        config.readonly = mode == .readOnly
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                // Keep the -wal and -shm files when the last connection closes (the WAL emptied by the
                // checkpoint in close()), so a reader that cannot write to the folder can still open the index:
                // `marsad serve` under the unit's read-only file system, `marsad search` as another user. SQLite
                // then reads the existing -shm read-only; without it, a cleanly closed index left no -shm and
                // such a reader failed with "attempt to write a readonly database".
                var persist: Int32 = 1
                _ = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Copy the WAL back into the database every 32 MiB instead of every 4 MiB: a burst rewrites
                // the same FTS5 and b-tree pages in transaction after transaction, and each checkpoint copies
                // a page once however often it was rewritten (the writer alone: about 15% less CPU).
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8000")
            }
            try db.execute(sql: "PRAGMA cache_size = -32000")
            // Readers map the file instead of copying pages through read(): searches walk large doclists.
            // The writer does not: during a burst FTS5's merges would touch (and keep resident) most of
            // the index, which would count in the daemon's memory; its page cache is bounded instead.
            if db.configuration.readonly && mapsFile {
                try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            }
            RankFunction.register(db)
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            if mode == .readWrite {
                let migrator = Schema.migrator(analyzer: analyzer)
                let upgrading = try pool.read { db in
                    try !migrator.hasCompletedMigrations(db) && db.tableExists("articles")
                        ? Int.fetchOne(db, sql: "SELECT count(*) FROM articles") ?? 0 : 0
                }
                if upgrading > 0 {
                    logger.notice("upgrading the index at \(path) to schema \(Schema.version): \(upgrading) articles to convert (once; under a minute per 100,000 articles)")
                }
                try migrator.migrate(pool)
                if upgrading > 0 {
                    // The upgrade rewrote every row: give the freed pages back to the file system.
                    try pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
                    logger.notice("the index at \(path) is upgraded to schema \(Schema.version)")
                }
                try pool.write { db in
                    try Meta.set(db, "schema_version", String(Schema.version))
                    if try Meta.get(db, "analyzer_version") == nil {
                        try Meta.set(db, "analyzer_version", String(ArabicAnalyzer.version))
                    }
                    if try Meta.get(db, "parser_version") == nil {
                        try Meta.set(db, "parser_version", String(ArticleParser.version))
                    }
                }
            }
            hasPrefixTable = try pool.read { db in try db.tableExists("article_prefix") }
        } catch let error as IndexError {
            throw error
        } catch {
            throw Self.classify(error, path: path)
        }
    }

    /// Looks at an existing file without writing to it: it must be empty, a fresh SQLite database, or a Marsad index.
    static func inspect(path: String) throws(IndexError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .corrupt(path: path, reason: "cannot open it for reading")
        }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if header.isEmpty { return }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw .notAnIndex(path: path, reason: "it is not an SQLite database")
        }
        var config = Configuration()
        config.readonly = true
        // Wait for other connections as the main pool does: a reader (`marsad status`) may hold a lock just
        // as the daemon starts, for instance while it recovers the WAL of a killed daemon. GRDB's default
        // (fail at once) made about 4 starts in 10 exit with "database is locked" beside a status loop.
        config.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            try queue.read { db in
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                    """)
                if tables.isEmpty { return }
                guard tables.contains("meta"),
                      try Meta.get(db, "format") == Schema.format else {
                    let shown = tables.prefix(5).joined(separator: ", ")
                    throw IndexError.notAnIndex(path: path, reason: "it holds other tables: \(shown)")
                }
                if let found = try Meta.get(db, "schema_version").flatMap(Int.init), found > Schema.version {
                    throw IndexError.newerSchema(path: path, found: found, supported: Schema.version)
                }
            }
        } catch let error as IndexError {
            throw error
        } catch {
            throw classify(error, path: path)
        }
    }

    static func classify(_ error: any Error, path: String) -> IndexError {
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_NOTADB: return .notAnIndex(path: path, reason: "it is not an SQLite database")
            case .SQLITE_CORRUPT: return .corrupt(path: path, reason: db.message ?? "corrupt")
            case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(db.message ?? "database is locked")
            // SQLite turns a write that fails with ENOSPC into SQLITE_FULL (os_unix.c, unixWrite).
            case .SQLITE_FULL: return .diskFull(db.message ?? "database or disk is full")
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_IOERR:
                return .corrupt(path: path, reason: db.message ?? "\(db.resultCode)")
            default: return .database(db.message ?? "\(db)", code: db.resultCode.primaryResultCode.rawValue)
            }
        }
        return .database("\(error)")
    }

    func mapErrors<T>(_ body: () async throws -> T) async throws(IndexError) -> T {
        do { return try await body() } catch let error as IndexError { throw error } catch {
            throw Self.classify(error, path: path)
        }
    }

    /// The analyzer version the full-text index was built with.
    public func builtAnalyzerVersion() async throws(IndexError) -> Int? {
        try await mapErrors { try await pool.read { db in try Meta.get(db, "analyzer_version").flatMap(Int.init) } }
    }

    /// Whether the full-text index was built with another analyzer than this one, and must be rebuilt.
    public func needsReindex() async throws(IndexError) -> Bool {
        if try await builtAnalyzerVersion() != ArabicAnalyzer.version { return true }
        let stories = try await mapErrors { try await pool.read { db in try Meta.get(db, "story_version") } }
        return stories.map { $0 != String(StoryRules.version) } ?? false
    }

    /// Throws ``IndexError/needsReindex(path:found:current:)`` when searching would use mismatched tokens.
    func requireCurrentAnalyzer(_ db: Database) throws {
        let found = try Meta.get(db, "analyzer_version").flatMap(Int.init)
        if let found, found != ArabicAnalyzer.version {
            throw IndexError.needsReindex(path: path, found: found, current: ArabicAnalyzer.version)
        }
    }

    /// Rebuilds the full-text index from the stored articles with the current analyzer.
    ///
    /// Runs in batches so searches keep working (on the old tokens) until the last batch commits the new version.
    /// - Parameter progress: called with (done, total) after each batch.
    public func reindex(batchSize: Int = 500, progress: @Sendable (Int, Int) -> Void = { _, _ in })
        async throws(IndexError)
    {
        try await mapErrors {
            let analyzer = self.analyzer
            try await pool.write { db in
                let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM articles") ?? 0
                try db.execute(sql: "INSERT INTO article_fts(article_fts) VALUES('delete-all')")
                try db.execute(sql: "INSERT INTO article_prefix(article_prefix) VALUES('delete-all')")
                var done = 0
                try Schema.eachArticleBatch(db, columns: "title, body, captions", batchSize: batchSize) { rows in
                    for row in rows {
                        let text = try StoredText(row)
                        try FullText.insert(db, id: row["id"], row: FullTextRow(terms: text.terms(analyzer)))
                    }
                    done += rows.count
                    progress(done, total)
                }
                try db.execute(sql: "INSERT INTO article_fts(article_fts) VALUES('optimize')")
                try db.execute(sql: "INSERT INTO article_prefix(article_prefix) VALUES('optimize')")
                try Meta.set(db, "analyzer_version", String(ArabicAnalyzer.version))
                // Story profiles hold hashes of analyzed terms: they are found again with the new analyzer.
                try StoryTables.rebuild(db, analyzer: analyzer)
            }
        }
    }

    public func rebuildStories(windowDays: Int? = nil, progress: @Sendable (Int, Int) -> Void = { _, _ in })
        async throws(IndexError)
    {
        let analyzer = self.analyzer
        try await mapErrors {
            try await pool.write { db in
                if let windowDays { try Meta.set(db, "story_window_days", String(windowDays)) }
                try StoryTables.rebuild(db, analyzer: analyzer, progress: progress)
            }
        }
    }

    /// Closes the database connections. Further calls fail.
    ///
    /// The WAL (up to 32 MiB here) is copied into the database and truncated first, then the idle readers
    /// are closed, so that the writer is normally the last connection and SQLite deletes the WAL file.
    /// (`DatabasePool.close()` closes the writer first, and a read-only connection that closes last cannot
    /// checkpoint: without this, a full WAL stayed behind whenever a reader was still open.)
    public func close() throws {
        if !pool.configuration.readonly {
            do {
                _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            } catch {
                logger.warning("closing the index: the WAL could not be checkpointed: \(error)")
            }
        }
        pool.releaseMemory()
        try pool.close()
    }
}

/// Reads and writes the `meta` table.
enum Meta {
    static func get(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    static func set(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
    }
}

/// The full-text changes of one write transaction, applied in order at its end (see ``ArticleIndex/write(_:)``).
///
/// A contentless FTS5 row is deleted by repeating the exact terms it was inserted with, so a deletion reads the
/// stored text and analyzes it again when it is queued, before the `articles` row changes.
final class FullTextWrites {
    private enum Change {
        case insert(Int64, FullTextRow)
        case delete(Int64, FullTextRow)
    }

    private let analyzer: ArabicAnalyzer
    private var changes: [Change] = []

    init(analyzer: ArabicAnalyzer) {
        self.analyzer = analyzer
    }

    func insert(id: Int64, row: FullTextRow) {
        changes.append(.insert(id, row))
    }

    /// Queues the removal of article `id`'s terms, analyzed from its stored text as it is now.
    func delete(_ db: Database, id: Int64) throws {
        guard let stored = try db.one(Row.self, "SELECT id, title, body, captions FROM articles WHERE id = ?",
                                      arguments: [id]) else { return }
        let text = try StoredText(stored)
        changes.append(.delete(id, FullTextRow(terms: text.terms(analyzer))))
    }

    func apply(_ db: Database) throws {
        for change in changes {
            switch change {
            case .insert(let id, let row): try FullText.insert(db, id: id, row: row)
            case .delete(let id, let row): try FullText.delete(db, id: id, row: row)
            }
        }
        changes.removeAll()
    }
}

/// Rows of the contentless `article_fts` and `article_prefix` tables, always written together.
enum FullText {
    static func insert(_ db: Database, id: Int64, row: FullTextRow) throws {
        try db.cached("INSERT INTO article_fts (rowid, title, body, captions) VALUES (?, ?, ?, ?)",
                       arguments: [id, row.title, row.body, row.captions])
        try db.cached("INSERT INTO article_prefix (rowid, prefixes) VALUES (?, ?)", arguments: [id, row.prefixes])
    }

    /// A contentless FTS5 row is deleted by repeating the exact terms it was inserted with.
    static func delete(_ db: Database, id: Int64, row: FullTextRow) throws {
        try db.cached("""
            INSERT INTO article_fts (article_fts, rowid, title, body, captions) VALUES ('delete', ?, ?, ?, ?)
            """, arguments: [id, row.title, row.body, row.captions])
        try db.cached("INSERT INTO article_prefix (article_prefix, rowid, prefixes) VALUES ('delete', ?, ?)",
                      arguments: [id, row.prefixes])
    }
}
