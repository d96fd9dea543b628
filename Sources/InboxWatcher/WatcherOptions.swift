import Synchronization

/// Tuning knobs and test seams of an ``InboxWatcher``. The public initializer uses the defaults; tests reach
/// the others through `@testable import`.
struct WatcherOptions: Sendable {
    /// How long an `IN_MOVED_FROM` waits for its `IN_MOVED_TO` before it counts as a move out.
    var pairingWindow: Duration = .milliseconds(20)
    /// How often a vanished root is looked for.
    var rootRecheckInterval: Duration = .seconds(1)
    /// The most events held for a slow consumer (see ``BatchQueue``).
    var queueLimit = 250_000
    /// Whether the reader thread starts in the initializer. Tests set it to false to let the kernel queue
    /// overflow for real before reading (`startReadingForTesting()`).
    var startsReading = true
    /// Pretends `inotify_add_watch` fails with `ENOSPC` once this many directories are watched, to test the
    /// degraded path without exhausting the machine-wide limit.
    var watchLimitForTesting: Int?
    /// The `statfs` magic of the filesystem holding a path (tests pretend a directory is on NFS).
    var filesystemMagic: @Sendable (String) -> UInt32? = { LinuxCalls.filesystemMagic(ofPath: $0) }
}

/// What the reader thread and the ``InboxWatcher`` façade share. Everything in it is safe to use from any thread.
final class WatcherShared: Sendable {
    /// Set by `stop()`; the reader checks it between reads and between directories of a long walk.
    let stopRequested = Atomic<Bool>(false)
    /// The size of the watch table, published after every change for ``InboxWatcher/watchedDirectoryCount``.
    let watchedDirectories = Atomic<Int>(0)
    /// Where batches go.
    let queue: BatchQueue
    /// Wakes the reader out of `poll`.
    let wake: WakeSignal

    init(queue: BatchQueue, wake: WakeSignal) {
        self.queue = queue
        self.wake = wake
    }

    var isStopping: Bool {
        stopRequested.load(ordering: .acquiring)
    }
}
