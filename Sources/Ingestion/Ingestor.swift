public import ArticleIndex
public import Logging
import Articles
import Crypto
import Foundation

/// A file that could not be ingested, and why.
public struct IngestFailure: Sendable, Codable, Hashable {
    public var path: String
    public var reason: String
}

/// What one `ingest` did.
public struct IngestReport: Sendable, Codable, Hashable {
    public var indexed = 0
    public var replaced = 0
    public var unchanged = 0
    public var duplicates = 0
    public var failures: [IngestFailure] = []
    public var bytes: Int64 = 0
    public var seconds: Double = 0

    public var failed: Int { failures.count }
    public var files: Int { indexed + replaced + unchanged + duplicates + failures.count }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case indexed, replaced, unchanged, duplicates, failures, bytes, seconds
    }

    /// Adds the counts and failures of `other` (its bytes and seconds are not added).
    mutating func add(_ other: IngestReport) {
        indexed += other.indexed
        replaced += other.replaced
        unchanged += other.unchanged
        duplicates += other.duplicates
        failures += other.failures
    }

    mutating func count(_ outcome: StoreOutcome) {
        switch outcome {
        case .indexed: indexed += 1
        case .replaced: replaced += 1
        case .unchanged: unchanged += 1
        case .duplicate: duplicates += 1
        }
    }
}

/// Settings for ``Ingestor``.
public struct IngestOptions: Sendable {
    public var filter: FileFilter
    public var sizeLimit: Int64
    /// Files read, parsed and analyzed at once.
    public var workers: Int
    /// Articles committed per transaction.
    public var batchSize: Int

    public init(filter: FileFilter = FileFilter(), sizeLimit: Int64 = ArticleFile.defaultSizeLimit,
                workers: Int? = nil, batchSize: Int = 256) {
        self.filter = filter
        self.sizeLimit = sizeLimit
        self.workers = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        self.batchSize = max(1, batchSize)
    }
}

/// Ingests files and folders once: reads, parses and analyzes them on several tasks, and commits the results in
/// batches through the store's single writer.
///
/// A bad file never stops the batch: it is recorded in the ledger with its reason and reported, and whatever the
/// index held for it stays.
public struct Ingestor: Sendable {
    public let store: any ArticleStore
    public let options: IngestOptions
    public let logger: Logger

    public init(store: any ArticleStore, options: IngestOptions = IngestOptions(),
                logger: Logger = Logger(label: "marsad.ingest")) {
        self.store = store
        self.options = options
        self.logger = logger
    }

    /// Expands the arguments: folders are walked (recursively, article extensions only); files are taken as
    /// given, whatever their extension. Arguments that do not exist are failures.
    public func expand(_ paths: [String]) -> (files: [String], failures: [IngestFailure]) {
        let walker = DirectoryWalker(filter: options.filter)
        var files: [String] = []
        var failures: [IngestFailure] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                failures.append(IngestFailure(path: path, reason: "no such file or directory"))
            } else if isDirectory.boolValue {
                let walk = walker.files(under: path)
                files += walk.files
                failures += walk.unreadable.map { IngestFailure(path: $0.path, reason: "cannot list: \($0.reason)") }
            } else {
                files.append(path)
            }
        }
        return (files, failures)
    }

    /// Ingests `paths` (files and folders). `progress` is called with (done, total) as files are committed.
    public func ingest(_ paths: [String], progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async
        -> IngestReport
    {
        let start = ContinuousClock.now
        let (files, expandFailures) = expand(paths)
        var report = IngestReport()
        report.failures = expandFailures
        for failure in expandFailures { logger.warning("failed \(failure.path): \(failure.reason)") }

        // A full batch is committed on its own task while the workers parse the next one. One commit at a
        // time: a full batch waits for the previous commit, and the workers with it, so when the writer falls
        // behind memory holds two batches, not a backlog that grows with the number of files.
        var written = IngestReport()
        var committing: Task<IngestReport, Never>?
        func hand(_ full: [IndexDocument]) async {
            if let previous = committing { written.add(await previous.value) }
            committing = Task { [self] in
                var batch = full
                var report = IngestReport()
                await commit(&batch, into: &report)
                return report
            }
        }
        var batch: [IndexDocument] = []
        var done = 0
        let preparer = ArticlePreparer(store: store, sizeLimit: options.sizeLimit)
        await withTaskGroup(of: Preparation.self) { group in
            var next = 0
            // Ledger rows are read for 256 paths at a time, not one read (and two thread hops) per file: half
            // the system time of an ingest of 20,000 files.
            var records: [String: FileRecord] = [:]
            var recordsEnd = 0
            func addTask() async {
                guard next < files.count else { return }
                if next >= recordsEnd {
                    recordsEnd = min(files.count, next + 256)
                    records = (try? await store.fileRecords(paths: Array(files[next..<recordsEnd]))) ?? [:]
                }
                let path = files[next]
                let record = records[path]
                next += 1
                group.addTask { preparer.prepare(path, record: record, trustStamps: false) }
            }
            for _ in 0..<min(options.workers * 4, files.count) { await addTask() }
            while let prepared = await group.next() {
                await addTask()
                switch prepared {
                case .document(let doc):
                    report.bytes += doc.stamp.byteSize
                    batch.append(doc)
                    if batch.count >= options.batchSize {
                        await hand(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                case .unchanged:
                    report.unchanged += 1
                case .missing(let path):
                    report.failures.append(IngestFailure(path: path, reason: "no such file (it vanished)"))
                case .failed(let failure):
                    await fail(path: failure.path, stamp: failure.stamp, sha: failure.sha, reason: failure.reason,
                               record: failure.record, into: &report)
                }
                done += 1
                if done % 64 == 0 { progress(done, files.count) }
            }
        }
        if !batch.isEmpty { await hand(batch) }
        if let last = committing { written.add(await last.value) }
        report.add(written)
        progress(files.count, files.count)
        let elapsed = ContinuousClock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }

    func commit(_ batch: inout [IndexDocument], into report: inout IngestReport) async {
        guard !batch.isEmpty else { return }
        defer { batch.removeAll(keepingCapacity: true) }
        do {
            let outcomes = try await store.store(batch)
            for (doc, outcome) in zip(batch, outcomes) {
                report.count(outcome)
                log(outcome, doc)
            }
        } catch {
            // The whole transaction rolled back: store one by one so one bad row cannot sink the others.
            for doc in batch {
                do {
                    let outcome = try await store.store([doc])[0]
                    report.count(outcome)
                    log(outcome, doc)
                } catch {
                    await fail(path: doc.path, stamp: doc.stamp, sha: doc.article.contentSHA256,
                               reason: "could not store: \(error)", record: true, into: &report)
                }
            }
        }
    }

    func fail(path: String, stamp: FileStamp?, sha: String?, reason: String, record: Bool,
              into report: inout IngestReport) async {
        report.failures.append(IngestFailure(path: path, reason: reason))
        logger.warning("failed \(path): \(reason)")
        if record {
            try? await store.recordFailure(path: path, stamp: stamp, contentSHA256: sha, reason: reason)
        }
    }

    func log(_ outcome: StoreOutcome, _ doc: IndexDocument) {
        switch outcome {
        case .indexed(let id): logger.debug("indexed \(doc.path) (#\(id)) «\(doc.article.title)»")
        case .replaced(let id): logger.debug("replaced \(doc.path) (#\(id))")
        case .unchanged: logger.trace("unchanged \(doc.path)")
        case .duplicate(let id): logger.debug("duplicate \(doc.path) of #\(id)")
        }
    }
}
