import ArticleIndex
public import Daemon
import Foundation
public import Ingestion
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit

/// `marsad run` inside the test process: a real `MarsadDaemon` on a real inbox and index, run as a service
/// with swift-service-lifecycle's test kit, so a test can shut it down gracefully when it chooses and see
/// that `run()` returns.
///
/// ```swift
/// try await InProcessDaemon.run(inbox: dir + "/inbox", database: dir + "/m.db") { daemon in
///     try sh("cp seed.txt \(daemon.inbox)/a.txt")
///     #expect(try await daemon.waitUntilDone([daemon.inbox + "/a.txt"]))
/// }   // graceful shutdown here; run() has returned and the index is closed
/// ```
public struct InProcessDaemon: Sendable {
    /// The inbox as the daemon records it (its real path).
    public let inbox: String
    public let database: String

    /// Starts a daemon, waits until it watches, runs `body`, then shuts the daemon down gracefully and waits
    /// for `run()` to return. A daemon that fails to start throws its start error.
    public static func run<T: Sendable>(inbox: String, database: String,
                                        configure: @Sendable (inout DaemonConfiguration) -> Void = { _ in },
                                        _ body: @Sendable (InProcessDaemon) async throws -> T) async throws -> T {
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        var configuration = DaemonConfiguration(inbox: inbox)
        configuration.reconcileInterval = 0
        configure(&configuration)
        var logger = Logger(label: "marsad.test")
        logger.logLevel = .warning
        let daemon = MarsadDaemon(configuration: configuration, databasePath: database, logger: logger)
        let real = URL(fileURLWithPath: inbox).resolvingSymlinksInPath().path
        let handle = InProcessDaemon(inbox: real, database: database)
        return try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await daemon.run()
                    return nil
                }
                let result: T
                do {
                    try await handle.waitUntilWatching()
                    result = try await body(handle)
                } catch {
                    trigger.triggerGracefulShutdown()
                    while try await group.next() != nil {}
                    throw error
                }
                trigger.triggerGracefulShutdown()
                while try await group.next() != nil {}
                return result
            }
        }
    }

    /// Why a harness step gave up.
    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    /// Waits for the daemon's status file to say it watches (or polls).
    public func waitUntilWatching(timeout: Duration = .seconds(60)) async throws {
        // The status file itself: `DaemonStatus.read` asks who holds the daemon's fcntl lock, and a process
        // is never told of its own locks.
        let watching = await eventually(timeout: timeout) {
            guard let data = FileManager.default.contents(atPath: DaemonStatus.path(database: database)),
                  let status = try? JSONDecoder().decode(DaemonStatus.self, from: data) else { return false }
            return status.pid == getpid() && (status.state == "watching" || status.state == "polling")
        }
        if !watching { throw Timeout(description: "the daemon did not start watching \(inbox)") }
    }

    /// Waits until every path is done (searchable, failed, gone or skipped: see `FileProgress`); returns
    /// each path's progress.
    public func waitUntilDone(_ paths: [String], timeout: Duration = .seconds(20)) async throws -> [FileProgress] {
        let reader = try IndexBackend.open(database, mode: .readOnly)
        defer { try? reader.close() }
        var progress: [FileProgress] = []
        let done = try await eventually(timeout: timeout) {
            progress = []
            for path in paths { progress.append(try await FileProgress.of(path, in: reader)) }
            return progress.allSatisfy(\.isDone)
        }
        if !done { throw Timeout(description: "not done in time: \(zip(paths, progress).filter { !$0.1.isDone }.map(\.0))") }
        return progress
    }
}
