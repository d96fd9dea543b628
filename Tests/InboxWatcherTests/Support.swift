import Foundation
import Logging
import Synchronization
import Testing

@testable import InboxWatcher

/// Everything a watcher delivered so far, in order.
final class EventLog: Sendable {
    private let state = Mutex<(events: [InboxEvent], batches: Int, ended: Bool)>(([], 0, false))

    func append(_ batch: [InboxEvent]) {
        state.withLock {
            $0.events += batch
            $0.batches += 1
        }
    }

    func end() {
        state.withLock { $0.ended = true }
    }

    var events: [InboxEvent] { state.withLock { $0.events } }
    var ended: Bool { state.withLock { $0.ended } }
}

/// A watcher on a fresh temporary folder, with a task collecting its events.
///
/// The folder is `<base>/inbox` (the root) next to `<base>/outside` (somewhere to move things from and to).
final class Harness: Sendable {
    let base: String
    let root: String
    let outside: String
    let watcher: InboxWatcher
    let log = EventLog()
    private let pump: Task<Void, Never>

    init(
        options: WatcherOptions = WatcherOptions(),
        prepare: (_ root: String) throws -> Void = { _ in }
    ) throws {
        base = try makeTemporaryDirectory()
        root = base + "/inbox"
        outside = base + "/outside"
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try prepare(root)
            var logger = Logger(label: "marsad.watcher.test")
            logger.logLevel = .critical
            watcher = try InboxWatcher(root: root, ignore: InboxWatcher.isTemporaryName, logger: logger,
                                       options: options)
        } catch {
            try? FileManager.default.removeItem(atPath: base)
            throw error
        }
        let stream = watcher.events()
        let log = self.log
        pump = Task {
            for await batch in stream { log.append(batch) }
            log.end()
        }
    }

    /// `root/relative`.
    func path(_ relative: String) -> String {
        root + "/" + relative
    }

    /// Waits until `condition` holds for the events so far; false after `timeout`.
    func wait(
        timeout: Duration = .seconds(5), until condition: ([InboxEvent]) -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(log.events) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(log.events)
    }

    /// Waits until `event` has been delivered.
    func wait(for event: InboxEvent, timeout: Duration = .seconds(5)) async -> Bool {
        await wait(timeout: timeout) { $0.contains(event) }
    }

    /// Events delivered after the first `count`.
    func events(after count: Int) -> [InboxEvent] {
        Array(log.events.dropFirst(count))
    }

    /// Stops the watcher, waits for its stream to end (the reader thread has closed everything by then), and
    /// removes the folder.
    func finish() async {
        watcher.stop()
        _ = await wait(timeout: .seconds(5)) { _ in self.log.ended }
        #expect(log.ended, "the event stream did not end after stop()")
        pump.cancel()
        _ = try? run("/bin/rm", "-rf", base)
    }
}

/// Runs `body` with a fresh harness, and always finishes it.
func withHarness(
    options: WatcherOptions = WatcherOptions(),
    prepare: (_ root: String) throws -> Void = { _ in },
    _ body: (Harness) async throws -> Void
) async throws {
    let harness = try Harness(options: options, prepare: prepare)
    do {
        try await body(harness)
    } catch {
        await harness.finish()
        throw error
    }
    await harness.finish()
}

func makeTemporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.path + "/marsad-watcher-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs a program to completion; its exit status.
@discardableResult
func run(_ executable: String, _ arguments: String...) throws -> Int32 {
    let process = try start(executable, arguments)
    process.waitUntilExit()
    return process.terminationStatus
}

/// Runs a shell script to completion; fails the test when it fails.
func sh(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let status = try run("/bin/sh", "-c", script)
    #expect(status == 0, "sh -c \(script) exited with \(status)", sourceLocation: sourceLocation)
}

/// Starts a program without waiting for it.
func start(_ executable: String, _ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    return process
}

/// Writes a file the way a program does: create, write, close.
func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// Every regular file below `directory` (what a consumer's scan would find), as paths.
func scan(_ directory: String) -> Set<String> {
    var found: Set<String> = []
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return found }
    while let relative = enumerator.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory),
            !isDirectory.boolValue
        {
            found.insert(directory + "/" + relative)
        }
    }
    return found
}

func shellQuote(_ path: String) -> String {
    "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

extension InboxEvent {
    /// Every path the event mentions.
    var paths: [String] {
        switch self {
        case .fileWritten(let path), .fileMovedIn(let path), .fileRemoved(let path), .fileChanged(let path),
            .directoryAppeared(let path),
            .directoryRemoved(let path), .rootVanished(let path), .rootReturned(let path):
            [path]
        case .fileRenamed(let from, let to), .directoryRenamed(let from, let to):
            [from, to]
        case .degraded(let path, _):
            [path]
        case .overflow:
            []
        }
    }

    var isOverflow: Bool {
        if case .overflow = self { return true }
        return false
    }

    var isDegraded: Bool {
        if case .degraded = self { return true }
        return false
    }
}
