/// What changed in the watched tree. Paths are absolute, as the root was given plus the relative path.
public enum InboxEvent: Sendable, Hashable {
    /// A file was written and closed (IN_CLOSE_WRITE): `cp`, `>`, an editor's save, each slow append's close.
    case fileWritten(String)
    /// A file was moved into the tree from outside, or renamed into place from a name the watcher ignores
    /// (IN_MOVED_TO without a matching watched IN_MOVED_FROM): `mv` from elsewhere, rsync's temp-then-rename.
    case fileMovedIn(String)
    /// A file left the tree: deleted, or moved out (IN_DELETE, or IN_MOVED_FROM with no matching IN_MOVED_TO).
    case fileRemoved(String)
    /// A file was renamed inside the tree (IN_MOVED_FROM + IN_MOVED_TO with the same cookie).
    case fileRenamed(from: String, to: String)
    /// A directory was created or moved into the tree. Watches are already in place on it and everything below
    /// it when this is delivered, so the consumer scans it and misses nothing created in between.
    case directoryAppeared(String)
    /// A directory left the tree (deleted or moved out): everything below it is gone.
    case directoryRemoved(String)
    /// A directory was renamed inside the tree; everything below it moved with it.
    case directoryRenamed(from: String, to: String)
    /// The kernel queue overflowed (IN_Q_OVERFLOW): events were lost; the consumer must reconcile the tree.
    case overflow
    /// A subtree cannot be watched with inotify (out of watches, or a filesystem without inotify events such as
    /// NFS, SMB or FUSE). The consumer polls it. `reason` says why and how to fix it.
    case degraded(path: String, reason: String)
    /// The root itself vanished or was replaced; the watcher re-watches it when it comes back.
    case rootVanished(String)
    /// The root is back (after ``rootVanished(_:)``): the consumer reconciles it.
    case rootReturned(String)
}
