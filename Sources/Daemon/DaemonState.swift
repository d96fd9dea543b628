import FilePaths
import Foundation
import Ingestion
import Synchronization

/// What the daemon is doing, as `marsad status` shows it.
public enum DaemonPhase: String, Sendable, Codable {
    case starting, reconciling, watching, polling, stopping
}

/// Why a folder is reconciled: the log line's level and words depend on it.
enum ReconcileReason: String, Sendable {
    case startUp = "start-up"
    case newDirectory = "new directory"
    case renamedDirectory = "renamed directory"
    case overflow
    case inboxReturned = "inbox returned"
    case timer
    case poll
    case reload

    /// Routine reconciles that find nothing are logged at debug, so an idle daemon stays quiet.
    var isRoutine: Bool { self == .timer || self == .poll }
}

/// The daemon's mutable state, in one place: its phase, its live configuration (SIGHUP changes it), the
/// reconciler made from it, and the folders that are polled instead of watched.
actor DaemonState {
    private(set) var phase: DaemonPhase = .starting
    private(set) var configuration: DaemonConfiguration
    private(set) var reconciler: Reconciler
    private var degraded: [PathKey: String] = [:]

    init(configuration: DaemonConfiguration, reconciler: Reconciler) {
        self.configuration = configuration
        self.reconciler = reconciler
    }

    var isStopping: Bool { phase == .stopping }

    /// Moves to `phase`, unless the daemon is stopping (which is final).
    func enter(_ phase: DaemonPhase) {
        if self.phase != .stopping { self.phase = phase }
    }

    /// Takes the settings a reload brought, with a reconciler that uses their filter.
    func reloaded(_ next: DaemonConfiguration) {
        configuration = next
        reconciler = Reconciler(store: reconciler.store, queue: reconciler.queue, writer: reconciler.writer,
                                walker: DirectoryWalker(filter: next.fileFilter))
    }

    func markDegraded(_ path: String, reason: String) {
        degraded[PathKey(path)] = reason
    }

    /// The folders to poll: the whole inbox when polling is forced, else the degraded ones.
    func pollTargets(root: String) -> [String] {
        configuration.forcePolling ? [root] : degraded.keys.sorted().map(\.path)
    }

    /// "path: reason" for each degraded folder, in byte order.
    var degradedFolders: [String] {
        degraded.sorted { $0.key < $1.key }.map { "\(FileName.displayed($0.key.path)): \($0.value)" }
    }
}

/// The file filter the watcher's reader thread consults for every event. That thread cannot wait for an
/// actor, so this one value sits behind a lock, replaced whole on reload.
final class LiveFilter: Sendable {
    private let filter: Mutex<FileFilter>

    init(_ filter: FileFilter) {
        self.filter = Mutex(filter)
    }

    func accepts(_ name: String) -> Bool {
        filter.withLock { $0.accepts(name) }
    }

    func replace(with new: FileFilter) {
        filter.withLock { $0 = new }
    }
}
