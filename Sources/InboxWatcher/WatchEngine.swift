import FilePaths
import Glibc
import SystemPackage
import Logging

/// The watcher's state and the only code that changes it: the watch table, the rename pairing, the list of
/// degraded subtrees, and whether the root is there.
///
/// **Confinement instead of locks.** An engine is used by one thread at a time: the initializer's thread while
/// it sets up the first watches, then the reader thread for the rest of its life (starting a thread is a
/// happens-before edge, and the initializer does not touch the engine after handing it over). It therefore
/// needs no locks, and is `@unchecked Sendable` only so it can be handed to that thread. What other threads
/// may look at lives in ``WatcherShared``.
///
/// The reading loop is in `WatchEngine+Reading.swift`, the translation of kernel events into
/// ``InboxEvent``s in `WatchEngine+Events.swift`; this file holds the state and the tree walk.
final class WatchEngine: @unchecked Sendable {
    /// The root as given, without a trailing slash (`"/"` stays `"/"`): the start of every reported path.
    let root: String
    /// What relative paths are appended to: the root, or `""` when the root is `/`.
    private let rootPrefix: String
    let ignore: @Sendable (String) -> Bool
    let logger: Logger
    let options: WatcherOptions
    let shared: WatcherShared
    let inotify: InotifyDescriptor

    var table = WatchTable()
    var pairing: RenamePairing
    /// Subtrees reported as degraded, by relative path, so each is reported once.
    var degraded: [String: DegradedCause] = [:]
    /// Watches whose filesystem was unmounted (`IN_UNMOUNT`); their `IN_IGNORED` re-watches the mount point.
    var unmounted: Set<Int32> = []
    /// Whether the root directory is there (false between ``InboxEvent/rootVanished(_:)`` and
    /// ``InboxEvent/rootReturned(_:)``).
    var rootPresent = true
    /// When to look for a vanished root next.
    var nextRootCheck = ContinuousClock.now
    /// The mount table, polled for mounts and unmounts inside the tree.
    let mounts = MountTable()
    /// The root with symbolic links resolved, as the mount table spells paths.
    var realRoot: String?
    /// The mount points at or inside the root, relative to it, as of the last look.
    var mountsInside: Set<String> = []
    /// Whether the watch limit has been logged at warning level (it is logged once; every subtree it hits is
    /// still reported as an event).
    var loggedWatchLimit = false

    /// Why a subtree is not watched.
    enum DegradedCause: Equatable {
        case filesystem(FilesystemKind)
        case watchLimit
        case failure(String)
    }

    /// Checks the root, creates the inotify instance and watches the whole tree.
    ///
    /// Events found while doing so (degraded subtrees) are queued for the consumer before this returns.
    init(
        root: String, ignore: @escaping @Sendable (String) -> Bool, logger: Logger, options: WatcherOptions,
        shared: WatcherShared
    ) throws(InboxWatcherError) {
        var trimmed = root
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
        self.rootPrefix = trimmed == "/" ? "" : trimmed
        self.ignore = ignore
        self.logger = logger
        self.options = options
        self.shared = shared
        self.pairing = RenamePairing(window: options.pairingWindow)

        var info = stat()
        guard stat(trimmed, &info) == 0 else {
            throw errno == ENOENT ? .rootNotFound(path: trimmed)
                : .cannotWatchRoot(path: trimmed, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .rootNotADirectory(path: trimmed) }
        inotify = try InotifyDescriptor()

        var events: [InboxEvent] = []
        if let failure = watchRoot(events: &events) {
            inotify.close()
            throw failure
        }
        shared.queue.push(events)
        noteMounts()
        logger.info("watching \(table.count) directories", metadata: ["root": "\(trimmed)"])
    }

    // MARK: Paths

    /// The absolute path (as reported) of a path relative to the root.
    func absolute(_ relative: String) -> String {
        relative.isEmpty ? root : rootPrefix + "/" + relative
    }

    /// Whether a directory of this name is left unwatched (hidden directories: `.git`, `.cache`, `.Trash-0`).
    static func isHiddenDirectory(_ name: String) -> Bool {
        name.hasPrefix(".")
    }

    func publishCount() {
        shared.watchedDirectories.store(table.count, ordering: .relaxed)
    }

    // MARK: Watching trees

    /// What watching the top of a subtree found.
    enum WatchOutcome: Equatable {
        /// Newly watched.
        case added
        /// Already watched at this path.
        case known
        /// Already watched, under another path: it moved before the watcher heard of it.
        case relocated
        /// There, but not watched: reported as ``InboxEvent/degraded(path:reason:)`` (now or before).
        case degraded
        /// Not there (anymore), or not a directory: a later event tells what happened to it.
        case vanished
    }

    /// Watches the directory at `top` and every non-hidden directory below it: each directory is watched
    /// *before* it is listed, so a subdirectory created at any moment is either found by the listing or reported
    /// by an event of the already-watched parent.
    ///
    /// - Parameter revisitKnown: whether to walk below a directory that is already watched. A directory that
    ///   has been watched since it was last listed needs no new walk (its new subdirectories all produced events);
    ///   after an overflow, events were lost, so every directory is listed again.
    /// - Returns: what was found at `top`.
    @discardableResult
    func watchTree(at top: String, revisitKnown: Bool, events: inout [InboxEvent]) -> WatchOutcome {
        var outcome = WatchOutcome.vanished
        var stack = [top]
        var isTop = true
        while let relative = stack.popLast() {
            let result = watchDirectory(relative, events: &events)
            if isTop {
                outcome = result
                isTop = false
            }
            switch result {
            case .added, .relocated:
                break
            case .known where revisitKnown:
                break
            case .known, .degraded, .vanished:
                continue
            }
            stack += subdirectories(of: relative, events: &events)
            if shared.isStopping { break }
        }
        publishCount()
        return outcome
    }

    /// Watches one directory (without listing it).
    private func watchDirectory(_ relative: String, events: inout [InboxEvent]) -> WatchOutcome {
        let path = absolute(relative)
        if let magic = options.filesystemMagic(path), FilesystemKind(magic: magic).nameWithoutReliableEvents != nil {
            reportDegraded(relative, cause: .filesystem(FilesystemKind(magic: magic)), events: &events)
            return .degraded
        }
        let result: Result<Int32, Errno>
        if let limit = options.watchLimitForTesting, table.watch(at: relative) == nil, table.count >= limit {
            result = .failure(Errno(rawValue: ENOSPC))
        } else {
            result = inotify.addWatch(path, mask: relative.isEmpty ? .rootWatch : .subdirectoryWatch)
        }
        switch result {
        case .success(let wd):
            let (insertion, displaced) = table.insert(wd, at: relative)
            for stale in displaced where stale != wd { inotify.removeWatch(stale) }
            switch insertion {
            case .added: return .added
            case .alreadyThere: return .known
            case .relocated: return .relocated
            }
        case .failure(let error) where error.rawValue == ENOSPC:
            reportDegraded(relative, cause: .watchLimit, events: &events)
            return .degraded
        case .failure(let error) where [ENOENT, ENOTDIR, ELOOP].contains(error.rawValue):
            return .vanished
        case .failure(let error):
            reportDegraded(relative, cause: .failure("cannot watch it (\(error))"), events: &events)
            return .degraded
        }
    }

    /// The non-hidden subdirectories of a watched directory. Symbolic links are not followed.
    private func subdirectories(of relative: String, events: inout [InboxEvent]) -> [String] {
        let path = absolute(relative)
        guard let handle = FileName.withPlatformPath(path, { opendir($0) }) else {
            let code = errno
            if code != ENOENT, code != ENOTDIR {
                reportDegraded(relative, cause: .failure("cannot list it (\(Errno(rawValue: code)))"), events: &events)
            }
            return []
        }
        defer { closedir(handle) }
        var found: [String] = []
        while let entry = readdir(handle) {
            var type = entry.pointee.d_type
            guard type == UInt8(DT_DIR) || type == UInt8(DT_UNKNOWN) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                FileName.decode(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." || Self.isHiddenDirectory(name) { continue }
            let child = RelativePath.join(relative, name)
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard FileName.withPlatformPath(absolute(child), { lstat($0, &info) }) == 0 else { continue }
                type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_UNKNOWN)
            }
            if type == UInt8(DT_DIR) { found.append(child) }
        }
        return found
    }

    /// Watches the root and its tree, at start and when the root returns. Returns an error when the root
    /// cannot be watched for a reason other than the watch limit.
    func watchRoot(events: inout [InboxEvent]) -> InboxWatcherError? {
        var local: [InboxEvent] = []
        let outcome = watchTree(at: "", revisitKnown: true, events: &local)
        if outcome == .vanished { return .rootNotFound(path: root) }
        if outcome == .degraded, case .failure(let reason)? = degraded[""] {
            degraded[""] = nil
            return .cannotWatchRoot(path: root, reason: reason)
        }
        events += local
        return nil
    }

    /// Records the root's canonical path and the mount points inside it (at start, and when the root returns).
    func noteMounts() {
        realRoot = MountTable.canonicalPath(root)
        mountsInside = realRoot.map { mounts.mountPoints(inside: $0) } ?? []
    }

    // MARK: Degraded subtrees

    /// Reports a subtree as degraded, once.
    func reportDegraded(_ relative: String, cause: DegradedCause, events: inout [InboxEvent]) {
        guard degraded[relative] == nil else { return }
        degraded[relative] = cause
        let path = absolute(relative)
        let reason = describe(cause, path: path)
        events.append(.degraded(path: path, reason: reason))
        if cause == .watchLimit, loggedWatchLimit {
            logger.debug("not watched: \(reason)", metadata: ["path": "\(path)"])
        } else {
            if cause == .watchLimit { loggedWatchLimit = true }
            logger.warning("not watched: \(reason)", metadata: ["path": "\(path)"])
        }
    }

    private func describe(_ cause: DegradedCause, path: String) -> String {
        switch cause {
        case .filesystem(let kind):
            return kind.degradedReason(for: path) ?? "not watchable; polling this subtree"
        case .watchLimit:
            let limit = InotifyDescriptor.readLimit("max_user_watches").map(String.init) ?? "unknown"
            return "inotify watch limit reached (fs.inotify.max_user_watches = \(limit)); raise it: "
                + "sysctl fs.inotify.max_user_watches=524288 (persist in /etc/sysctl.d/); polling this subtree "
                + "meanwhile"
        case .failure(let reason):
            return reason + "; polling this subtree"
        }
    }

    /// Forgets the degraded subtrees within `relative` (it left the tree); returns them.
    @discardableResult
    func forgetDegraded(within relative: String) -> [String] {
        let inside = degraded.keys.filter { RelativePath.isWithin($0, relative) }
        for key in inside { degraded[key] = nil }
        return inside
    }
}
