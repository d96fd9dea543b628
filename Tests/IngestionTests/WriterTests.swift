import ArticleIndex
import Foundation
import Testing
import TestSupport
@testable import Ingestion

/// The single writer, in process, on a real SQLite index in a temp folder.
@Suite("The single writer")
struct WriterTests {
    /// Prepares the file at `path` as a worker would.
    func prepared(_ path: String, _ store: any ArticleStore) async -> Preparation {
        await ArticlePreparer(store: store).prepare(path, trustStamps: false)
    }

    /// `count` articles written to `dir` as files 0.txt, 1.txt… and prepared as a worker would.
    func articles(_ count: Int, in dir: String, _ store: any ArticleStore) async throws -> [Preparation] {
        var items: [Preparation] = []
        for i in 0..<count {
            try text(i).write(toFile: "\(dir)/\(i).txt", atomically: false, encoding: .utf8)
            items.append(await prepared("\(dir)/\(i).txt", store))
        }
        return items
    }

    func text(_ n: Int, _ word: String = "كلمة") -> String {
        "عنوان رقم \(n)\nنص المقال رقم \(n) و\(word)\(n) فريدة\n"
    }

    /// Runs a writer until `body` is done submitting, then closes it and waits for the last batch.
    func withWriter(_ store: any ArticleStore, options: IndexWriter.Options = IndexWriter.Options(),
                    _ body: (IndexWriter, WorkQueue) async throws -> Void) async throws -> IndexWriter {
        let queue = WorkQueue()
        let writer = IndexWriter(store: store, queue: queue, options: options)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            try await body(writer, queue)
            await writer.close()
        }
        return writer
    }

    @Test("changes apply in the order they came: a later version wins, a rename after a store moves the article")
    func ordering() async throws {
        try await withTemporaryDirectory { dir in
            let store = try ArticleIndex(path: dir + "/m.db")
            let a = dir + "/a.txt", b = dir + "/b.txt"
            try text(1, "الزعتر").write(toFile: a, atomically: false, encoding: .utf8)
            let first = await prepared(a, store)
            try text(1, "السماق").write(toFile: a, atomically: false, encoding: .utf8)
            let second = await prepared(a, store)
            _ = try await withWriter(store) { writer, _ in
                await writer.submit([first])
                await writer.submitAndWait(.prepared(second))
                try sh("mv '\(a)' '\(b)'")
                await writer.submit(.rename(from: a, to: b))
            }
            #expect(try await store.fileRecord(path: a) == nil)
            #expect(try await store.fileRecord(path: b)?.status == .indexed)
            #expect(try await store.search(SearchQuery("السماق1"), options: SearchOptions()).hits.map(\.path) == [b])
            #expect(try await store.search(SearchQuery("الزعتر1"), options: SearchOptions()).total == 0)
        }
    }

    @Test("consecutive articles commit together, at most batch_size to a transaction")
    func batching() async throws {
        try await withTemporaryDirectory { dir in
            let store = FaultyStore(try ArticleIndex(path: dir + "/m.db"))
            let items = try await articles(120, in: dir, store)
            let writer = try await withWriter(store, options: IndexWriter.Options(batchSize: 50)) { writer, _ in
                await writer.submit(items)
            }
            #expect(store.storeCalls.map(\.count) == [50, 50, 20])
            #expect(await writer.tally.indexed == 120)
            #expect(try await store.articleCount() == 120)
        }
    }

    @Test("a busy database and a full disk are waited out: the batch is held, reported, then committed; nothing fails")
    func temporaryFaults() async throws {
        try await withTemporaryDirectory { dir in
            let store = FaultyStore(try ArticleIndex(path: dir + "/m.db"))
            let items = try await articles(5, in: dir, store)
            store.failNextWrites(busy: 2, diskFull: 3)
            let sawFault = FaultSeen()
            let writer = try await withWriter(store) { writer, _ in
                await writer.submit(items)
                // While it retries, the writer says why.
                _ = await eventually(timeout: .seconds(10)) {
                    if let fault = await writer.fault { await sawFault.record(fault.kind) }
                    return await writer.tally.indexed == 5
                }
            }
            #expect(store.failedAttempts == 5)
            #expect(await sawFault.kinds.contains(.diskFull))
            #expect(await writer.fault == nil, "the fault cleared once the writes went through")
            let tally = await writer.tally
            #expect(tally.indexed == 5 && tally.failed == 0)
            #expect(try await store.status().failed == 0)
        }
    }

    @Test("a batch that fails for a reason that is not temporary is stored one by one: only the bad row fails")
    func perRowFallback() async throws {
        try await withTemporaryDirectory { dir in
            let store = FaultyStore(try ArticleIndex(path: dir + "/m.db"))
            let items = try await articles(4, in: dir, store)
            store.poison(dir + "/2.txt")
            let writer = try await withWriter(store) { writer, _ in await writer.submit(items) }
            let tally = await writer.tally
            #expect(tally.indexed == 3 && tally.failed == 1)
            let record = try await store.fileRecord(path: dir + "/2.txt")
            #expect(record?.status == .failed)
            #expect(record?.error?.hasPrefix("could not store: database error: constraint failed") == true, "\(String(describing: record))")
            #expect(try await store.articleCount() == 3)
        }
    }

    @Test("consume mode: a committed file moves to the archive and its ledger row follows; a failed one goes to failed/ with its reason")
    func consumeMode() async throws {
        try await withTemporaryDirectory { dir in
            try sh("mkdir -p '\(dir)/inbox/sub' '\(dir)/archive' '\(dir)/failed'")
            let store = try ArticleIndex(path: dir + "/m.db")
            let good = dir + "/inbox/sub/good.txt", empty = dir + "/inbox/empty.txt"
            try text(7).write(toFile: good, atomically: false, encoding: .utf8)
            write(empty, [])
            let items = [await prepared(good, store), await prepared(empty, store)]
            let consume = ConsumeMode(inbox: dir + "/inbox", archive: dir + "/archive", failed: dir + "/failed")
            _ = try await withWriter(store, options: IndexWriter.Options(consume: consume)) { writer, _ in
                await writer.submit(items)
            }
            #expect(!FileManager.default.fileExists(atPath: good) && !FileManager.default.fileExists(atPath: empty))
            #expect(try await store.fileRecord(path: dir + "/archive/sub/good.txt")?.status == .indexed)
            #expect(try await store.fileRecord(path: good) == nil)
            #expect(FileManager.default.fileExists(atPath: dir + "/failed/empty.txt"))
            #expect(try String(contentsOfFile: dir + "/failed/empty.txt.reason", encoding: .utf8) == "the file is empty\n")
            #expect(try await store.fileRecord(path: empty) == nil, "a rejected file leaves the ledger with the inbox")
        }
    }
}

actor FaultSeen {
    private(set) var kinds: Set<WriterFault.Kind> = []
    func record(_ kind: WriterFault.Kind) { kinds.insert(kind) }
}
