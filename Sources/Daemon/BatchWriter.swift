import ArticleIndex
import Foundation
import Ingestion
import Logging

/// The single writer: applies what the workers prepared, in batches, in the order it arrived.
///
/// Consecutive articles go to the index in one transaction (`store` of a batch); a batch closes when nothing
/// more is waiting or it reaches the size limit, so one dropped file is committed at once and a burst of
/// thousands is committed a few hundred at a time. Only after a path's result is committed is the path handed
/// back to the queue, so a newer event for it is always applied after the older one.
actor BatchWriter {
    private let store: ArticleIndex
    private let queue: WorkQueue
    private let stats: DaemonStats
    private let logger: Logger
    private var batchSize: Int
    private let consume: ConsumeMode?

    private var buffer: [Preparation] = []
    private var waitingForWork: CheckedContinuation<Bool, Never>?
    private var waitingForRoom: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    init(store: ArticleIndex, queue: WorkQueue, stats: DaemonStats, batchSize: Int, consume: ConsumeMode?,
         logger: Logger) {
        self.store = store
        self.queue = queue
        self.stats = stats
        self.batchSize = batchSize
        self.consume = consume
        self.logger = logger
    }

    /// Hands prepared paths to the writer; waits while the writer is far behind (bounded memory).
    func submit(_ items: [Preparation]) async {
        while buffer.count >= batchSize * 2 && !closed {
            await withCheckedContinuation { waitingForRoom.append($0) }
        }
        buffer.append(contentsOf: items)
        if let waiter = waitingForWork {
            waitingForWork = nil
            waiter.resume(returning: true)
        }
    }

    /// No more submissions: the run loop commits what is buffered and returns.
    func close() {
        closed = true
        waitingForWork?.resume(returning: false)
        waitingForWork = nil
    }

    private func take() async -> [Preparation]? {
        while buffer.isEmpty {
            if closed { return nil }
            let more = await withCheckedContinuation { waitingForWork = $0 }
            if !more && buffer.isEmpty { return nil }
        }
        let batch = Array(buffer.prefix(batchSize))
        buffer.removeFirst(batch.count)
        for waiter in waitingForRoom { waiter.resume() }
        waitingForRoom.removeAll()
        return batch
    }

    /// Commits batches until closed and drained.
    func run() async {
        while let batch = await take() {
            await apply(batch)
        }
    }

    private func apply(_ batch: [Preparation]) async {
        let start = ContinuousClock.now
        var documents: [IndexDocument] = []
        var others: [Preparation] = []
        for item in batch {
            if case .document(let doc) = item {
                // A file deleted while it was parsed must not come back as a ghost row.
                if ArticleFile.stamp(doc.path) == nil { others.append(.missing(doc.path)) } else { documents.append(doc) }
            } else {
                others.append(item)
            }
        }
        if !documents.isEmpty { await commit(documents, started: start) }
        for item in others { await applyOne(item) }
        await queue.finished(batch.map(\.path))
    }

    private func commit(_ documents: [IndexDocument], started: ContinuousClock.Instant) async {
        let outcomes: [StoreOutcome]
        do {
            outcomes = try await retrying { try await self.store.store(documents) }
        } catch {
            // One bad row sinks a transaction: store one by one so the others land.
            for doc in documents {
                do {
                    let outcome = try await retrying { try await self.store.store([doc]) }[0]
                    await report(outcome, doc, started: started)
                } catch {
                    await failed(PreparationFailure(path: doc.path, stamp: doc.stamp, sha: doc.article.contentSHA256,
                                                    reason: "could not store: \(error)", record: true))
                }
            }
            return
        }
        for (doc, outcome) in zip(documents, outcomes) { await report(outcome, doc, started: started) }
    }

    private func report(_ outcome: StoreOutcome, _ doc: IndexDocument, started: ContinuousClock.Instant) async {
        switch outcome {
        case .indexed, .replaced, .duplicate: await stats.committed()
        case .unchanged: break
        }
        // A burst logs thousands of these: build the line only when it will be written.
        let level: Logger.Level = if case .unchanged = outcome { .debug } else { .info }
        if logger.logLevel <= level { log(outcome, doc, started: started) }
        if let consume { await consume.archive(doc.path, store: store, logger: logger) }
    }

    private func log(_ outcome: StoreOutcome, _ doc: IndexDocument, started: ContinuousClock.Instant) {
        let ms = Int((ContinuousClock.now - started) / .milliseconds(1))
        let size = String(format: "%.1f KB", Double(doc.stamp.byteSize) / 1000)
        let title = doc.article.title.count > 60 ? doc.article.title.prefix(60) + "…" : doc.article.title
        var metadata: Logger.Metadata = ["article_path": "\(doc.path)", "content_sha256": "\(doc.article.contentSHA256)",
                                         "duration_ms": "\(ms)"]
        switch outcome {
        case .indexed(let id), .replaced(let id):
            metadata["article_id"] = "\(id)"
            let verb = if case .indexed = outcome { "indexed" } else { "replaced" }
            metadata["event"] = "\(verb)"
            logger.info("\(verb) \(doc.path) (#\(id), \(size), \(ms) ms) «\(title)»", metadata: metadata)
        case .duplicate(let id):
            metadata["article_id"] = "\(id)"
            metadata["event"] = "duplicate"
            logger.info("duplicate \(doc.path) of #\(id)", metadata: metadata)
        case .unchanged(let id):
            metadata["article_id"] = "\(id)"
            metadata["event"] = "unchanged"
            logger.debug("unchanged \(doc.path) (#\(id))", metadata: metadata)
        }
    }

    private func applyOne(_ item: Preparation) async {
        switch item {
        case .document, .unchanged:
            break
        case .missing(let path):
            await remove(path)
        case .failed(let failure):
            if failure.record {
                await failed(failure)
            } else {
                // No longer a regular file (a FIFO, a directory): not an article any more.
                await remove(failure.path)
            }
        }
    }

    private func remove(_ path: String) async {
        guard (try? await store.fileRecord(path: path)) != nil else { return }
        do {
            try await retrying { try await self.store.remove(path: path) }
            logger.info("removed \(path)", metadata: ["article_path": "\(path)", "event": "removed"])
        } catch {
            logger.error("could not remove \(path): \(error)", metadata: ["article_path": "\(path)", "error": "\(error)"])
        }
    }

    private func failed(_ failure: PreparationFailure) async {
        logger.warning("failed \(failure.path): \(failure.reason)",
                       metadata: ["article_path": "\(failure.path)", "error": "\(failure.reason)", "event": "failed"])
        await stats.failed()
        do {
            try await retrying {
                try await self.store.recordFailure(path: failure.path, stamp: failure.stamp,
                                                   contentSHA256: failure.sha, reason: failure.reason)
            }
        } catch {
            logger.error("could not record the failure of \(failure.path): \(error)")
        }
        if let consume { await consume.reject(failure.path, reason: failure.reason, store: store, logger: logger) }
    }

    /// Retries while the database is busy (another process holding a write lock past the busy timeout).
    private func retrying<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        var delay = Duration.milliseconds(50)
        for _ in 0..<5 {
            do { return try await body() } catch IndexError.database(let message) where message.contains("locked") {
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
        return try await body()
    }
}

/// Files per second and counts since start, for status lines.
actor DaemonStats {
    private(set) var indexed = 0
    private(set) var failures = 0
    private var recent: [ContinuousClock.Instant] = []

    func committed() {
        indexed += 1
        recent.append(.now)
    }

    func failed() {
        failures += 1
        recent.append(.now)
    }

    /// Files handled per second over the last ten seconds.
    func rate() -> Double {
        let cutoff = ContinuousClock.now - .seconds(10)
        recent.removeAll { $0 < cutoff }
        return Double(recent.count) / 10
    }
}
