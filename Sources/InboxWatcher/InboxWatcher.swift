public import Logging
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches a directory tree with inotify and reports, in order, what changed in it.
///
/// It is a class whose mutable state lives on one dedicated reader thread (the inotify descriptor is read with
/// blocking `poll`/`read`, which must never run on Swift's cooperative pool); what other threads may look at
/// (the watch count) sits behind a `Mutex`. Events reach the consumer through ``events()``, an `AsyncStream`
/// of batches, one per `read()` of the descriptor.
///
/// The contract with the consumer:
/// - ``InboxEvent/directoryAppeared(_:)`` arrives only after the new directory and everything below it are
///   watched. Files created there before the watch existed produced no event: the consumer must scan the
///   directory. Files created after it did may also produce events; the consumer's work queue absorbs the
///   repeats.
/// - ``InboxEvent/overflow`` means events were lost: the consumer reconciles the whole tree. The watcher has
///   re-walked the tree and added any missing watch by then.
/// - ``InboxEvent/degraded(path:reason:)`` means a subtree is not (reliably) watched: the consumer polls it.
/// - A move whose other half is outside the tree becomes a removal or an arrival, decided within about 20 ms.
public final class InboxWatcher: Sendable {
    /// The root as given, without a trailing slash.
    public let root: String
    let ignore: @Sendable (String) -> Bool
    let logger: Logger
    let inotify: Int32
    /// A pipe: writing to `wakeWrite` wakes the reader thread's `poll` so it can stop.
    let wake: Int32
    let wakeWrite: Int32
    let table = Mutex(WatchTable())
    let stopped = Atomic<Bool>(false)
    let stream: AsyncStream<[InboxEvent]>
    let continuation: AsyncStream<[InboxEvent]>.Continuation

    /// Why the watcher could not start.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Starts watching `root` recursively.
    ///
    /// - Parameters:
    ///   - ignore: given a file name, whether its events are dropped (temporary names by default). Hidden
    ///     directories are never watched.
    ///   - startReading: false only in tests that need the kernel queue to overflow before the first read;
    ///     call ``startReading()`` then.
    public init(root: String, ignore: @escaping @Sendable (String) -> Bool = InboxWatcher.isTemporaryName,
                logger: Logger = Logger(label: "marsad.watcher"), startReading: Bool = true) throws(Error) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.ignore = ignore
        self.logger = logger
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: self.root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Error(description: "\(root) is not a directory")
        }
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else {
            throw Error(description: "inotify_init failed: \(String(cString: strerror(errno)))"
                        + (errno == EMFILE ? " (too many inotify instances: raise fs.inotify.max_user_instances)" : ""))
        }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            close(inotify)
            throw Error(description: "pipe failed: \(String(cString: strerror(errno)))")
        }
        wake = pipeFDs[0]
        wakeWrite = pipeFDs[1]
        for fd in pipeFDs {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        (stream, continuation) = AsyncStream<[InboxEvent]>.makeStream()
        var initial: [InboxEvent] = []
        var reader = Reader(watcher: self)
        reader.watchTree("", into: &initial)
        if !initial.isEmpty { continuation.yield(initial) }
        if startReading { self.startReading(reader) }
        else { pendingReader.withLock { $0 = reader } }
    }

    let pendingReader = Mutex<Reader?>(nil)

    /// Starts the reader thread of a watcher made with `startReading: false`.
    public func startReading() {
        if let reader = pendingReader.withLock({ r -> Reader? in defer { r = nil }; return r }) {
            startReading(reader)
        }
    }

    private func startReading(_ reader: Reader) {
        let box = ReaderBox(reader)
        let thread = Thread { box.run() }
        thread.name = "marsad-inotify"
        thread.start()
    }

    /// The batches of events. Call once; the stream finishes after ``stop()``.
    public func events() -> AsyncStream<[InboxEvent]> { stream }

    /// Stops watching: the reader thread ends promptly and the stream finishes. Safe to call more than once.
    public func stop() {
        guard stopped.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
        if pendingReader.withLock({ $0 != nil }) { finish() }
    }

    func finish() {
        continuation.finish()
        close(inotify)
        close(wake)
        close(wakeWrite)
    }

    /// How many directories are watched now.
    public var watchedDirectoryCount: Int { table.withLock { $0.count } }

    /// Dotfiles (rsync's `.name.XXXXXX`), `*.tmp`, `*.part`, `*.swp`, `*~`, `.#*` and `*.crdownload`.
    public static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
            || name.hasSuffix(".swp") || name.hasSuffix(".crdownload")
    }

    func absolute(_ relative: String) -> String {
        relative.isEmpty ? root : root + "/" + relative
    }
}

/// Moves the reader (not Sendable: it is only ever used on its own thread) into the thread's closure.
final class ReaderBox: @unchecked Sendable {
    var reader: InboxWatcher.Reader
    init(_ reader: InboxWatcher.Reader) { self.reader = reader }
    func run() { reader.run() }
}
