import Foundation
import GRDB
import Testing
@testable import ArticleIndex
import Articles
import ArabicText

@Suite("Compressed article text and the v3 upgrade, on real SQLite files")
struct StorageTests {
    @Test("long values round-trip through zstd byte for byte; short ones stay text")
    func columnRoundTrip() throws {
        let body = try String(contentsOfFile: try seedPaths()[0], encoding: .utf8)
        guard case .blob(let frame) = StoredColumn.value(for: body).storage else {
            Issue.record("a 5 KB article body is stored as text")
            return
        }
        #expect(frame.count * 2 < body.utf8.count, "Arabic text compresses at least 2×")
        #expect(try StoredColumn.decompress(frame) == body)
        // ا followed by U+0654 must come back as those two scalars, not as the precomposed أ Swift equates it with.
        let decomposed = String(repeating: "\u{0627}\u{0654}ب ", count: 40)
        guard case .blob(let small) = StoredColumn.value(for: decomposed).storage else {
            Issue.record("not compressed")
            return
        }
        #expect(Array(try StoredColumn.decompress(small).unicodeScalars) == Array(decomposed.unicodeScalars))
        #expect(StoredColumn.value(for: "") == "".databaseValue)
        #expect(StoredColumn.value(for: "{\"captions\":[]}") == "{\"captions\":[]}".databaseValue)
    }

    @Test("a BLOB that is not a zstd frame, or a damaged one, is refused with a reason, never trusted")
    func damagedFramesAreRefused() throws {
        func reason(_ bytes: [UInt8]) -> String {
            do {
                _ = try StoredColumn.decompress(Data(bytes))
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(reason([1, 2, 3, 4, 5]).contains("not a zstd frame"))
        guard case .blob(let frame) = StoredColumn.value(for: String(repeating: "نص عربي طويل ", count: 50)).storage
        else { Issue.record("not compressed"); return }
        var cut = [UInt8](frame)
        cut.removeLast(4)
        #expect(reason(cut).contains("damaged"))
        // Flipped bytes anywhere in the frame: refused, or decoded to some text (invalid UTF-8 repaired), never
        // a crash or a read past the buffer.
        for position in frame.indices {
            var flipped = [UInt8](frame)
            flipped[position - frame.startIndex] ^= 0xFF
            _ = reason(flipped)
        }
        // A header that claims 1 TiB of text: refused before anything is allocated.
        var huge = [UInt8](repeating: 0, count: 18)
        let header = ZstdHeader.frame(contentSize: 1 << 40)
        huge.replaceSubrange(0..<header.count, with: header)
        #expect(reason(huge).contains("more than any article"))
    }

    @Test("stored articles keep body, captions and details compressed, and show and search read them back")
    func articlesAreStoredCompressed() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/m.db"
            let index = try ArticleIndex(path: path)
            let paths = try seedPaths()
            _ = try await index.store(try paths.map(seedDocument))
            for seed in paths {
                let original = try seedDocument(seed).article
                let shown = try #require(try await index.article(path: seed)).article
                #expect(shown.body == original.body)
                #expect(shown.captions == original.captions)
                #expect(shown.quotes == original.quotes)
                #expect(shown.related == original.related)
            }
            let hit = try #require(try await index.search(SearchQuery("رومانوسكي")).hits.first)
            #expect(hit.snippet.contains("رومانوسكي"))
            try index.close()

            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            let types = try await queue.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT typeof(body) FROM articles")
            }
            #expect(types == ["blob"])
            let (stored, text) = try await queue.read { db in
                try Row.fetchOne(db, sql: "SELECT sum(length(body)) AS s, sum(byte_size) AS t FROM articles")
                    .map { (Int($0["s"] as Int64), Int($0["t"] as Int64)) } ?? (0, 0)
            }
            #expect(stored * 2 < text, "bodies take \(stored) bytes for \(text) bytes of articles")
        }
    }

    @Test("a damaged stored body: show names the article, search still returns the hit and says why there is no passage")
    func damagedRowDoesNotFailSearch() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/m.db"
            let index = try ArticleIndex(path: path)
            let seed = try seedPaths()[3]
            _ = try await index.store([try seedDocument(seed)])
            let id = try #require(try await index.article(path: seed)).id
            try index.close()
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "UPDATE articles SET body = x'28b52ffd0000ffff' WHERE id = ?", arguments: [id])
            }
            try queue.close()

            let reopened = try ArticleIndex(path: path)
            do {
                _ = try await reopened.article(path: seed)
                Issue.record("a damaged body was shown")
            } catch {
                #expect("\(error)".contains("article \(id)"))
            }
            let results = try await reopened.search(SearchQuery("رومانوسكي"))
            #expect(results.total == 1)
            #expect(results.hits.first?.snippet.contains("cannot show a passage") == true)
            #expect(results.hits.first?.path == seed)
        }
    }

    @Test("an index written by schema v2 is upgraded: its text compressed, the same hits before and after")
    func upgradeFromVersion2() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/v2.db"
            let analyzer = ArabicAnalyzer()
            let documents = try seedPaths().map(seedDocument)
            // An index as Marsad wrote it before v3: plain text in `articles`, no `article_prefix`.
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator(analyzer: analyzer).migrate(queue, upTo: "v2: FTS5 tuned for bulk loads")
            try await queue.write { db in
                for meta in [("schema_version", "2"), ("analyzer_version", String(ArabicAnalyzer.version)),
                             ("parser_version", String(ArticleParser.version))] {
                    try Meta.set(db, meta.0, meta.1)
                }
                for (i, doc) in documents.enumerated() {
                    let text = StoredText(article: doc.article)
                    try db.execute(sql: """
                        INSERT INTO articles (path, content_sha256, title, body, captions, details, byte_size,
                                              ingested_at, parser_version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
                        """, arguments: [doc.path, doc.article.contentSHA256, text.title, text.body, text.captions,
                                         ArticleDetails(doc.article).json(), doc.stamp.byteSize, ArticleParser.version])
                    let terms = text.terms(analyzer)
                    try db.execute(sql: "INSERT INTO article_fts (rowid, title, body, captions) VALUES (?, ?, ?, ?)",
                                   arguments: [i + 1, terms.0, terms.1, terms.2])
                    try db.execute(sql: """
                        INSERT INTO files (path, article_id, status, content_sha256, updated_at)
                        VALUES (?, ?, 'indexed', ?, 0)
                        """, arguments: [doc.path, i + 1, doc.article.contentSHA256])
                }
            }
            try queue.close()
            let old = try ArticleIndex(path: path, mode: .readOnly)
            let oldHits = try await old.paths("تح*")
            let oldPrefixTotal = try await old.search(SearchQuery("تح*")).total
            let oldSnippets = try await old.search(SearchQuery("التحالف"), options: SearchOptions(limit: 5)).hits
            let oldWords = try await old.paths("القوات الأمريكية")
            #expect(!oldHits.isEmpty)
            try old.close()

            let index = try ArticleIndex(path: path)
            #expect(try await index.status().schemaVersion == Schema.version)
            // Prefixes: the same articles, from FTS5 before the upgrade and from `article_prefix` after it.
            let prefix = try await index.search(SearchQuery("تح*"), options: SearchOptions(limit: 50))
            #expect(prefix.total == oldPrefixTotal && Set(prefix.hits.map(\.path)) == Set(oldHits))
            #expect(try await index.paths("القوات الأمريكية") == oldWords)
            // The same hits and snippets; the upgrade only adds each hit's story.
            let newSnippets = try await index.search(SearchQuery("التحالف"), options: SearchOptions(limit: 5)).hits
            #expect(newSnippets.allSatisfy { $0.storyID != nil })
            #expect(newSnippets.map { hit in
                var plain = hit
                (plain.storyID, plain.storySize, plain.nearDuplicateOf) = (nil, nil, nil)
                return plain
            } == oldSnippets)
            for doc in documents {
                #expect(try await index.article(path: doc.path)?.article.body == doc.article.body)
            }
            try index.close()

            let check = try DatabaseQueue(path: path)
            defer { try? check.close() }
            try await check.write { db in
                #expect(try String.fetchAll(db, sql: "SELECT DISTINCT typeof(body) FROM articles") == ["blob"])
                #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
                try db.execute(sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 0)")
                try db.execute(sql: "INSERT INTO article_prefix(article_prefix, rank) VALUES ('integrity-check', 0)")
            }
        }
    }
}

/// A zstd frame header (RFC 8878, section 3.1.1) that declares a content size, for tests of what a reader trusts.
enum ZstdHeader {
    static func frame(contentSize: UInt64) -> [UInt8] {
        // Magic number, then a frame header descriptor: 8-byte content size field, single segment.
        var bytes: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0b1110_0000]
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: contentSize >> (8 * UInt64(i)))) }
        return bytes
    }
}
