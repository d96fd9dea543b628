import ArabicText
import GRDB

/// The index's tables, created and upgraded by a `DatabaseMigrator`.
///
/// - `meta`: key/value facts about the index (`format`, `schema_version`, `analyzer_version`, `parser_version`).
/// - `articles`: one row per distinct content (SHA-256). `path` is the file it was first seen at (while that file
///   exists). Lead and paragraphs are stored as `body` (paragraphs separated by blank lines); the other structured
///   fields of the parsed article are kept as JSON in `details`. Since v3, `body`, `captions` and `details` are
///   zstd-compressed (see ``StoredColumn``).
/// - `files`: the per-file ledger. Every path Marsad has seen, its content hash, size, mtime, device and inode, and
///   its status: `indexed` (its content is the article's), `duplicate` (same content as an article first seen at
///   another path) or `failed` (with `error`). A failed file keeps the article of its last good version, if any.
/// - `article_fts` (tuned by ``FullTextTuning`` since v2): a contentless FTS5 table over the analyzed title, body
///   and captions, `rowid` = `articles.id`.
///   Text reaches it already analyzed by `ArabicAnalyzer` (terms joined by spaces), so the `ascii` tokenizer only
///   splits on those spaces. Contentless keeps the index small; deleting a row re-analyzes the stored text.
/// - `article_prefix` (since v4): the distinct two-letter prefixes of each article's terms, for fast short-prefix
///   searches (see ``FullTextRow``), `rowid` = `articles.id`. Written and deleted with `article_fts`.
/// - `article_stories`, `fingerprint_bands`, `story_keys`, `stories`, `story_redirects` (since v5): near-duplicates
///   and stories (see ``StoryTables``).
enum Schema {
    /// The newest schema this code knows. Bumped with every migration.
    static let version = 5
    static let format = "marsad-index"

    /// The migrations; `analyzer` fills tables of analyzed terms that a migration adds.
    static func migrator(analyzer: ArabicAnalyzer) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE articles (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL,
                    content_sha256 TEXT NOT NULL UNIQUE,
                    title TEXT NOT NULL,
                    title_derived INTEGER NOT NULL DEFAULT 0,
                    body TEXT NOT NULL,
                    captions TEXT NOT NULL DEFAULT '',
                    source TEXT,
                    published_at TEXT,
                    updated_at TEXT,
                    author TEXT,
                    url TEXT,
                    language TEXT,
                    encoding TEXT,
                    details TEXT NOT NULL DEFAULT '{}',
                    byte_size INTEGER NOT NULL,
                    mtime REAL,
                    ingested_at REAL NOT NULL,
                    parser_version INTEGER NOT NULL
                );
                CREATE INDEX articles_path ON articles(path);
                CREATE INDEX articles_published_at ON articles(published_at);
                CREATE INDEX articles_source ON articles(source);

                CREATE TABLE files (
                    path TEXT PRIMARY KEY NOT NULL,
                    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
                    status TEXT NOT NULL CHECK (status IN ('indexed', 'duplicate', 'failed')),
                    content_sha256 TEXT,
                    byte_size INTEGER,
                    mtime REAL,
                    device INTEGER,
                    inode INTEGER,
                    error TEXT,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX files_article ON files(article_id);
                CREATE INDEX files_status ON files(status);

                CREATE VIRTUAL TABLE article_fts USING fts5(
                    title, body, captions,
                    content = '', tokenize = 'ascii'
                );
                """)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('format', ?)", arguments: [format])
        }
        migrator.registerMigration("v2: FTS5 tuned for bulk loads") { db in
            try FullTextTuning.apply(db)
        }
        migrator.registerMigration("v3: compressed article text") { db in
            try compressStoredText(db)
        }
        migrator.registerMigration("v4: short-prefix table") { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE article_prefix USING fts5(
                    prefixes,
                    content = '', tokenize = 'ascii', detail = 'none', columnsize = 0
                )
                """)
            try FullTextTuning.apply(db, table: "article_prefix")
            try eachArticleBatch(db, columns: "title, body, captions") { rows in
                for row in rows {
                    let fullText = FullTextRow(terms: try StoredText(row).terms(analyzer))
                    try db.cached("INSERT INTO article_prefix (rowid, prefixes) VALUES (?, ?)",
                                  arguments: [row["id"], fullText.prefixes])
                }
            }
        }
        migrator.registerMigration("v5: near-duplicates and stories") { db in
            try db.execute(sql: StoryTables.createSQL)
            try StoryTables.rebuild(db, analyzer: analyzer)
        }
        return migrator
    }

    /// Compresses the stored text of every article (see ``StoredColumn``): the v3 upgrade of an index written by
    /// an older Marsad (nothing to do in a new one). The full-text index does not change: the text is the same.
    static func compressStoredText(_ db: Database) throws {
        try eachArticleBatch(db, columns: "title, body, captions, details") { rows in
            for row in rows {
                let text = try StoredText(row)
                try db.cached("UPDATE articles SET body = ?, captions = ?, details = ? WHERE id = ?", arguments: [
                    StoredColumn.value(for: text.body), StoredColumn.value(for: text.captions),
                    StoredColumn.value(for: try StoredColumn.text(row, "details")), row["id"],
                ])
            }
        }
    }

    /// Calls `body` with the rows of `articles` (`id` and `columns`) in id order, `batchSize` at a time, so that
    /// a pass over 100,000 articles holds one batch in memory.
    static func eachArticleBatch(_ db: Database, columns: String, batchSize: Int = 500,
                                 _ body: ([Row]) throws -> Void) throws {
        var lastID: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, \(columns) FROM articles WHERE id > ? ORDER BY id LIMIT ?
                """, arguments: [lastID, batchSize])
            guard let last = rows.last else { return }
            try body(rows)
            lastID = last["id"]
        }
    }
}

/// FTS5 settings for an index that takes bursts of thousands of articles (kept in `article_fts_config`).
///
/// FTS5 gathers the terms of a transaction in an in-memory hash table and writes them out as a new segment when
/// the table outgrows `hashsize` (1 MiB by default) and at commit; segments are then merged `automerge` at a
/// time. With the default, a burst committed 1,000 articles at a time writes many small segments and spends most
/// of the writer's time merging them again. A 16 MiB table holds a whole batch, so each commit writes one
/// segment, and merging 8 segments at a time instead of 4 rewrites each posting fewer times. Searches read at
/// most `automerge - 1` segments per level more, which costs them microseconds.
enum FullTextTuning {
    static let hashSize = 16 << 20
    static let autoMerge = 8

    static func apply(_ db: Database, table: String = "article_fts") throws {
        try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('hashsize', ?)", arguments: [hashSize])
        try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('automerge', ?)", arguments: [autoMerge])
    }
}
