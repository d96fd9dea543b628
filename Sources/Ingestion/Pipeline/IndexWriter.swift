public import ArticleIndex
import FilePaths
import Foundation
public import Logging

/// One change to the index, applied by the ``IndexWriter`` in the order it arrived.
public enum IndexChange: Sendable {
    /// What a worker made of a path. The path is handed back to the queue once this is committed.
    case prepared(Preparation)
    /// A file renamed inside the tree: the article stays, only its path changes. Then `to` is queued, and
    /// `from` too when the rename could not be applied.
    case rename(from: String, to: String)
    /// A directory removed from the tree: every path below it leaves the index.
    case removeTree(String)
    /// A directory renamed inside the tree: every path below `from` moves below `to`.
    case renameTree(from: String, to: String)
    /// A file still on disk that the filter no longer accepts (after a reload): it leaves the index unread.
    case exclude(String)
}

/// A temporary fault the writer is waiting out: the index is busy or its disk is full.
public struct WriterFault: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case diskFull = "disk full"
        case busy = "database busy"
    }

    public var kind: Kind
    /// What the database said.
    public var message: String
    /// When the fault began (seconds since 1970).
    public var since: Double
    /// Attempts that failed so far.
    public var attempts: Int

    public var description: String { "\(kind.rawValue) (\(message)); retrying, \(attempts) attempts so far" }
}

/// What the writer has done since it started.
public struct WriterTally: Sendable {
    public var indexed = 0
    public var replaced = 0
    public var duplicates = 0
    /// Files whose content the index already had (a trusted stamp, the same hash, or a new stamp recorded).
    public var unchanged = 0
    public var removed = 0
    public var failed = 0
    /// Bytes of the articles stored.
    public var bytes: Int64 = 0
    /// Failures with their reasons, and paths that vanished before they were read (kept only when the
    /// writer was asked to: `marsad ingest` reports them; a daemon would grow without bound).
    public var failures: [(path: String, reason: String)] = []
    public var vanished: [String] = []

    /// Paths whose prepared result the writer has applied, whatever it was.
    public var handled = 0

    /// Articles committed (indexed, replaced or duplicate).
    public var committed: Int { indexed + replaced + duplicates }
    /// Paths the writer has finished with.
    public var files: Int { committed + unchanged + removed + failed }
}

/// Told what the writer does, for metrics (the daemon's `<db>.metrics.prom`). Every method has a default that
/// does nothing; they are called on the writer's actor, so they must be quick.
public protocol WriterObserver: Sendable {
    /// A transaction of `articles` articles committed in `duration`.
    func committed(articles: Int, duration: Duration)
    /// An article stored (indexed, replaced or duplicate), `waited` after its path was first queued (the
    /// drop-to-searchable latency; nil when the path did not come through the queue).
    func stored(_ outcome: StoreOutcome, waited: Duration?)
    /// A file recorded as failed, with its ``PreparationFailure/kind``.
    func failed(kind: String)
    /// A path renamed, or removed, in the index.
    func renamed()
    func removed()
}

extension WriterObserver {
    public func committed(articles: Int, duration: Duration) {}
    public func stored(_ outcome: StoreOutcome, waited: Duration?) {}
    public func failed(kind: String) {}
    public func renamed() {}
    public func removed() {}
}

/// The single writer: every change to the index — stored articles, failures, renames, removals, directory
/// moves, consume-mode moves — is applied here, in batches, in the order it arrived.
///
/// Consecutive articles go to the index in one transaction (`store` of a batch); a batch closes when nothing
/// more is waiting or it reaches the size limit, so one dropped file is committed at once and a burst of
/// thousands is committed a few hundred at a time. Only after a path's result is committed is the path handed
/// back to the queue, so a newer event for it is always applied after the older one.
///
/// A temporary fault (the database busy past its timeout, the disk full) is not a bad file: the writer holds
/// the batch, reports the fault (``fault``, a warning with `event=index_degraded`), retries with backoff up to
/// every 5 s, and goes on by itself when the fault passes (`event=index_recovered`). Only an error that is not
/// temporary fails a file, and then only that file: a batch that fails is stored again one by one.
public actor IndexWriter {
    public struct Options: Sendable {
        public var batchSize: Int
        /// Consume mode's folders, or nil in mirror mode.
        public var consume: ConsumeMode?
        /// Keep the paths and reasons of failures and vanished files in ``tally`` (`marsad ingest`).
        public var keepsFailures: Bool
        /// Log level of the line for each stored file (`marsad ingest` logs them at debug).
        public var storedLogLevel: Logger.Level
        /// How long a stopping writer keeps retrying a temporary fault before it gives the batch up (its files
        /// are not in the ledger, so the next start finds them again).
        public var shutdownGrace: Duration
        /// Wait for a full batch before committing (until closed): `marsad ingest`, which has a known set of
        /// files and no one waiting for the first. The daemon commits what is there at once instead, so one
        /// dropped file is searchable in milliseconds. (Committing the workers' chunks as they came made
        /// `marsad ingest` of 2,000 files cost 12% more instructions, most of them in SQLite.)
        public var fillsBatches: Bool

        public init(batchSize: Int = 256, consume: ConsumeMode? = nil, keepsFailures: Bool = false,
                    storedLogLevel: Logger.Level = .info, shutdownGrace: Duration = .seconds(10),
                    fillsBatches: Bool = false) {
            self.batchSize = max(1, batchSize)
            self.consume = consume
            self.keepsFailures = keepsFailures
            self.storedLogLevel = storedLogLevel
            self.shutdownGrace = shutdownGrace
            self.fillsBatches = fillsBatches
        }
    }

    private let store: any ArticleWriting & ArticleReading
    private let queue: WorkQueue
    private let logger: Logger
    private let options: Options
    private let observer: (any WriterObserver)?
    /// The stored articles of the batch being applied and their outcomes, reported once its paths are finished.
    private var storedInBatch: [(path: String, outcome: StoreOutcome)] = []

    private var buffer: [IndexChange] = []
    /// Callers of ``submitAndWait(_:)``, by the position of their change in the stream of changes.
    private var applyWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    /// Changes submitted so far, and applied so far (positions in that stream).
    private var submitted = 0
    private var applied = 0
    private var waitingForWork: CheckedContinuation<Bool, Never>?
    private var waitingForRoom: [CheckedContinuation<Void, Never>] = []
    private var closedAt: ContinuousClock.Instant?
    private var recent: [ContinuousClock.Instant] = []

    /// What the writer has done so far.
    public private(set) var tally = WriterTally()
    /// The temporary fault being waited out, if any.
    public private(set) var fault: WriterFault?

    /// Waits between attempts while a fault lasts: 0.1 s, doubling, at most 5 s.
    static let firstRetryDelay = Duration.milliseconds(100)
    static let longestRetryDelay = Duration.seconds(5)

    public init(store: any ArticleStore, queue: WorkQueue, options: Options = Options(),
                observer: (any WriterObserver)? = nil, logger: Logger = Logger(label: "marsad.writer")) {
        self.store = store
        self.queue = queue
        self.options = options
        self.observer = observer
        self.logger = logger
    }

    /// Changes waiting to be applied.
    public var backlog: Int { buffer.count }

    /// Files handled per second over the last ten seconds.
    public func rate() -> Double {
        let cutoff = ContinuousClock.now - .seconds(10)
        recent.removeAll { $0 < cutoff }
        return Double(recent.count) / 10
    }

    /// Hands changes to the writer; waits while the writer is far behind (bounded memory).
    public func submit(_ changes: [IndexChange]) async {
        while buffer.count >= options.batchSize * 2 && closedAt == nil {
            await withCheckedContinuation { waitingForRoom.append($0) }
        }
        buffer.append(contentsOf: changes)
        submitted += changes.count
        if let waiter = waitingForWork {
            waitingForWork = nil
            waiter.resume(returning: true)
        }
    }

    public func submit(_ change: IndexChange) async {
        await submit([change])
    }

    /// Hands one change to the writer and returns once it is applied (behind what was submitted before it):
    /// a directory renamed, then reconciled under its new name, must not be read again file by file.
    public func submitAndWait(_ change: IndexChange) async {
        await submit([change])
        let position = submitted
        guard applied < position, closedAt == nil else { return }
        await withCheckedContinuation { applyWaiters[position] = $0 }
    }

    /// Hands what a worker prepared to the writer.
    public func submit(_ prepared: [Preparation]) async {
        await submit(prepared.map(IndexChange.prepared))
    }

    /// No more submissions: ``run()`` applies what is buffered and returns.
    public func close() {
        if closedAt == nil { closedAt = .now }
        for waiter in applyWaiters.values { waiter.resume() }
        applyWaiters.removeAll()
        waitingForWork?.resume(returning: false)
        waitingForWork = nil
        for waiter in waitingForRoom { waiter.resume() }
        waitingForRoom.removeAll()
    }

    private func take() async -> [IndexChange]? {
        while buffer.isEmpty || (options.fillsBatches && buffer.count < options.batchSize && closedAt == nil) {
            if closedAt != nil && buffer.isEmpty { return nil }
            let more = await withCheckedContinuation { waitingForWork = $0 }
            if !more && buffer.isEmpty { return nil }
        }
        let batch = Array(buffer.prefix(options.batchSize))
        buffer.removeFirst(batch.count)
        for waiter in waitingForRoom { waiter.resume() }
        waitingForRoom.removeAll()
        return batch
    }

    /// Applies batches until closed and drained.
    public func run() async {
        while let batch = await take() {
            await apply(batch)
        }
    }

    // MARK: Applying a batch

    private func apply(_ batch: [IndexChange]) async {
        let start = ContinuousClock.now
        var documents: [IndexDocument] = []
        var finished: [String] = []
        for change in batch {
            if case .prepared(let item) = change {
                finished.append(item.path)
                tally.handled += 1
                if case .document(let doc) = item {
                    // A file deleted while it was parsed must not come back as a ghost row.
                    if ArticleFile.stamp(doc.path) != nil {
                        documents.append(doc)
                        continue
                    }
                    await flush(&documents, started: start)
                    await applyOne(.prepared(.missing(doc.path)))
                    continue
                }
                if case .unchanged = item {
                    tally.unchanged += 1
                    continue
                }
            }
            await flush(&documents, started: start)
            await applyOne(change)
        }
        await flush(&documents, started: start)
        let waits = await queue.finished(finished)
        if let observer {
            for (path, outcome) in storedInBatch { observer.stored(outcome, waited: waits[PathKey(path)]) }
        }
        storedInBatch.removeAll(keepingCapacity: true)
        applied += batch.count
        if !applyWaiters.isEmpty {
            for (position, waiter) in applyWaiters where position <= applied {
                applyWaiters[position] = nil
                waiter.resume()
            }
        }
    }

    private func flush(_ documents: inout [IndexDocument], started: ContinuousClock.Instant) async {
        guard !documents.isEmpty else { return }
        let batch = documents
        documents.removeAll(keepingCapacity: true)
        let outcomes: [StoreOutcome]
        do {
            let began = ContinuousClock.now
            guard let stored = try await perform("store \(batch.count) articles", { try await $0.store(batch) }) else {
                return
            }
            observer?.committed(articles: batch.count, duration: .now - began)
            outcomes = stored
        } catch {
            // One bad row sinks a transaction: store one by one so the others land.
            for doc in batch {
                do {
                    guard let outcome = try await perform("store \(doc.path)", { try await $0.store([doc]) })?.first
                    else { continue }
                    await report(outcome, doc, started: started)
                } catch {
                    await failed(PreparationFailure(path: doc.path, stamp: doc.stamp, sha: doc.article.contentSHA256,
                                                    reason: "could not store: \(error)", record: true, kind: "store"))
                }
            }
            return
        }
        for (doc, outcome) in zip(batch, outcomes) { await report(outcome, doc, started: started) }
    }

    private func report(_ outcome: StoreOutcome, _ doc: IndexDocument, started: ContinuousClock.Instant) async {
        switch outcome {
        case .indexed: tally.indexed += 1
        case .replaced: tally.replaced += 1
        case .duplicate: tally.duplicates += 1
        case .unchanged: tally.unchanged += 1
        }
        if case .unchanged = outcome {} else {
            tally.bytes += doc.stamp.byteSize
            recent.append(.now)
            if observer != nil { storedInBatch.append((doc.path, outcome)) }
        }
        // A burst logs thousands of these: build the line only when it will be written.
        let level: Logger.Level = if case .unchanged = outcome { .debug } else { options.storedLogLevel }
        if logger.logLevel <= level { log(outcome, doc, level: level, started: started) }
        if let consume = options.consume, let target = consume.archive(doc.path, logger: logger) {
            // The ledger follows the file, so the watcher's removal event for the inbox path changes nothing.
            await attempt("follow \(doc.path) to \(target)") { try await $0.rename(from: doc.path, to: target) }
        }
    }

    private func log(_ outcome: StoreOutcome, _ doc: IndexDocument, level: Logger.Level,
                     started: ContinuousClock.Instant) {
        let ms = Int((ContinuousClock.now - started) / .milliseconds(1))
        let size = String(format: "%.1f KB", Double(doc.stamp.byteSize) / 1000)
        let title = doc.article.title.count > 60 ? doc.article.title.prefix(60) + "…" : doc.article.title
        let shown = FileName.displayed(doc.path)
        var metadata: Logger.Metadata = ["article_path": "\(shown)", "content_sha256": "\(doc.article.contentSHA256)",
                                         "duration_ms": "\(ms)"]
        switch outcome {
        case .indexed(let id), .replaced(let id):
            metadata["article_id"] = "\(id)"
            let verb = if case .indexed = outcome { "indexed" } else { "replaced" }
            metadata["event"] = "\(verb)"
            logger.log(level: level, "\(verb) \(shown) (#\(id), \(size), \(ms) ms) «\(title)»", metadata: metadata)
        case .duplicate(let id):
            metadata["article_id"] = "\(id)"
            metadata["event"] = "duplicate"
            logger.log(level: level, "duplicate \(shown) of #\(id)", metadata: metadata)
        case .unchanged(let id):
            metadata["article_id"] = "\(id)"
            metadata["event"] = "unchanged"
            logger.debug("unchanged \(shown) (#\(id))", metadata: metadata)
        }
    }

    private func applyOne(_ change: IndexChange) async {
        switch change {
        case .prepared(.document), .prepared(.unchanged):
            break
        case .prepared(.restamped(let path, let stamp)):
            if await attempt("record the new stamp of \(path)", { try await $0.restamp(path: path, stamp: stamp) }) {
                tally.unchanged += 1
                logger.debug("unchanged \(FileName.displayed(path)) (new stamp recorded)",
                             metadata: ["article_path": "\(FileName.displayed(path))", "event": "unchanged"])
            }
        case .prepared(.missing(let path)):
            if options.keepsFailures { tally.vanished.append(path) }
            await remove(path)
        case .prepared(.failed(let failure)):
            if failure.record {
                await failed(failure)
            } else {
                // No longer a regular file (a FIFO, a directory): not an article any more. `marsad ingest`,
                // which was given it, reports it.
                if options.keepsFailures { tally.failures.append((failure.path, failure.reason)) }
                await remove(failure.path)
            }
        case .rename(let from, let to):
            let done = await attempt("rename \(from) → \(to)") { try await $0.rename(from: from, to: to) }
            if done {
                observer?.renamed()
                logger.info("renamed \(FileName.displayed(from)) → \(FileName.displayed(to))",
                            metadata: ["article_path": "\(FileName.displayed(to))",
                                       "old_path": "\(FileName.displayed(from))", "event": "renamed"])
            } else {
                await queue.enqueue(from)
            }
            await queue.enqueue(to)
        case .removeTree(let path):
            if await attempt("remove \(path)", { try await $0.removeAll(under: path) }) {
                observer?.removed()
                logger.info("removed everything under \(FileName.displayed(path))",
                            metadata: ["article_path": "\(FileName.displayed(path))", "event": "removed"])
            }
        case .renameTree(let from, let to):
            if await attempt("rename \(from) → \(to)", { try await $0.renameAll(under: from, to: to) }) {
                observer?.renamed()
                logger.info("renamed \(FileName.displayed(from)) → \(FileName.displayed(to))",
                            metadata: ["article_path": "\(FileName.displayed(to))",
                                       "old_path": "\(FileName.displayed(from))", "event": "renamed"])
            }
        case .exclude(let path):
            if await attempt("remove \(path)", { try await $0.remove(path: path) }) {
                tally.removed += 1
                observer?.removed()
                logger.info("removed \(FileName.displayed(path)) (no longer accepted by the filter)",
                            metadata: ["article_path": "\(FileName.displayed(path))", "event": "removed"])
            }
        }
    }

    private func remove(_ path: String) async {
        guard (try? await store.fileRecord(path: path)) != nil else { return }
        if await attempt("remove \(path)", { try await $0.remove(path: path) }) {
            tally.removed += 1
            observer?.removed()
            recent.append(.now)
            logger.info("removed \(FileName.displayed(path))",
                        metadata: ["article_path": "\(FileName.displayed(path))", "event": "removed"])
        }
    }

    private func failed(_ failure: PreparationFailure) async {
        let shown = FileName.displayed(failure.path)
        logger.warning("failed \(shown): \(failure.reason)",
                       metadata: ["article_path": "\(shown)", "error": "\(failure.reason)", "event": "failed"])
        tally.failed += 1
        observer?.failed(kind: failure.kind)
        recent.append(.now)
        if options.keepsFailures { tally.failures.append((failure.path, failure.reason)) }
        await attempt("record the failure of \(failure.path)") {
            try await $0.recordFailure(path: failure.path, stamp: failure.stamp, contentSHA256: failure.sha,
                                       reason: failure.reason)
        }
        if let consume = options.consume, consume.reject(failure.path, reason: failure.reason, logger: logger) != nil {
            await attempt("forget \(failure.path)") { try await $0.remove(path: failure.path) }
        }
    }

    // MARK: Temporary faults

    /// Runs `body`, logging an error that is not temporary; true when it succeeded.
    @discardableResult
    private func attempt(_ what: String, _ body: @Sendable (any ArticleWriting) async throws -> Void) async -> Bool {
        do {
            return try await perform(what, body) != nil
        } catch {
            logger.error("could not \(FileName.displayed(what)): \(error)", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Runs `body` until it succeeds or fails with an error that is not temporary (thrown). While the index is
    /// busy or its disk full, waits and tries again, reporting the fault. Nil when the writer is stopping and
    /// the fault outlasted ``Options/shutdownGrace``: the change is given up (never recorded as a failure).
    private func perform<T: Sendable>(_ what: String, _ body: @Sendable (any ArticleWriting) async throws -> T)
        async throws -> T?
    {
        var delay = Self.firstRetryDelay
        while true {
            do {
                let result = try await body(store)
                if let fault {
                    self.fault = nil
                    logger.notice("the index accepts writes again after \(fault.attempts) failed attempts (\(fault.kind.rawValue))",
                                  metadata: ["event": "index_recovered"])
                }
                return result
            } catch let error as IndexError where error.isTemporary {
                let kind: WriterFault.Kind = if case .diskFull = error { .diskFull } else { .busy }
                let message: String = switch error {
                case .diskFull(let m), .busy(let m): m
                default: "\(error)"
                }
                if var current = fault {
                    current.attempts += 1
                    current.kind = kind
                    current.message = message
                    fault = current
                } else {
                    fault = WriterFault(kind: kind, message: message, since: Date().timeIntervalSince1970, attempts: 1)
                    logger.warning("cannot write to the index (\(kind.rawValue): \(message)); holding \(buffer.count + 1) changes and retrying until it can",
                                   metadata: ["event": "index_degraded", "error": "\(message)"])
                }
                if let closedAt, ContinuousClock.now - closedAt > options.shutdownGrace {
                    logger.error("stopping with the index still unwritable (\(kind.rawValue)): could not \(FileName.displayed(what)); the next start finds these files again",
                                 metadata: ["event": "index_degraded", "error": "\(message)"])
                    return nil
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, Self.longestRetryDelay)
            }
        }
    }
}
