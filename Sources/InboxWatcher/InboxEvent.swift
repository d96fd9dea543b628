/// What changed in the watched tree. Paths are absolute, as the root was given plus the relative path.
///
/// ## The consumer's contract
///
/// Events describe what happened, in the order it happened; the consumer acts on them later, when the disk
/// may already have moved on (a file written, then renamed, then deleted, all before the consumer looks). So
/// every event is a hint to *look at the disk now*, never a promise about what is there:
///
/// | event | what the consumer does |
/// | --- | --- |
/// | ``fileWritten(_:)``, ``fileMovedIn(_:)`` | ingest the path if it is (still) a regular file; if it is gone, nothing (a later event says why) |
/// | ``fileChanged(_:)`` | look at the file's stamp again: a new mtime over the same content is recorded, not re-parsed |
/// | ``fileRemoved(_:)`` | forget the path, unless a file is there again |
/// | ``fileRenamed(from:to:)`` | forget `from` (unless it exists again), ingest `to`; an unchanged content hash makes this a cheap path update |
/// | ``directoryAppeared(_:)`` | scan the directory recursively and ingest what it holds |
/// | ``directoryRemoved(_:)`` | forget everything under the path that no longer exists |
/// | ``directoryRenamed(from:to:)`` | forget what was under `from` (unless it exists again), scan `to` |
/// | ``overflow`` | reconcile the whole tree against the index |
/// | ``degraded(path:reason:)`` | show the reason (status, logs), scan the subtree now, then poll it (e.g. every minute) |
/// | ``rootVanished(_:)`` | keep the index as it is (a disk may just be unmounted), show the state |
/// | ``rootReturned(_:)`` | reconcile the whole tree |
///
/// Ingesting must be idempotent (an unchanged file is a no-op), because the same file can be reported more
/// than once: by a scan after ``directoryAppeared(_:)`` and by its own event, or once per `close()` of a
/// slow writer. Within a batch, events are in kernel order; a consumer that coalesces them (keeping only the
/// last event per path) must keep that order across different paths.
public enum InboxEvent: Sendable, Hashable {
    /// A file was written and closed (IN_CLOSE_WRITE): `cp`, `>`, an editor's save, each slow append's close.
    case fileWritten(String)
    /// A complete file appeared without being written in place: moved into the tree from outside, renamed into
    /// place from a name the watcher ignores (IN_MOVED_TO without a matching watched IN_MOVED_FROM: `mv` from
    /// elsewhere, rsync's temp-then-rename), or hard-linked into the tree (`ln`, `cp -l`).
    case fileMovedIn(String)
    /// A file's metadata changed without a write (IN_ATTRIB): `touch`, `rsync -t`, `tar` and `utime()` set its
    /// mtime; `chmod` and `chown` its mode and owner.
    case fileChanged(String)
    /// A file left the tree: deleted, moved out (IN_DELETE, or IN_MOVED_FROM with no matching IN_MOVED_TO
    /// within 20 ms), or renamed to a name the watcher ignores.
    case fileRemoved(String)
    /// A file was renamed inside the tree (IN_MOVED_FROM + IN_MOVED_TO with the same cookie).
    case fileRenamed(from: String, to: String)
    /// A directory was created or moved into the tree (or a filesystem was mounted on it). Watches are already
    /// in place on it and everything below it when this is delivered, so the consumer scans it and misses
    /// nothing created in between: files created before the watch existed produce no event but are found by
    /// the scan, files created after produce events too.
    case directoryAppeared(String)
    /// A directory left the tree (deleted, moved out, or renamed to a hidden name): everything below it is gone.
    case directoryRemoved(String)
    /// A directory was renamed inside the tree; everything below it moved with it, and later events below it
    /// carry the new path.
    case directoryRenamed(from: String, to: String)
    /// Events were lost: the kernel queue overflowed (IN_Q_OVERFLOW), or the consumer fell too far behind.
    /// The watcher has re-walked the tree and watches every directory again before this is delivered; the
    /// consumer must reconcile the tree.
    case overflow
    /// A subtree cannot be watched with inotify (out of watches, or a filesystem without inotify events such as
    /// NFS, SMB or FUSE, or no permission). The consumer polls it. `reason` says why and how to fix it. Each
    /// unwatched subtree is reported once, by its topmost directory.
    case degraded(path: String, reason: String)
    /// The root itself vanished (deleted, moved away, unmounted); the watcher looks for it every second and
    /// re-watches it when it comes back.
    case rootVanished(String)
    /// The root is back (after ``rootVanished(_:)``) and watched again: the consumer reconciles it.
    case rootReturned(String)
}
