/// The bits of an inotify mask: what `inotify_add_watch(2)` is asked to report, and what each
/// `inotify_event.mask` says happened.
///
/// Glibc's macros are spelled out here once, typed as `UInt32` like the kernel's field, so that the rest of
/// the module reads `mask.contains(.movedTo)` instead of integer arithmetic on imported `Int32` macros.
/// See inotify(7) for the authoritative list.
struct InotifyMask: OptionSet, Sendable, Hashable {
    let rawValue: UInt32

    init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    // MARK: Events

    /// Metadata changed: mode, owner, timestamps (`touch`, `utime()`, `rsync -t`), link count.
    static let attrib = InotifyMask(rawValue: 0x0000_0004)
    /// A file opened for writing was closed: the moment a `cp`, a `>` redirection or an editor's save is done.
    static let closeWrite = InotifyMask(rawValue: 0x0000_0008)
    /// An entry was renamed away from the watched directory (the first half of a rename).
    static let movedFrom = InotifyMask(rawValue: 0x0000_0040)
    /// An entry was renamed into the watched directory (the second half of a rename, or a move in).
    static let movedTo = InotifyMask(rawValue: 0x0000_0080)
    /// An entry was created in the watched directory (`mkdir`, `open(O_CREAT)`, `link`, `symlink`).
    static let create = InotifyMask(rawValue: 0x0000_0100)
    /// An entry of the watched directory was deleted.
    static let delete = InotifyMask(rawValue: 0x0000_0200)
    /// The watched directory itself was deleted.
    static let deleteSelf = InotifyMask(rawValue: 0x0000_0400)
    /// The watched directory itself was renamed or moved.
    static let moveSelf = InotifyMask(rawValue: 0x0000_0800)

    // MARK: Flags the kernel sets on its own

    /// The filesystem holding the watched directory was unmounted (an ``ignored`` follows).
    static let unmount = InotifyMask(rawValue: 0x0000_2000)
    /// The kernel queue overflowed and events were dropped (`wd` is -1).
    static let queueOverflow = InotifyMask(rawValue: 0x0000_4000)
    /// The watch is gone: removed by `inotify_rm_watch`, or its directory was deleted or unmounted.
    static let ignored = InotifyMask(rawValue: 0x0000_8000)
    /// The entry named by the event is a directory.
    static let isDirectory = InotifyMask(rawValue: 0x4000_0000)

    // MARK: Options for inotify_add_watch

    /// Fail with `ENOTDIR` unless the path is a directory (no race between checking and watching).
    static let onlyDirectory = InotifyMask(rawValue: 0x0100_0000)
    /// Do not follow a symbolic link at the path: a link swapped in for a directory is not watched through.
    static let dontFollow = InotifyMask(rawValue: 0x0200_0000)
    /// No events for children after they are unlinked (a deleted file kept open does not keep reporting).
    static let excludeUnlinked = InotifyMask(rawValue: 0x0400_0000)

    // MARK: What the watcher asks for

    /// The mask of every directory below the root.
    ///
    /// Files report `closeWrite` (written), `movedFrom`/`movedTo` (renamed), `delete`, and `attrib` (an mtime
    /// set without a write: `touch`, `rsync -t`, `tar`; without it the ledger kept the old stamp until the next
    /// timed reconcile); `create` is needed for new directories (and hard links, which are never written). Nothing noisy (`IN_MODIFY`, `IN_ACCESS`,
    /// `IN_OPEN`) is asked for: each event costs a slot in a kernel queue of 16,384 by default.
    static let subdirectoryWatch: InotifyMask = [
        .attrib, .closeWrite, .movedFrom, .movedTo, .create, .delete, .deleteSelf,
        .onlyDirectory, .dontFollow, .excludeUnlinked,
    ]

    /// The mask of the root: the same, plus `moveSelf` (the root renamed away is the root vanishing), and
    /// following a symbolic link given as the root.
    static let rootWatch: InotifyMask = [
        .attrib, .closeWrite, .movedFrom, .movedTo, .create, .delete, .deleteSelf, .moveSelf,
        .onlyDirectory, .excludeUnlinked,
    ]
}
