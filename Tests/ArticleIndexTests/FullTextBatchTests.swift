import Foundation
import GRDB
import Testing
@testable import ArticleIndex

@Suite("Full-text rows written at the end of each transaction")
struct FullTextBatchTests {
    @Test("one batch that inserts, replaces and re-inserts leaves the index consistent and exact")
    func mixedBatch() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/m.db"
            let index = try ArticleIndex(path: path)
            _ = try await index.store([try document("a.txt", "عنوان\nكلمة برتقال"),
                                       try document("b.txt", "عنوان\nكلمة رمان")])
            // In one transaction: a.txt changes twice (the second version wins), b.txt changes, c.txt is new.
            let outcomes = try await index.store([
                try document("a.txt", "عنوان\nكلمة تفاح", mtime: 2),
                try document("b.txt", "عنوان\nكلمة مشمش", mtime: 2),
                try document("c.txt", "عنوان\nكلمة برتقال وحيدة"),
                try document("a.txt", "عنوان\nكلمة عنب", mtime: 3),
            ])
            #expect(outcomes.count == 4)
            #expect(try await index.paths("برتقال") == ["c.txt"])
            #expect(try await index.paths("تفاح").isEmpty)
            #expect(try await index.paths("عنب") == ["a.txt"])
            #expect(try await index.paths("رمان").isEmpty)
            #expect(try await index.paths("مشمش") == ["b.txt"])
            try await index.remove(path: "c.txt")
            #expect(try await index.paths("برتقال").isEmpty)
            try index.close()
            // FTS5's own check: every delete matched the terms of its insert.
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO article_fts (article_fts) VALUES ('integrity-check')")
            }
            try queue.close()
        }
    }

    @Test("a batch of many new articles is written as one full-text segment, not one per article")
    func oneSegmentPerBatch() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/m.db"
            let index = try ArticleIndex(path: path)
            let docs = try (0..<200).map { try document("d\($0).txt", "عنوان \($0)\nكلمة رقم \($0) في النص") }
            _ = try await index.store(docs)
            try index.close()
            let queue = try DatabaseQueue(path: path)
            // `article_fts_data` holds the structure record, the averages and the leaf pages of each segment:
            // one small segment per article would have made it hundreds of rows.
            let rows = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM article_fts_data") }
            try queue.close()
            #expect((rows ?? 0) < 10, "article_fts_data has \(rows ?? 0) rows")
        }
    }

    @Test("the writer keeps its pages in its bounded cache and checkpoints every 8,000 pages; readers map the file unless told not to")
    func connectionSettings() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/s.db")
            // A mapped writer would keep most of the index resident during a burst's merges (the daemon's RSS).
            let writer = try await index.pool.write { db in
                (try Int.fetchOne(db, sql: "PRAGMA mmap_size"), try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"))
            }
            #expect(writer.0 == 0)
            #expect(writer.1 == 8000)
            let reader = try await index.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA mmap_size") }
            #expect(reader == 1_073_741_824)
            _ = try await index.store([try document("a.txt", "عنوان\nكلمة برتقال")])
            #expect(try await index.paths("برتقال") == ["a.txt"])
            try index.close()
            // Closed cleanly: the last connection checkpoints and empties the WAL (which can hold 32 MiB); the
            // empty -wal and the -shm stay, for readers that cannot create them (a read-only folder).
            let closedWAL = try? FileManager.default.attributesOfItem(atPath: dir + "/s.db-wal")[.size] as? Int
            #expect((closedWAL ?? 0) == 0, "WAL of \(closedWAL ?? 0) bytes left")
            #expect(FileManager.default.fileExists(atPath: dir + "/s.db-shm"))
            // Another process's reader open at that moment: the WAL cannot be deleted, but it is emptied.
            let reopened = try ArticleIndex(path: dir + "/s.db")
            _ = try await reopened.store([try document("b.txt", "عنوان\nكلمة رمان")])
            var readOnly = Configuration()
            readOnly.readonly = true
            let other = try DatabaseQueue(path: dir + "/s.db", configuration: readOnly)
            #expect(try await other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM files") } == 2)
            try reopened.close()
            let wal = try? FileManager.default.attributesOfItem(atPath: dir + "/s.db-wal")[.size] as? Int
            #expect((wal ?? 0) == 0, "WAL of \(wal ?? 0) bytes left")
            try other.close()
            // The daemon does not search: none of its connections maps the file.
            let unmapped = try ArticleIndex(path: dir + "/s.db", mapsFile: false)
            #expect(try await unmapped.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA mmap_size") } == 0)
            try unmapped.close()
        }
    }

    @Test("a version 1 index is upgraded in place and gets the bulk-load settings")
    func upgradeFromVersion1() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/m.db"
            let index = try ArticleIndex(path: path)
            _ = try await index.store([try document("a.txt", "عنوان\nكلمة برتقال")])
            try index.close()
            // Make it what version 1 wrote: no FTS5 settings, no v2 migration recorded.
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "DELETE FROM article_fts_config WHERE k IN ('hashsize', 'automerge')")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v2%'")
                try db.execute(sql: "UPDATE meta SET value = '1' WHERE key = 'schema_version'")
            }
            try queue.close()
            let upgraded = try ArticleIndex(path: path)
            #expect(try await upgraded.status().schemaVersion == Schema.version)
            #expect(try await upgraded.paths("برتقال") == ["a.txt"])
            try upgraded.close()
            let check = try DatabaseQueue(path: path)
            let config = try await check.read { db in
                try Row.fetchAll(db, sql: "SELECT k, v FROM article_fts_config WHERE k IN ('hashsize', 'automerge')")
                    .reduce(into: [String: Int]()) { $0[$1["k"]] = $1["v"] }
            }
            try check.close()
            #expect(config == ["hashsize": FullTextTuning.hashSize, "automerge": FullTextTuning.autoMerge])
        }
    }
}
