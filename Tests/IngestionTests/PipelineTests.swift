import Foundation
import Testing
import TestSupport
import ArticleIndex
@testable import Ingestion

@Suite("Work queue")
struct WorkQueueTests {
    @Test("a path waits once however many events name it")
    func dedupes() async {
        let q = WorkQueue()
        await q.enqueue(["a", "b", "a", "a"])
        #expect(await q.depth == 2)
        #expect(await q.next() == "a")
        #expect(await q.next() == "b")
    }

    @Test("an event for a path in flight re-queues it after the worker finishes, never alongside")
    func inFlightGoesDirty() async {
        let q = WorkQueue()
        await q.enqueue("a")
        #expect(await q.next() == "a")
        await q.enqueue("a")
        #expect(await q.isBusy("a"))
        #expect(await q.depth == 1, "still only the one in flight")
        await q.finished("a")
        #expect(await q.next() == "a", "queued again once the first run was committed")
        await q.finished("a")
        #expect(await q.depth == 0)
    }

    @Test("waiting workers wake for new work and get nil on close")
    func waitersAndClose() async {
        let q = WorkQueue()
        async let first = q.next()
        try? await Task.sleep(for: .milliseconds(20))
        await q.enqueue("x")
        #expect(await first == "x")
        async let second = q.next()
        try? await Task.sleep(for: .milliseconds(20))
        await q.close()
        #expect(await second == nil)
    }
}

@Suite("Work queue chunks")
struct WorkQueueChunkTests {
    @Test("a burst is handed out in chunks of at most the limit; a short queue one path per worker")
    func chunks() async {
        let q = WorkQueue()
        await q.enqueue((0..<100).map { "p\($0)" })
        let first = await q.next(upTo: 16)
        #expect(first == (0..<16).map { "p\($0)" })
        #expect(await q.depth == 100, "handed-out paths count as in flight")
        await q.finished(first ?? [])
        await q.enqueue(["x", "y", "z"])
        let rest = await q.next(upTo: 1000)
        #expect(rest?.count == 21, "a quarter of the 87 waiting")
        let q2 = WorkQueue()
        await q2.enqueue(["a", "b", "c"])
        #expect(await q2.next(upTo: 16) == ["a"])
        #expect(await q2.next(upTo: 16) == ["b"])
    }
}

@Suite("Workers under a time limit")
struct WorkerTimeLimitTests {
    /// A stand-in parser that takes `delay` for files named `hang*` and answers at once for the others.
    static func worker(timeout: Duration, hang: Duration) -> Worker {
        Worker(timeout: timeout, records: { _ in [:] }, prepareFile: { path, _ in
            if path.hasPrefix("hang") { Thread.sleep(forTimeInterval: Double(hang.components.seconds)
                                                     + Double(hang.components.attoseconds) / 1e18) }
            return .unchanged(path)
        })
    }

    @Test("a file that hangs is failed with its reason, and the rest of its chunk is still prepared, in order")
    func hangingFileDoesNotBlockTheChunk() async {
        // Each hang lasts 3 s, so a `failed` result proves the limit fired while the thread was still stuck.
        // (No wall-clock bound: the rest of the suite running in parallel may delay this task's resumption.)
        let worker = Self.worker(timeout: .milliseconds(200), hang: .seconds(3))
        let results = await worker.prepare(["a", "hang1", "b", "hang2", "c"])
        #expect(results.map(\.path) == ["a", "hang1", "b", "hang2", "c"])
        for (i, result) in results.enumerated() {
            if i == 1 || i == 3 {
                guard case .failed(let failure) = result else { Issue.record("\(result.path) not failed"); continue }
                #expect(failure.reason.contains("took longer than") && failure.record)
            } else {
                guard case .unchanged = result else { Issue.record("\(result.path): \(result)"); continue }
            }
        }
    }

    @Test("files that finish in time, each close to the limit, are not failed")
    func slowButInTime() async {
        let worker = Self.worker(timeout: .milliseconds(400), hang: .milliseconds(150))
        let results = await worker.prepare(["hang1", "hang2", "hang3", "hang4"])
        #expect(results.count == 4)
        #expect(results.allSatisfy { if case .unchanged = $0 { true } else { false } },
                "the limit is per file, not per chunk: \(results)")
    }
}

@Suite("Transient read errors")
struct TransientRetryTests {
    static func failure(_ transient: Bool) -> Preparation {
        .failed(PreparationFailure(path: "a.txt", reason: "read error: Resource temporarily unavailable (temporary)",
                                   record: true, transient: transient))
    }

    @Test("a temporary error is retried with growing delays until the read succeeds")
    func retriedUntilSuccess() {
        var attempts = 0
        var slept: [Duration] = []
        let result = Worker.retryingTransient(sleep: { slept.append($0) }) {
            attempts += 1
            return attempts < 3 ? Self.failure(true) : .unchanged("a.txt")
        }
        #expect(attempts == 3)
        #expect(slept == [.milliseconds(50), .milliseconds(250)])
        guard case .unchanged = result else { Issue.record("got \(result)"); return }
    }

    @Test("a temporary error that persists is recorded, saying how many attempts were made")
    func givesUp() {
        var attempts = 0
        let result = Worker.retryingTransient(sleep: { _ in }) { attempts += 1; return Self.failure(true) }
        #expect(attempts == 4)
        guard case .failed(let failure) = result else { Issue.record("got \(result)"); return }
        #expect(failure.reason.hasSuffix("still after 4 attempts") && failure.record)
    }

    @Test("a lasting error (a bad file) is not retried")
    func badFileNotRetried() {
        var attempts = 0
        _ = Worker.retryingTransient(sleep: { _ in Issue.record("slept") }) { attempts += 1; return Self.failure(false) }
        #expect(attempts == 1)
    }
}
