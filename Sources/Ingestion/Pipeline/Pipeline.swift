public import ArticleIndex
public import Logging
import Synchronization

/// The one ingest pipeline: a ``WorkQueue`` of paths, N ``Worker``s (read, hash, parse, analyze, compress,
/// under a time limit per file and with retries of temporary read errors), and one ``IndexWriter`` that applies
/// every change to the index.
///
/// The daemon feeds its queue from the watcher and the ``Reconciler``; `marsad ingest` (``Ingestor``) from a
/// directory walk. Nothing else writes to the index.
///
/// ```swift
/// let pipeline = Pipeline(store: index, options: .init(workers: 2))
/// async let done: Void = pipeline.run()
/// await pipeline.queue.enqueue(paths)
/// await pipeline.close(draining: true)   // hand out what is queued, then stop
/// await done                              // everything applied
/// ```
public final class Pipeline: Sendable {
    public struct Options: Sendable {
        /// Files read, parsed and analyzed at once.
        public var workers: Int
        /// Most changes applied in one transaction.
        public var batchSize: Int
        /// Larger files fail without being read.
        public var sizeLimit: Int64
        /// A file whose parse takes longer fails with this reason, and the rest go on.
        public var parseTimeout: Duration
        /// Take a file as unchanged, unread, when the ledger has its stamp (the daemon); otherwise read and
        /// hash every file (`marsad ingest`).
        public var trustStamps: Bool
        public var writer: IndexWriter.Options

        public init(workers: Int = 2, batchSize: Int = 256, sizeLimit: Int64 = ArticleFile.defaultSizeLimit,
                    parseTimeout: Duration = .seconds(30), trustStamps: Bool = true,
                    writer: IndexWriter.Options? = nil) {
            self.workers = max(1, workers)
            self.batchSize = max(1, batchSize)
            self.sizeLimit = sizeLimit
            self.parseTimeout = parseTimeout
            self.trustStamps = trustStamps
            self.writer = writer ?? IndexWriter.Options(batchSize: batchSize)
            self.writer.batchSize = self.batchSize
        }
    }

    public let queue: WorkQueue
    public let writer: IndexWriter
    let worker: Worker
    /// Workers numbered 1…target should run; 1…running do. Atomics, not locks: the workers read the target
    /// once per chunk.
    private let target: Atomic<Int>
    private let running = Atomic<Int>(0)
    private let scale = AsyncStream<Void>.makeStream()

    /// Most paths a worker takes from the queue at once (see ``Worker``).
    public static let chunkLimit = 16

    public init(store: any ArticleStore, options: Options, observer: (any WriterObserver)? = nil,
                logger: Logger = Logger(label: "marsad.pipeline")) {
        queue = WorkQueue()
        writer = IndexWriter(store: store, queue: queue, options: options.writer, observer: observer, logger: logger)
        worker = Worker(preparer: ArticlePreparer(store: store, sizeLimit: options.sizeLimit), store: store,
                        timeout: options.parseTimeout, trustStamps: options.trustStamps)
        target = Atomic(options.workers)
    }

    /// Runs the workers and the writer until ``close(draining:)``, and returns once the writer has applied
    /// everything the workers prepared.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.writer.run() }
            await runWorkers()
            await writer.close()
        }
    }

    /// Changes the number of workers: more start at once, extra ones leave after their current chunk.
    public func setWorkers(_ count: Int) {
        target.store(max(1, count), ordering: .relaxed)
        scale.continuation.yield()
    }

    /// Stops handing out work. With `draining`, what is queued is prepared first; without, it is dropped (a
    /// daemon's next start finds it again). ``run()`` then returns once the writer is done.
    public func close(draining: Bool) async {
        await queue.close(draining: draining)
        scale.continuation.finish()
    }

    private func runWorkers() async {
        await withDiscardingTaskGroup { group in
            func spawnUpToTarget() {
                let wanted = target.load(ordering: .relaxed)
                let first = running.load(ordering: .relaxed) + 1
                guard first <= wanted else { return }
                running.store(wanted, ordering: .relaxed)
                for id in first...wanted {
                    group.addTask {
                        while self.target.load(ordering: .relaxed) >= id,
                              let paths = await self.queue.next(upTo: Self.chunkLimit) {
                            await self.writer.submit(await self.worker.prepare(paths))
                        }
                        self.running.min(id - 1, ordering: .relaxed)
                    }
                }
            }
            spawnUpToTarget()
            for await _ in scale.stream { spawnUpToTarget() }
        }
    }
}
