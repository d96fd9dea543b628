public import ArticleIndex
import FilePaths
import Foundation
import InboxWatcher
import Ingestion
public import Logging
public import ServiceLifecycle
import UnixSignals

/// `marsad run`: watches the inbox and keeps the index exactly in step with it, until SIGTERM or SIGINT.
///
/// The parts:
/// - ``InboxWatcher`` reports what changed (inotify, recursive);
/// - `Reconciler` (Ingestion) compares the tree with the ledger, at start-up, after lost events and on a timer;
/// - `Pipeline` (Ingestion): the work queue, the workers and the single writer that applies every change;
/// - `DaemonState` holds the phase, the live configuration and the degraded folders.
///
/// Each part runs as a `Service` in one `ServiceGroup`, in this order: the pipeline, the start-up reconcile,
/// the watcher's event pump, the timers, the reload handler. The group shuts them down in reverse order, so on
/// SIGTERM events and timers stop first, then the queue closes, in-flight files finish, the writer commits its
/// last batch, and only then is the index closed. Run the daemon itself in a `ServiceGroup`, which turns
/// SIGTERM into that graceful shutdown.
public final class MarsadDaemon: Service {
    let initial: DaemonConfiguration
    let databasePath: String
    let configurationFile: String?
    let overrides: @Sendable (inout DaemonConfiguration) -> Void
    let logger: Logger
    let observer: any DaemonObserver
    let onLogLevel: @Sendable (Logger.Level) -> Void
    let openStore: @Sendable (String, Logger) throws -> any ArticleStore

    /// - Parameters:
    ///   - configuration: the settings (the file's, with the command line's flags applied).
    ///   - configurationFile: re-read on SIGHUP; `overrides` re-applies the command line's flags over it.
    ///   - onLogLevel: called with the log level at start and after each reload.
    ///   - openStore: opens the index for writing (by default the SQLite backend, unmapped: the daemon does not
    ///     search).
    public init(configuration: DaemonConfiguration, databasePath: String, configurationFile: String? = nil,
                overrides: @escaping @Sendable (inout DaemonConfiguration) -> Void = { _ in },
                observer: any DaemonObserver = NoObserver(),
                onLogLevel: @escaping @Sendable (Logger.Level) -> Void = { _ in },
                logger: Logger = Logger(label: "marsad"),
                openStore: (@Sendable (String, Logger) throws -> any ArticleStore)? = nil) {
        self.initial = configuration
        self.databasePath = databasePath
        self.configurationFile = configurationFile
        self.overrides = overrides
        self.observer = observer
        self.onLogLevel = onLogLevel
        self.logger = logger
        self.openStore = openStore ?? { path, logger in
            try IndexBackend.open(path, mode: .readWrite, mapsFile: false, logger: logger)
        }
    }

    /// Why the daemon could not start.
    public enum StartError: Error, Sendable, CustomStringConvertible {
        case locked(String)
        case index(IndexError)
        case inbox(path: String, reason: String)
        case watch(path: String, reason: String)

        public var description: String {
            switch self {
            case .locked(let message): message
            case .index(let error): error.description
            case .inbox(let path, let reason): path.isEmpty ? reason : "the inbox \(path): \(reason)"
            case .watch(let path, let reason): "cannot watch \(path): \(reason)"
            }
        }
    }

    public func run() async throws {
        onLogLevel(initial.logLevel)
        let lock: InstanceLock
        do { lock = try InstanceLock(database: databasePath) } catch { throw StartError.locked(error.description) }
        DaemonStatus.removeStale(database: databasePath)
        let store: any ArticleStore
        do { store = try openStore(databasePath, logger) } catch let error as IndexError {
            throw StartError.index(error)
        }
        do {
            if try await store.needsReindex() {
                logger.notice("the index was built with another analyzer: rebuilding it", metadata: ["event": "reindex"])
                let log = logger
                try await store.reindex(batchSize: 500) { done, total in log.info("reindexed \(done)/\(total) articles") }
            }
            let root = try Self.prepareInbox(initial.inbox)
            let run = try DaemonRun(daemon: self, store: store, root: root)
            try await run.start()
        } catch {
            do { try store.close() } catch { logger.error("closing the index: \(error)") }
            throw error
        }
        do { try store.close() } catch { logger.error("closing the index: \(error)") }
        DaemonStatus.removeStale(database: databasePath)
        withExtendedLifetime(lock) {}
    }

    /// The inbox as an absolute path without symlinks, created when missing.
    static func prepareInbox(_ inbox: String) throws(StartError) -> String {
        guard !inbox.isEmpty else {
            throw .inbox(path: "", reason: "no inbox: pass --inbox DIR or set inbox in the configuration")
        }
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: inbox, isDirectory: &isDirectory) {
            do { try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true) } catch {
                throw .inbox(path: inbox, reason: "cannot create it: \(error.localizedDescription)")
            }
        } else if !isDirectory.boolValue {
            throw .inbox(path: inbox, reason: "is not a directory")
        }
        guard let resolved = realpath(inbox, nil) else {
            throw .inbox(path: inbox, reason: "cannot resolve it: \(String(cString: strerror(errno)))")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// One run of the daemon: its parts, and the services that drive them.
final class DaemonRun: Sendable {
    let daemon: MarsadDaemon
    let store: any ArticleStore
    let root: String
    let pipeline: Pipeline
    let state: DaemonState
    let watcher: InboxWatcher?
    let filter: LiveFilter
    let metrics = DaemonMetrics()
    let startedAt = Date().timeIntervalSince1970
    var logger: Logger { daemon.logger }

    init(daemon: MarsadDaemon, store: any ArticleStore, root: String) throws(MarsadDaemon.StartError) {
        let config = daemon.initial
        self.daemon = daemon
        self.store = store
        self.root = root
        let consume = config.mode == .consume
            ? ConsumeMode(inbox: root, archive: config.effectiveArchiveDirectory, failed: config.effectiveFailedDirectory)
            : nil
        pipeline = Pipeline(store: store, options: Pipeline.Options(
            workers: config.effectiveWorkers, batchSize: config.batchSize, sizeLimit: config.maxFileSize,
            parseTimeout: .milliseconds(Int64(config.parseTimeout * 1000)), trustStamps: true,
            writer: IndexWriter.Options(consume: consume)), observer: metrics, logger: daemon.logger)
        let reconciler = Reconciler(store: store, queue: pipeline.queue, writer: pipeline.writer,
                                    walker: DirectoryWalker(filter: config.fileFilter))
        state = DaemonState(configuration: config, reconciler: reconciler)
        let filter = LiveFilter(config.fileFilter)
        self.filter = filter
        if config.forcePolling {
            watcher = nil
        } else {
            do {
                watcher = try InboxWatcher(root: root, ignore: { name in !filter.accepts(name) },
                                           logger: daemon.logger)
            } catch {
                throw .watch(path: root, reason: "\(error)")
            }
        }
    }

    func start() async throws {
        let config = daemon.initial
        logger.notice("watching \(root) (\(config.mode.rawValue) mode, \(config.effectiveWorkers) workers)",
                      metadata: ["event": "started", "inbox": "\(root)"])
        await state.enter(.reconciling)
        let ready = await snapshot()
        ready.write(database: daemon.databasePath)
        daemon.observer.daemonReady(ready)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: PipelineService(run: self)),
            .init(service: StartupService(run: self), successTerminationBehavior: .ignore),
        ]
        if let watcher { services.append(.init(service: EventPump(run: self, watcher: watcher))) }
        services.append(.init(service: TimerService(run: self)))
        services.append(.init(service: ReloadService(run: self)))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
        // The outer group's graceful shutdown (SIGTERM) becomes this group's, which stops the services in
        // reverse order: the reload handler, the timers, the event pump, then the pipeline, which drains.
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                do { try await gracefulShutdown() } catch { return }  // cancelled: the group ended first
                await self.state.enter(.stopping)
                self.logger.notice("stopping", metadata: ["event": "stopping"])
                self.daemon.observer.daemonStopping()
                await group.triggerGracefulShutdown()
            }
            try await group.run()
            tasks.cancelAll()
        }
        logger.notice("stopped", metadata: ["event": "stopped"])
    }

    // MARK: Events

    func handle(_ event: InboxEvent) async {
        let queue = pipeline.queue
        switch event {
        case .fileWritten(let path), .fileMovedIn(let path), .fileRemoved(let path), .fileChanged(let path):
            await queue.enqueue(path)
        case .fileRenamed(let from, let to):
            let fromBusy = await queue.isBusy(from)
            let toBusy = await queue.isBusy(to)
            if fromBusy || toBusy {
                await queue.enqueue([from, to])
            } else {
                await pipeline.writer.submit(.rename(from: from, to: to))
            }
        case .directoryAppeared(let path):
            await reconcile(path, why: .newDirectory)
        case .directoryRemoved(let path):
            await pipeline.writer.submit(.removeTree(path))
        case .directoryRenamed(let from, let to):
            await pipeline.writer.submitAndWait(.renameTree(from: from, to: to))
            await reconcile(to, why: .renamedDirectory)
        case .overflow:
            metrics.overflowed()
            logger.warning("the inotify queue overflowed and events were lost: rescanning \(root)",
                           metadata: ["event": "overflow"])
            await reconcile(root, why: .overflow)
        case .degraded(let path, let reason):
            await state.markDegraded(path, reason: reason)
            let interval = Int(await state.configuration.pollInterval)
            logger.warning("polling \(FileName.displayed(path)) every \(interval) s: \(reason)",
                           metadata: ["article_path": "\(FileName.displayed(path))", "event": "degraded",
                                      "error": "\(reason)"])
        case .rootVanished(let path):
            logger.error("the inbox \(path) vanished; waiting for it to come back (the index is kept)",
                         metadata: ["event": "inbox_vanished"])
        case .rootReturned(let path):
            logger.notice("the inbox \(path) is back: rescanning", metadata: ["event": "inbox_returned"])
            await reconcile(root, why: .inboxReturned)
        }
    }

    func reconcile(_ directory: String, why: ReconcileReason) async {
        metrics.reconciled(why)
        do {
            let report = try await state.reconciler.reconcile(directory)
            let level: Logger.Level = (report.foundNothing && why.isRoutine) || why == .newDirectory ? .debug : .info
            logger.log(level: level, "reconciled \(FileName.displayed(directory)) (\(why.rawValue)): \(report)",
                       metadata: ["event": "reconciled", "duration_ms": "\(Int(report.seconds * 1000))"])
        } catch {
            logger.error("could not reconcile \(FileName.displayed(directory)): \(error)")
        }
    }

    /// Articles made by an older parser are parsed again from their files, in the background: their paths join
    /// the queue behind whatever is waiting; `marsad status` shows the count going down (`stale_articles`).
    func reparseStale() async {
        guard let stale = try? await store.stalePaths(limit: 100_000), !stale.isEmpty else { return }
        logger.notice("re-parsing \(stale.count) articles made by an older parser", metadata: ["event": "reindex"])
        await pipeline.queue.enqueue(stale)
    }

    func snapshot() async -> DaemonStatus {
        let config = await state.configuration
        let tally = await pipeline.writer.tally
        let fault = await pipeline.writer.fault
        return DaemonStatus(
            pid: getpid(), inbox: root, mode: config.mode.rawValue, state: await state.phase.rawValue,
            startedAt: startedAt, updatedAt: Date().timeIntervalSince1970, queueDepth: await pipeline.queue.depth,
            articles: (try? await store.articleCount()) ?? 0,
            indexedSinceStart: tally.committed, failedSinceStart: tally.failed,
            ingestRate: await pipeline.writer.rate(), watchedDirectories: watcher?.watchedDirectoryCount ?? 0,
            degraded: await state.degradedFolders,
            indexDegraded: fault.map { "\($0.kind.rawValue): \($0.message)" })
    }

    // MARK: Reload

    func reload() async {
        daemon.observer.daemonReloading()
        var next = await state.configuration
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
        await state.reloaded(next)
        filter.replace(with: next.fileFilter)
        pipeline.setWorkers(next.effectiveWorkers)
        daemon.onLogLevel(next.logLevel)
        logger.notice("reloaded the configuration (\(next.effectiveWorkers) workers, log level \(next.logLevel))",
                      metadata: ["event": "reload"])
        // Include, exclude or extensions may have changed: the tree the index mirrors with them.
        await reconcile(root, why: .reload)
        daemon.observer.daemonReloaded(await snapshot())
    }
}
