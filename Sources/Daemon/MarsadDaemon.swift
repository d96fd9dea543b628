public import Logging
public import ServiceLifecycle
import ArticleIndex
import Foundation
import InboxWatcher
import Ingestion
import Synchronization
import UnixSignals

/// `marsad run`: watches the inbox and keeps the index exactly in step with it, until SIGTERM or SIGINT.
///
/// The parts, each in its own file:
/// - ``InboxWatcher`` reports what changed (inotify, recursive);
/// - ``Reconciler`` compares the tree with the ledger, at start-up, after lost events and on a timer;
/// - ``WorkQueue`` holds the paths to look at, each at most once, one worker per path at a time;
/// - workers (``Worker``) read, parse and analyze, many at once, under a time limit per file;
/// - ``BatchWriter``, the single writer, commits their results in batches.
///
/// Run it inside a `ServiceGroup` (swift-service-lifecycle), which turns SIGTERM into a graceful shutdown:
/// events stop, in-flight files finish, the last batch commits, and `run()` returns.
public final class MarsadDaemon: Service {
    /// Settings that SIGHUP can change while the daemon runs.
    let live: Mutex<DaemonConfiguration>
    let databasePath: String
    let configurationFile: String?
    let overrides: @Sendable (inout DaemonConfiguration) -> Void
    let logger: Logger
    let observer: any DaemonObserver
    let onLogLevel: @Sendable (Logger.Level) -> Void

    /// - Parameters:
    ///   - configuration: the settings (the file's, with the command line's flags applied).
    ///   - configurationFile: re-read on SIGHUP; `overrides` re-applies the command line's flags over it.
    ///   - onLogLevel: called with the log level at start and after each reload.
    public init(configuration: DaemonConfiguration, databasePath: String, configurationFile: String? = nil,
                overrides: @escaping @Sendable (inout DaemonConfiguration) -> Void = { _ in },
                observer: any DaemonObserver = NoObserver(),
                onLogLevel: @escaping @Sendable (Logger.Level) -> Void = { _ in },
                logger: Logger = Logger(label: "marsad")) {
        self.live = Mutex(configuration)
        self.databasePath = databasePath
        self.configurationFile = configurationFile
        self.overrides = overrides
        self.observer = observer
        self.onLogLevel = onLogLevel
        self.logger = logger
    }

    /// Why the daemon could not start.
    public struct StartError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public func run() async throws {
        let config = live.withLock { $0 }
        onLogLevel(config.logLevel)
        let lock: InstanceLock
        do { lock = try InstanceLock(database: databasePath) } catch { throw StartError(description: error.description) }
        DaemonStatus.removeStale(database: databasePath)
        let index: ArticleIndex
        do { index = try ArticleIndex(path: databasePath, mapsFile: false, logger: logger) } catch {
            throw StartError(description: error.description)
        }
        if try await index.needsReindex() {
            logger.notice("the index was built with another analyzer: rebuilding it", metadata: ["event": "reindex"])
            let log = logger
            try await index.reindex { done, total in log.info("reindexed \(done)/\(total) articles") }
        }
        let root = try Self.prepareInbox(config.inbox)
        let run = Run(daemon: self, index: index, root: root, config: config)
        try await run.start()
        do { try index.close() } catch { logger.error("closing the index: \(error)") }
        DaemonStatus.removeStale(database: databasePath)
        withExtendedLifetime(lock) {}
    }

    /// The inbox as an absolute path without symlinks, created when missing.
    static func prepareInbox(_ inbox: String) throws -> String {
        guard !inbox.isEmpty else { throw StartError(description: "no inbox: pass --inbox DIR or set inbox in the configuration") }
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: inbox, isDirectory: &isDirectory) {
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        } else if !isDirectory.boolValue {
            throw StartError(description: "the inbox \(inbox) is not a directory")
        }
        guard let resolved = realpath(inbox, nil) else {
            throw StartError(description: "cannot resolve the inbox \(inbox): \(String(cString: strerror(errno)))")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The current settings (after reloads).
    public var configuration: DaemonConfiguration { live.withLock { $0 } }
}

/// The state of one run of the daemon.
final class Run: Sendable {
    let daemon: MarsadDaemon
    let index: ArticleIndex
    let root: String
    let queue = WorkQueue()
    let stats = DaemonStats()
    let writer: BatchWriter
    let reconciler: Mutex<Reconciler>
    let filter: Mutex<FileFilter>
    let watcher: Mutex<InboxWatcher?> = Mutex(nil)
    let state = Mutex("starting")
    let stopping = Mutex(false)
    let degraded: Mutex<[String: String]> = Mutex([:])
    let workerTarget: Mutex<Int>
    /// Workers numbered 1…this are running.
    let runningWorkers = Mutex(0)
    let startedAt = Date().timeIntervalSince1970
    /// Reloads that change the worker count send here.
    let scale = AsyncStream<Void>.makeStream()
    var logger: Logger { daemon.logger }

    init(daemon: MarsadDaemon, index: ArticleIndex, root: String, config: DaemonConfiguration) {
        self.daemon = daemon
        self.index = index
        self.root = root
        let consume = config.mode == .consume
            ? ConsumeMode(inbox: root, archive: config.effectiveArchiveDirectory, failed: config.effectiveFailedDirectory)
            : nil
        writer = BatchWriter(store: index, queue: queue, stats: stats, batchSize: config.batchSize, consume: consume,
                             logger: daemon.logger)
        filter = Mutex(config.fileFilter)
        reconciler = Mutex(Reconciler(store: index, queue: queue, walker: DirectoryWalker(filter: config.fileFilter)))
        workerTarget = Mutex(config.effectiveWorkers)
    }

    func start() async throws {
        let config = daemon.configuration
        if !config.forcePolling {
            do {
                let w = try InboxWatcher(root: root, ignore: { [self] name in !self.filter.withLock { $0.accepts(name) } },
                                         logger: logger)
                watcher.withLock { $0 = w }
            } catch {
                throw MarsadDaemon.StartError(description: "cannot watch \(root): \(error)")
            }
        }
        logger.notice("watching \(root) (\(config.mode.rawValue) mode, \(config.effectiveWorkers) workers)",
                      metadata: ["event": "started", "inbox": "\(root)"])
        setState("reconciling")
        let ready = await snapshot()
        ready.write(database: daemon.databasePath)
        daemon.observer.daemonReady(ready)

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.writer.run() }
                group.addTask { await self.runWorkers() }
                group.addTask {
                    await self.reconcile(self.root, why: "start-up")
                    self.setState(config.forcePolling ? "polling" : "watching")
                    await self.snapshot().write(database: self.daemon.databasePath)
                    await self.reparseStale()
                }
                if let watcher = self.watcher.withLock({ $0 }) {
                    group.addTask { await self.consume(watcher.events()) }
                }
                group.addTask { await self.timers() }
                group.addTask { await self.reloads() }
                // Everything above ends once shutdown begins; the writer ends after the workers.
            }
        } onGracefulShutdown: {
            self.stop()
        }
        logger.notice("stopped", metadata: ["event": "stopped"])
    }

    /// Begins the graceful shutdown: no more events, no more work handed out.
    func stop() {
        stopping.withLock { $0 = true }
        state.withLock { $0 = "stopping" }
        daemon.observer.daemonStopping()
        logger.notice("stopping", metadata: ["event": "stopping"])
        watcher.withLock { $0?.stop() }
        scale.continuation.finish()
        Task {
            await queue.close()
        }
    }

    var isStopping: Bool { stopping.withLock { $0 } }

    /// Sets the state shown in status, unless the daemon is stopping.
    func setState(_ value: String) {
        if !isStopping { state.withLock { $0 = value } }
    }

    // MARK: Workers

    /// Most paths a worker takes from the queue at once (see ``Worker``).
    static let chunkLimit = 16

    /// Runs the workers until the queue closes, then closes the writer. A reload that raises the worker count
    /// spawns more; one that lowers it lets the highest-numbered workers leave after their current file.
    func runWorkers() async {
        let config = daemon.configuration
        let worker = Worker(preparer: ArticlePreparer(store: index, sizeLimit: config.maxFileSize),
                            store: index, timeout: .seconds(config.parseTimeout))
        await withDiscardingTaskGroup { group in
            func spawnUpToTarget() {
                let target = workerTarget.withLock { $0 }
                let first = runningWorkers.withLock { n -> Int in defer { n = max(n, target) }; return n + 1 }
                guard first <= target else { return }
                for id in first...target {
                    group.addTask {
                        while self.workerTarget.withLock({ $0 }) >= id,
                              let paths = await self.queue.next(upTo: Self.chunkLimit) {
                            await self.writer.submit(await worker.prepare(paths))
                        }
                        self.runningWorkers.withLock { $0 = min($0, id - 1) }
                    }
                }
            }
            spawnUpToTarget()
            for await _ in scale.stream { spawnUpToTarget() }
        }
        await writer.close()
    }

    // MARK: Events

    func consume(_ events: AsyncStream<[InboxEvent]>) async {
        for await batch in events {
            for event in batch { await handle(event) }
        }
    }

    func handle(_ event: InboxEvent) async {
        switch event {
        case .fileWritten(let path), .fileMovedIn(let path), .fileRemoved(let path):
            await queue.enqueue(path)
        case .fileRenamed(let from, let to):
            let fromBusy = await queue.isBusy(from)
            let toBusy = await queue.isBusy(to)
            if fromBusy || toBusy {
                await queue.enqueue([from, to])
            } else {
                do {
                    try await index.rename(from: from, to: to)
                    logger.info("renamed \(from) → \(to)", metadata: ["article_path": "\(to)", "old_path": "\(from)",
                                                                     "event": "renamed"])
                } catch {
                    logger.error("could not rename \(from) → \(to): \(error)")
                    await queue.enqueue(from)
                }
                await queue.enqueue(to)
            }
        case .directoryAppeared(let path):
            await reconcile(path, why: "new directory")
        case .directoryRemoved(let path):
            do {
                try await index.removeAll(under: path)
                logger.info("removed everything under \(path)", metadata: ["article_path": "\(path)", "event": "removed"])
            } catch {
                logger.error("could not remove \(path): \(error)")
            }
        case .directoryRenamed(let from, let to):
            do {
                try await index.renameAll(under: from, to: to)
                logger.info("renamed \(from) → \(to)", metadata: ["article_path": "\(to)", "old_path": "\(from)",
                                                                 "event": "renamed"])
            } catch {
                logger.error("could not rename \(from) → \(to): \(error)")
            }
            await reconcile(to, why: "renamed directory")
        case .overflow:
            logger.warning("the inotify queue overflowed and events were lost: rescanning \(root)",
                           metadata: ["event": "overflow"])
            await reconcile(root, why: "overflow")
        case .degraded(let path, let reason):
            degraded.withLock { $0[path] = reason }
            logger.warning("polling \(path) every \(Int(daemon.configuration.pollInterval)) s: \(reason)",
                           metadata: ["article_path": "\(path)", "event": "degraded", "error": "\(reason)"])
        case .rootVanished(let path):
            logger.error("the inbox \(path) vanished; waiting for it to come back (the index is kept)",
                         metadata: ["event": "inbox_vanished"])
        case .rootReturned(let path):
            logger.notice("the inbox \(path) is back: rescanning", metadata: ["event": "inbox_returned"])
            await reconcile(root, why: "inbox returned")
        }
    }

    func reconcile(_ directory: String, why: String) async {
        do {
            let report = try await reconciler.withLock { $0 }.reconcile(directory)
            let quiet = report.queued + report.vanished + report.renamed == 0 && (why == "poll" || why == "timer")
            let level: Logger.Level = quiet || why == "new directory" ? .debug : .info
            logger.log(level: level, "reconciled \(directory) (\(why)): \(report)",
                       metadata: ["event": "reconciled", "duration_ms": "\(Int(report.seconds * 1000))"])
        } catch {
            logger.error("could not reconcile \(directory): \(error)")
        }
    }

    /// Articles made by an older parser are parsed again from their files, in the background: their paths join
    /// the queue behind whatever is waiting; `marsad status` shows the count going down (`stale_articles`).
    func reparseStale() async {
        guard let stale = try? await index.stalePaths(), !stale.isEmpty else { return }
        logger.notice("re-parsing \(stale.count) articles made by an older parser", metadata: ["event": "reindex"])
        await queue.enqueue(stale)
    }

    // MARK: Timers

    func timers() async {
        var lastReconcile = ContinuousClock.now
        var lastPoll = ContinuousClock.now
        var lastCommitCount = 0
        var lastProgress = ContinuousClock.now
        var published: DaemonStatus?
        var publishedAt = ContinuousClock.now
        while !isStopping {
            do { try await Task.sleep(for: .milliseconds(250)) } catch { return }
            let now = ContinuousClock.now
            let live = daemon.configuration
            if live.reconcileInterval > 0, now - lastReconcile >= .seconds(live.reconcileInterval) {
                lastReconcile = now
                await reconcile(root, why: "timer")
            }
            if now - lastPoll >= .seconds(live.pollInterval) {
                lastPoll = now
                let polled = live.forcePolling ? [root] : Array(degraded.withLock { $0.keys })
                for path in polled { await reconcile(path, why: "poll") }
            }
            // Health: work waiting and nothing committed for longer than a file may take means a stuck pipeline.
            let depth = await queue.depth
            let committed = await stats.indexed + stats.failures
            if committed != lastCommitCount || depth == 0 {
                lastCommitCount = committed
                lastProgress = now
            }
            let healthy = now - lastProgress < .seconds(live.parseTimeout * 2 + 10)
            // Publish (status file, article count) when something moved, else every 5 s: an idle daemon stays quiet.
            let stateNow = state.withLock { $0 }
            let moved = published.map {
                $0.queueDepth != depth || $0.indexedSinceStart + $0.failedSinceStart != committed || $0.state != stateNow
            } ?? true
            if moved || now - publishedAt >= .seconds(5) {
                let snapshot = await snapshot()
                snapshot.write(database: daemon.databasePath)
                published = snapshot
                publishedAt = now
            }
            if let published { daemon.observer.daemonTick(published, healthy: healthy) }
        }
    }

    func snapshot() async -> DaemonStatus {
        let config = daemon.configuration
        return DaemonStatus(
            pid: getpid(), inbox: root, mode: config.mode.rawValue, state: state.withLock { $0 },
            startedAt: startedAt, updatedAt: Date().timeIntervalSince1970, queueDepth: await queue.depth,
            articles: (try? await index.articleCount()) ?? 0,
            indexedSinceStart: await stats.indexed, failedSinceStart: await stats.failures,
            ingestRate: await stats.rate(), watchedDirectories: watcher.withLock { $0?.watchedDirectoryCount ?? 0 },
            degraded: degraded.withLock { $0.map { "\($0.key): \($0.value)" }.sorted() })
    }

    // MARK: Reload

    func reloads() async {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                if self.isStopping { return }
                self.reload()
            }
        }
    }

    func reload() {
        daemon.observer.daemonReloading()
        var next = daemon.configuration
        if let file = daemon.configurationFile {
            do {
                var loaded = try DaemonConfiguration.load(file: file)
                daemon.overrides(&loaded)
                // What a reload may change; the rest needs a restart.
                next.include = loaded.include
                next.exclude = loaded.exclude
                next.extensions = loaded.extensions
                next.logLevel = loaded.logLevel
                next.workers = loaded.workers
                next.reconcileInterval = loaded.reconcileInterval
                next.pollInterval = loaded.pollInterval
            } catch {
                logger.error("reload failed, keeping the current configuration: \(error)", metadata: ["event": "reload"])
            }
        }
        daemon.live.withLock { $0 = next }
        filter.withLock { $0 = next.fileFilter }
        reconciler.withLock { $0 = Reconciler(store: index, queue: queue, walker: DirectoryWalker(filter: next.fileFilter)) }
        workerTarget.withLock { $0 = next.effectiveWorkers }
        scale.continuation.yield()
        daemon.onLogLevel(next.logLevel)
        logger.notice("reloaded the configuration (\(next.effectiveWorkers) workers, log level \(next.logLevel))",
                      metadata: ["event": "reload"])
        Task {
            // Include, exclude or extensions may have changed: the tree the index mirrors with them.
            await reconcile(root, why: "reload")
            daemon.observer.daemonReloaded(await snapshot())
        }
    }
}
