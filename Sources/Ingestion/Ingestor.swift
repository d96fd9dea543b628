public import ArticleIndex
public import Logging
import FilePaths
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

    /// The report of what the pipeline's writer did.
    mutating func add(_ tally: WriterTally) {
        indexed += tally.indexed
        replaced += tally.replaced
        unchanged += tally.unchanged
        duplicates += tally.duplicates
        bytes += tally.bytes
        failures += tally.failures.map { IngestFailure(path: $0.path, reason: $0.reason) }
        failures += tally.vanished.map { IngestFailure(path: $0, reason: "no such file (it vanished)") }
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
    /// A file whose parse takes longer fails, and the rest go on.
    public var parseTimeout: Duration

    public init(filter: FileFilter = FileFilter(), sizeLimit: Int64 = ArticleFile.defaultSizeLimit,
                workers: Int? = nil, batchSize: Int = 256, parseTimeout: Duration = .seconds(30)) {
        self.filter = filter
        self.sizeLimit = sizeLimit
        self.workers = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        self.batchSize = max(1, batchSize)
        self.parseTimeout = parseTimeout
    }
}

/// Ingests files and folders once, through the same ``Pipeline`` as the daemon: the files of a directory walk
/// go to its queue, its workers read, parse and analyze them under the time limit, and its writer commits the
/// results in batches.
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
        for failure in expandFailures { logger.warning("failed \(FileName.displayed(failure.path)): \(failure.reason)") }

        let pipeline = Pipeline(store: store, options: Pipeline.Options(
            workers: options.workers, batchSize: options.batchSize, sizeLimit: options.sizeLimit,
            parseTimeout: options.parseTimeout, trustStamps: false,
            writer: IndexWriter.Options(keepsFailures: true, storedLogLevel: .debug, fillsBatches: true)), logger: logger)
        await withDiscardingTaskGroup { group in
            // Progress, four times a second, until the pipeline is done.
            group.addTask {
                while !Task.isCancelled {
                    progress(min(await pipeline.writer.tally.handled, files.count), files.count)
                    do { try await Task.sleep(for: .milliseconds(250)) } catch { return }
                }
            }
            group.addTask {
                await pipeline.queue.enqueue(files)
                await pipeline.close(draining: true)
            }
            await pipeline.run()
            group.cancelAll()
        }
        report.add(await pipeline.writer.tally)
        progress(files.count, files.count)
        let elapsed = ContinuousClock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }
}
