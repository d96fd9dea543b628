public import ArgumentParser
import ArticleIndex
import Daemon
import Foundation
import Logging
import ServiceLifecycle
import SystemdSupport

extension LogTarget: ExpressibleByArgument {}
extension MatchMode: ExpressibleByArgument {}
extension SearchOptions.LooseRanking: ExpressibleByArgument {}
extension Collapse: ExpressibleByArgument {}
extension ConsoleLogHandler.Format: ExpressibleByArgument {}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch an inbox and keep the index in step with it, until SIGTERM or SIGINT.",
        discussion: """
            Settings come from the TOML file given with --config (see deploy/marsad.toml for every key and its \
            default); flags given here win over the file. SIGHUP re-reads the file and applies include, exclude, \
            extensions, workers, log_level, poll_interval and reconcile_interval without dropping events.
            """)

    @Option(help: "The folder to watch (config: inbox).")
    var inbox: String?

    @Option(help: ArgumentHelp("The index file (config: db).", valueName: "path"))
    var db: String?

    @Option(help: "A TOML configuration file.")
    var config: String?

    @Option(help: "mirror (the index follows the folder) or consume (files move out once indexed).")
    var mode: String?

    @Option(help: "Consume mode: where indexed files go (default: <inbox>/../archive).")
    var archiveDir: String?

    @Option(help: "Consume mode: where failed files go, with a .reason file (default: <inbox>/../failed).")
    var failedDir: String?

    @Option(help: "Files parsed at once (default: the number of cores).")
    var workers: Int?

    @Option(help: "Extensions indexed, comma-separated (default: txt,md,json).")
    var extensions: String?

    @Option(help: "Seconds between scans of folders inotify cannot watch (default: 30).")
    var pollInterval: Double?

    @Flag(help: "Poll the whole inbox instead of using inotify.")
    var forcePolling = false

    @Option(help: "Seconds between full rescans of the inbox; 0 turns them off (default: 600).")
    var reconcileInterval: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default: info).")
    var logLevel: String?

    @Option(help: "Where logs go: auto (journald under systemd, else standard error), journald, console.")
    var logTarget: LogTarget = .auto

    @Option(help: "Console log format: text, or json (one object a line, for other collectors).")
    var logFormat: ConsoleLogHandler.Format = .text

    func validate() throws {
        if let mode, DaemonConfiguration.Mode(rawValue: mode) == nil {
            throw ValidationError("--mode must be mirror or consume")
        }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The command line's settings, applied over the file's (at start and after each reload).
    func apply(to c: inout DaemonConfiguration) {
        if let inbox { c.inbox = inbox }
        if let db { c.database = db }
        if let mode, let m = DaemonConfiguration.Mode(rawValue: mode) { c.mode = m }
        if let archiveDir { c.archiveDirectory = archiveDir }
        if let failedDir { c.failedDirectory = failedDir }
        if let workers { c.workers = workers }
        if let extensions { c.extensions = Set(extensions.split(separator: ",").map(String.init)) }
        if let pollInterval { c.pollInterval = pollInterval }
        if forcePolling { c.forcePolling = true }
        if let reconcileInterval { c.reconcileInterval = reconcileInterval }
        if let logLevel, let level = Logger.Level(rawValue: logLevel) { c.logLevel = level }
    }

    func run() async throws {
        var configuration = DaemonConfiguration()
        if let config {
            do { configuration = try DaemonConfiguration.load(file: config) } catch { throw CLIError(error.description) }
        }
        apply(to: &configuration)
        let database = IndexOptions.resolveDatabasePath(flag: configuration.database,
                                                        environment: ProcessInfo.processInfo.environment)
        LogLevelControl.shared.bootstrap(level: configuration.logLevel, target: logTarget, format: logFormat)
        let logger = Logger(label: "marsad")
        let flags = self
        let daemon = MarsadDaemon(
            configuration: configuration, databasePath: database, configurationFile: config,
            overrides: { flags.apply(to: &$0) }, observer: SystemdObserver(notifier: SystemdNotifier()),
            onLogLevel: { LogLevelControl.shared.level = $0 }, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: daemon)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as MarsadDaemon.StartError {
            throw CLIError(error.description)
        } catch let error as ServiceGroupError {
            throw CLIError("\(error)")
        }
    }
}
