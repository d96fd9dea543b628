/// Why an ``InboxWatcher`` could not start. Each case names the path and the reason, ready to print.
public enum InboxWatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing exists at the root path.
    case rootNotFound(path: String)
    /// The root path exists but is not a directory.
    case rootNotADirectory(path: String)
    /// The root is a directory, but watching it failed (permission, or the watch limit is already reached).
    case cannotWatchRoot(path: String, reason: String)
    /// The kernel refused an inotify instance (`inotify_init1`), or a resource the reader needs.
    case inotifyUnavailable(reason: String)

    public var description: String {
        switch self {
        case .rootNotFound(let path):
            "cannot watch \(path): no such directory"
        case .rootNotADirectory(let path):
            "cannot watch \(path): not a directory"
        case .cannotWatchRoot(let path, let reason):
            "cannot watch \(path): \(reason)"
        case .inotifyUnavailable(let reason):
            "cannot watch for changes: \(reason)"
        }
    }
}
