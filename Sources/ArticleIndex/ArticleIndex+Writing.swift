import Foundation
import ArabicText
import Articles
import GRDB

extension ArticleIndex {
    public func store(_ documents: [IndexDocument]) async throws -> [StoreOutcome] {
        try await mapErrors {
            try await write { db, fullText in
                let now = Date().timeIntervalSince1970
                return try documents.map { try Self.store($0, in: db, now: now, fullText: fullText) }
            }
        }
    }

    public func remove(path: String) async throws {
        try await mapErrors {
            try await write { db, fullText in try Self.remove(path: path, in: db, fullText: fullText) }
        }
    }

    public func rename(from: String, to: String) async throws {
        try await mapErrors {
            try await write { db, fullText in
                guard from != to, try Ledger.exists(db, from) else { return }
                if try Ledger.exists(db, to) { try Self.remove(path: to, in: db, fullText: fullText) }
                try db.cached("UPDATE files SET path = ? WHERE path = ?", arguments: [to, from])
                try db.cached("UPDATE articles SET path = ? WHERE path = ?", arguments: [to, from])
            }
        }
    }

    /// Runs `body` in one write transaction, and applies its full-text changes at the end of it.
    ///
    /// The full-text rows are written last on purpose. Once an FTS5 table has been written in a transaction, every
    /// later statement that needs a statement journal (an upsert, a write checked by a foreign key) makes SQLite
    /// open a savepoint, and FTS5 answers a savepoint by flushing its pending terms to a new segment. Interleaved,
    /// a batch of 1,000 articles wrote 1,000 tiny segments and the writer spent half its time merging them;
    /// written last, the batch becomes one segment.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database, FullTextWrites) throws -> T) async throws -> T {
        let analyzer = self.analyzer
        return try await pool.write { db in
            let fullText = FullTextWrites(analyzer: analyzer)
            let result = try body(db, fullText)
            try fullText.apply(db)
            return result
        }
    }

    // MARK: - The rules, inside one write transaction

    static func store(_ doc: IndexDocument, in db: Database, now: Double, fullText: FullTextWrites) throws
        -> StoreOutcome
    {
        let sha = doc.article.contentSHA256
        let previous = try Ledger.fetch(db, doc.path)
        if let previous, previous.sha == sha, previous.status != .failed, let id = previous.articleID {
            try Ledger.upsert(db, path: doc.path, articleID: id, status: previous.status, sha: sha,
                              stamp: doc.stamp, error: nil, now: now)
            // Same content, parsed by an older parser: the new parse replaces the article, same id.
            let version = try db.one(Int.self, "SELECT parser_version FROM articles WHERE id = ?", arguments: [id])
            if let version, version != ArticleParser.version {
                try ArticleRows.update(db, id: id, with: doc, now: now, fullText: fullText)
                return .replaced(id: id)
            }
            return .unchanged(id: id)
        }
        let existing = try db.one(Int64.self, "SELECT id FROM articles WHERE content_sha256 = ?",
                                          arguments: [sha])
        if let previousID = previous?.articleID, previousID != existing {
            // The path held other content. If nothing else shares it, update that article in place (its id
            // stays); otherwise leave it to the other paths and give this one a new article.
            if existing == nil, try !Ledger.isShared(db, articleID: previousID, besides: doc.path) {
                try ArticleRows.update(db, id: previousID, with: doc, now: now, fullText: fullText)
                try Ledger.upsert(db, path: doc.path, articleID: previousID, status: .indexed, sha: sha,
                                  stamp: doc.stamp, error: nil, now: now)
                return .replaced(id: previousID)
            }
            try detach(path: doc.path, from: previousID, in: db, fullText: fullText)
        }
        if let existing {
            let owner = try db.one(String.self, "SELECT path FROM articles WHERE id = ?", arguments: [existing])
            let status: FileRecord.Status = owner == doc.path ? .indexed : .duplicate
            try Ledger.upsert(db, path: doc.path, articleID: existing, status: status, sha: sha,
                              stamp: doc.stamp, error: nil, now: now)
            return status == .indexed ? .unchanged(id: existing) : .duplicate(of: existing)
        }
        let id = try ArticleRows.insert(db, doc, now: now, fullText: fullText)
        try Ledger.upsert(db, path: doc.path, articleID: id, status: .indexed, sha: sha, stamp: doc.stamp,
                          error: nil, now: now)
        return previous?.articleID == nil ? .indexed(id: id) : .replaced(id: id)
    }

    static func remove(path: String, in db: Database, fullText: FullTextWrites) throws {
        guard let row = try Ledger.fetch(db, path) else { return }
        if let id = row.articleID { try detach(path: path, from: id, in: db, fullText: fullText) }
        try db.cached("DELETE FROM files WHERE path = ?", arguments: [path])
    }

    /// Unlinks `path` from article `id`: the article moves to another path with the same content, or leaves the
    /// index when no such path remains.
    static func detach(path: String, from id: Int64, in db: Database, fullText: FullTextWrites) throws {
        try db.cached("UPDATE files SET article_id = NULL WHERE path = ?", arguments: [path])
        let heir = try db.one(String.self, """
            SELECT path FROM files WHERE article_id = ? AND path <> ? AND status <> 'failed' ORDER BY updated_at, path
            LIMIT 1
            """, arguments: [id, path])
        if let heir {
            try db.cached("UPDATE articles SET path = ? WHERE id = ? AND path = ?", arguments: [heir, id, path])
            try db.cached("UPDATE files SET status = 'indexed' WHERE path = ?", arguments: [heir])
        } else if try !Ledger.isShared(db, articleID: id, besides: path) {
            try ArticleRows.delete(db, id: id, fullText: fullText)
        }
    }
}

/// The `articles` table and its full-text rows, always changed together.
enum ArticleRows {
    static func insert(_ db: Database, _ doc: IndexDocument, now: Double, fullText: FullTextWrites) throws -> Int64 {
        try db.cached("""
            INSERT INTO articles (path, content_sha256, title, title_derived, body, captions, source, published_at,
                                  updated_at, author, url, language, encoding, details, byte_size, mtime,
                                  ingested_at, parser_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: row(doc, now: now))
        let id = db.lastInsertedRowID
        fullText.insert(id: id, row: doc.fullText)
        try StoryTables.attach(db, id: id, input: doc.storyInput(now: now))
        return id
    }

    static func update(_ db: Database, id: Int64, with doc: IndexDocument, now: Double,
                       fullText: FullTextWrites) throws {
        try fullText.delete(db, id: id)
        // New content: the article leaves its story (measured from what was indexed) and finds one again, as if it
        // had just arrived.
        try StoryTables.detach(db, id: id)
        try db.cached("""
            UPDATE articles SET path = ?, content_sha256 = ?, title = ?, title_derived = ?, body = ?, captions = ?,
                source = ?, published_at = ?, updated_at = ?, author = ?, url = ?, language = ?, encoding = ?,
                details = ?, byte_size = ?, mtime = ?, ingested_at = ?, parser_version = ?
            WHERE id = ?
            """, arguments: row(doc, now: now) + [id])
        fullText.insert(id: id, row: doc.fullText)
        try StoryTables.attach(db, id: id, input: doc.storyInput(now: now))
    }

    static func delete(_ db: Database, id: Int64, fullText: FullTextWrites) throws {
        try fullText.delete(db, id: id)
        try StoryTables.detach(db, id: id)
        try db.cached("DELETE FROM articles WHERE id = ?", arguments: [id])
    }

    private static func row(_ doc: IndexDocument, now: Double) -> StatementArguments {
        let a = doc.article
        return [doc.path, a.contentSHA256, a.title, a.titleDerived, doc.storedBody, doc.storedCaptions, a.source,
                a.publishedAt, a.updatedAt, a.author, a.url, a.language, a.encoding, doc.storedDetails,
                doc.stamp.byteSize, doc.stamp.mtime, now, ArticleParser.version]
    }
}

extension Database {
    /// Runs a statement compiled once per connection and reused (the hot path of every batch).
    func cached(_ sql: String, arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The first value of a cached statement.
    func one<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, _ sql: String,
                                                                      arguments: StatementArguments = []) throws -> T? {
        try T.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    /// The first row of a cached statement.
    func one(_ type: Row.Type, _ sql: String, arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}
