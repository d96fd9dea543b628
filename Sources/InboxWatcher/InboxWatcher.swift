import FilePaths
public import Logging
import Synchronization

/// Watches a drop folder, and every folder below it, with Linux inotify, and reports what changed as
/// ``InboxEvent``s.
///
/// ```swift
/// let watcher = try InboxWatcher(root: "/srv/inbox")   // every directory is watched when this returns
/// let initial = scan("/srv/inbox")                      // so this scan misses nothing that comes later
/// for await batch in watcher.events() {
///     for event in batch { apply(event) }               // see InboxEvent for what each one asks of you
/// }
/// ```
///
/// ## The guarantee
///
/// The watcher is built so that a consumer who follows the contract on ``InboxEvent`` never misses a file:
///
/// - **Watch first, then announce.** A directory created or moved in is watched, with everything below it,
///   *before* ``InboxEvent/directoryAppeared(_:)`` is delivered. Files that were created in it before its watch
///   existed produced no event, but the consumer's scan (which runs after the event arrives, so after the
///   watch exists) finds them; files created after the watch produce events. Some files are therefore seen
///   twice, by the scan and by an event: the consumer dedupes (an unchanged file is a no-op to re-ingest).
/// - **Nothing dropped silently.** When the kernel's queue overflows, or the consumer falls more than 250,000
///   events behind, the consumer gets ``InboxEvent/overflow`` and reconciles the whole tree; the watcher has
///   re-watched every directory before delivering it. A subtree that cannot be watched (watch limit, network
///   filesystem, permissions) is reported as ``InboxEvent/degraded(path:reason:)`` for the consumer to poll.
/// - **Renames are renames.** `mv a b` inside the tree is one event, directories included (everything below a
///   renamed directory is reported under its new path from then on), and rsync's temp-file-then-rename is one
///   ``InboxEvent/fileMovedIn(_:)`` of the final name.
/// - **Mounts are noticed.** A filesystem mounted on (or unmounted from) a directory of the tree produces no
///   inotify event; the watcher polls the mount table too, and re-watches and announces such a directory
///   (see `MountTable`).
///
/// ## Threads
///
/// `InboxWatcher` is a `Sendable` final class rather than an actor: its work happens on one dedicated thread
/// that blocks in `poll(2)` (which must never happen on Swift concurrency's cooperative pool), and everything
/// that thread changes (the watch table, pending renames) is confined to it. What other threads can touch,
/// ``stop()``, ``watchedDirectoryCount`` and the event stream, is a flag, a counter and a locked queue, so
/// none of the API needs `await`. See `WatchEngine` for the state and `WatchEngine+Reading.swift` for the loop.
///
/// ## What it does not see
///
/// - Files are reported when their writer closes them (`IN_CLOSE_WRITE`), renames them into place, or hard-links
///   them. A file written through a descriptor that stays open, or linked into place from an `O_TMPFILE`, is
///   found only by a scan.
/// - Hidden directories (`.git`, `.Trash-0`) and symbolic links to directories are not watched or followed.
/// - File names that are not valid UTF-8 are reported with their bytes escaped (see `FileName` in FilePaths),
///   so the paths in events open the files they name.
/// - Changes made by other machines on network filesystems: those subtrees are ``InboxEvent/degraded(path:reason:)``.
/// - A subtree degraded by the watch limit stays unwatched (and polled by the consumer) until it is renamed,
///   an overflow re-walks the tree, or the watcher is restarted after the limit was raised.
public final class InboxWatcher: Sendable {
    /// The watched root, as given, without a trailing slash: the start of every path in every event.
    public let root: String

    private enum Phase {
        /// Set up, not reading yet (only with `WatcherOptions.startsReading == false`).
        case waiting(WatchEngine)
        case reading
        case stopped
    }

    private let shared: WatcherShared
    private let phase: Mutex<Phase>
    private let streamTaken = Atomic<Bool>(false)
    private let logger: Logger

    /// Starts watching `root` and the whole tree below it.
    ///
    /// When this returns, every directory of the tree is watched: a scan started now, and events from now on,
    /// together miss nothing.
    ///
    /// - Parameters:
    ///   - root: The drop folder. Paths in events start with it exactly as given (minus a trailing slash), so
    ///     pass an absolute path to get absolute paths.
    ///   - ignore: Given a file's *name* (its last path component), whether its events are dropped. The default,
    ///     ``isTemporaryName(_:)``, drops the temporary names of editors, downloaders and rsync. A rename from
    ///     an ignored name to an accepted one is reported as a file moved in, and the reverse as a removal.
    ///   - logger: Where warnings go: degraded subtrees, overflows, the root vanishing.
    /// - Throws: ``InboxWatcherError`` naming the path and the reason: the root does not exist or is not a
    ///   directory, cannot be watched, or the kernel refused an inotify instance.
    public convenience init(
        root: String,
        ignore: @escaping @Sendable (String) -> Bool = InboxWatcher.isTemporaryName,
        logger: Logger = Logger(label: "marsad.watcher")
    ) throws {
        try self.init(root: root, ignore: ignore, logger: logger, options: WatcherOptions())
    }

    /// The initializer with test seams (see ``WatcherOptions``).
    init(
        root: String, ignore: @escaping @Sendable (String) -> Bool, logger: Logger, options: WatcherOptions
    ) throws(InboxWatcherError) {
        let shared = WatcherShared(queue: BatchQueue(limit: options.queueLimit), wake: try WakeSignal())
        let engine: WatchEngine
        do {
            engine = try WatchEngine(root: root, ignore: ignore, logger: logger, options: options, shared: shared)
        } catch {
            shared.wake.close()
            throw error
        }
        self.root = engine.root
        self.shared = shared
        self.logger = logger
        self.phase = Mutex(.waiting(engine))
        if options.startsReading {
            try startReading()
        }
    }

    /// Starts the reader thread (the initializer does, unless a test asked it not to).
    func startReading() throws(InboxWatcherError) {
        let engine: WatchEngine? = phase.withLock { phase in
            guard case .waiting(let engine) = phase else { return nil }
            phase = .reading
            return engine
        }
        guard let engine else { return }
        do {
            try ReaderThread.start { engine.run() }
        } catch {
            phase.withLock { $0 = .stopped }
            engine.shutDownUnstarted()
            throw error
        }
    }

    /// The events, in batches, in the order the kernel reported them.
    ///
    /// A batch is what one `read(2)` of the inotify descriptor returned, after renames are paired (a rename
    /// split across two reads joins the later batch). Events that happened before the first call are kept, so
    /// there is no race between creating the watcher and asking for its events. Call this once: the stream has
    /// a single consumer, and a second call gets a stream that is already finished. The stream ends after
    /// ``stop()`` (after delivering what was already queued), once the reader thread has closed its
    /// descriptors. It also ends, without ``stop()``, if the kernel makes the inotify descriptor unusable
    /// (logged at error level; never seen in practice): a daemon treats an unexpected end as fatal and restarts.
    /// Cancelling the consuming task ends the stream but not the watcher: call ``stop()``.
    public func events() -> AsyncStream<[InboxEvent]> {
        guard !streamTaken.exchange(true, ordering: .acquiringAndReleasing) else {
            logger.error("InboxWatcher.events() called twice; the second stream is empty")
            return AsyncStream { $0.finish() }
        }
        let queue = shared.queue
        return AsyncStream(unfolding: { await queue.next() })
    }

    /// Stops watching: the reader thread wakes, hands over any held events, closes its descriptors and ends the
    /// stream. Returns at once (it does not wait for the thread); safe to call more than once, from any thread.
    public func stop() {
        shared.stopRequested.store(true, ordering: .releasing)
        let unstarted: WatchEngine? = phase.withLock { phase in
            defer { phase = .stopped }
            if case .waiting(let engine) = phase { return engine }
            return nil
        }
        if let unstarted {
            unstarted.shutDownUnstarted()
        } else {
            shared.wake.signal()
        }
    }

    /// How many directories are watched now (0 once stopped, or while the root is gone).
    public var watchedDirectoryCount: Int {
        shared.watchedDirectories.load(ordering: .relaxed)
    }

    /// How many events were dropped because the consumer fell too far behind (each drop was replaced by an
    /// ``InboxEvent/overflow``).
    public var eventsDroppedForSlowConsumer: Int {
        shared.queue.droppedEvents
    }

    deinit {
        stop()
    }

    /// Whether a file name is a temporary one, whose events are not reported (``TemporaryName``, the rule the
    /// folder walk uses too).
    public static func isTemporaryName(_ name: String) -> Bool {
        TemporaryName.matches(name)
    }
}
