import FilePaths
import Glibc

/// Turning kernel events into ``InboxEvent``s, and keeping the watch table in step with them.
///
/// Events are handled strictly in the order the kernel queued them, and the table is updated as each one is
/// handled, so the directory a `wd` stands for is always the one it stood for when the event happened: a file
/// written in `a/` just before `a/` became `b/` is reported as `a/f`, one written just after as `b/f`.
///
/// Side effects on watches happen *before* the event that announces them is appended: by the time a batch
/// reaches the consumer, every directory it mentions as appeared is already watched, all the way down.
extension WatchEngine {
    /// Acts on one event (or one rename) and appends what it means to `batch`.
    func handle(_ resolved: RenamePairing.Resolved, into batch: inout [InboxEvent]) {
        switch resolved {
        case .single(let event):
            handleSingle(event, into: &batch)
        case .rename(let from, let to):
            handleRename(from: from, to: to, into: &batch)
        case .movedOut(let event):
            guard let directory = table.path(of: event.wd) else { return }
            left(RelativePath.join(directory, event.name), isDirectory: event.isDirectory, moved: true, into: &batch)
        }
    }

    private func handleSingle(_ event: RawInotifyEvent, into batch: inout [InboxEvent]) {
        let mask = event.mask
        if mask.contains(.queueOverflow) {
            recoverFromOverflow(into: &batch)
            return
        }
        if mask.contains(.unmount) {
            unmounted.insert(event.wd)
            return
        }
        if mask.contains(.ignored) {
            watchEnded(event.wd, into: &batch)
            return
        }
        if mask.contains(.deleteSelf) || mask.contains(.moveSelf) {
            // About the watched directory itself. Below the root, the parent's IN_DELETE / IN_MOVED_* says
            // what happened, so only the table is tidied.
            if let path = table.path(of: event.wd) {
                if path.isEmpty {
                    rootGone(into: &batch)
                } else if mask.contains(.deleteSelf) {
                    table.removeSubtree(of: event.wd)
                    publishCount()
                }
            }
            return
        }
        guard let directory = table.path(of: event.wd) else { return }
        let relative = RelativePath.join(directory, event.name)
        if event.isDirectory {
            if mask.contains(.create) {
                arrived(relative, movedIn: false, into: &batch)
            } else if mask.contains(.movedTo) {
                arrived(relative, movedIn: true, into: &batch)
            } else if mask.contains(.delete) {
                left(relative, isDirectory: true, moved: false, into: &batch)
            }
            return
        }
        guard !ignore(event.name) else { return }
        if mask.contains(.closeWrite) {
            batch.append(.fileWritten(absolute(relative)))
        } else if mask.contains(.movedTo) {
            batch.append(.fileMovedIn(absolute(relative)))
        } else if mask.contains(.delete) {
            batch.append(.fileRemoved(absolute(relative)))
        } else if mask.contains(.attrib) {
            batch.append(.fileChanged(absolute(relative)))
        } else if mask.contains(.create), isHardLink(absolute(relative)) {
            // `ln` and `cp -l` make a complete file appear without ever opening it for writing: no IN_CLOSE_WRITE
            // will follow. A file created by open(O_CREAT) has one link, and its IN_CLOSE_WRITE says when it is
            // complete.
            batch.append(.fileMovedIn(absolute(relative)))
        }
    }

    /// Both halves of a rename seen: the entry stayed in the tree, unless one side is a name the watcher
    /// ignores or a directory it does not watch.
    private func handleRename(from: RawInotifyEvent, to: RawInotifyEvent, into batch: inout [InboxEvent]) {
        let fromDirectory = table.path(of: from.wd)
        let toDirectory = table.path(of: to.wd)
        guard let fromDirectory else {
            if toDirectory != nil { handleSingle(to, into: &batch) }
            return
        }
        let source = RelativePath.join(fromDirectory, from.name)
        guard let toDirectory else {
            left(source, isDirectory: from.isDirectory, moved: true, into: &batch)
            return
        }
        let target = RelativePath.join(toDirectory, to.name)

        guard to.isDirectory else {
            switch (ignore(from.name), ignore(to.name)) {
            case (false, false): batch.append(.fileRenamed(from: absolute(source), to: absolute(target)))
            case (true, false): batch.append(.fileMovedIn(absolute(target)))  // rsync's `.x.txt.AbC123` → `x.txt`
            case (false, true): batch.append(.fileRemoved(absolute(source)))
            case (true, true): break
            }
            return
        }
        switch (Self.isHiddenDirectory(from.name), Self.isHiddenDirectory(to.name)) {
        case (true, true):
            return
        case (true, false):
            arrived(target, movedIn: true, into: &batch)
            return
        case (false, true):
            left(source, isDirectory: true, moved: true, into: &batch)
            return
        case (false, false):
            break
        }
        if table.watch(at: source) != nil {
            for stale in table.move(from: source, to: target) { inotify.removeWatch(stale) }
        } else {
            // Never watched: created and renamed before the watcher got to it, or degraded.
            watchTree(at: target, revisitKnown: false, events: &batch)
        }
        // Degraded subtrees moved too: look at them again under their new path (reported anew, or watchable
        // now if the watch limit was the reason).
        for moved in forgetDegraded(within: source) {
            watchTree(at: RelativePath.rebase(moved, from: source, to: target), revisitKnown: false, events: &batch)
        }
        publishCount()
        batch.append(.directoryRenamed(from: absolute(source), to: absolute(target)))
    }

    /// A directory was created or moved in: watch it and everything below it, then announce it.
    private func arrived(_ relative: String, movedIn: Bool, into batch: inout [InboxEvent]) {
        guard !Self.isHiddenDirectory(RelativePath.name(of: relative)) else { return }
        switch watchTree(at: relative, revisitKnown: movedIn, events: &batch) {
        case .added, .relocated, .degraded:
            batch.append(.directoryAppeared(absolute(relative)))
        case .known:
            // Found by the walk of an ancestor that is already announced (and was scanned after the watch).
            if movedIn { batch.append(.directoryAppeared(absolute(relative))) }
        case .vanished:
            break
        }
    }

    /// An entry left the tree: deleted, or moved out (`moved`).
    private func left(_ relative: String, isDirectory: Bool, moved: Bool, into batch: inout [InboxEvent]) {
        let name = RelativePath.name(of: relative)
        guard isDirectory else {
            if !ignore(name) { batch.append(.fileRemoved(absolute(relative))) }
            return
        }
        guard !Self.isHiddenDirectory(name) else { return }
        let dropped = table.removeSubtree(at: relative)
        if moved {
            // The directory lives on outside the tree: its watches would keep reporting.
            for (wd, _) in dropped { inotify.removeWatch(wd) }
        }
        forgetDegraded(within: relative)
        publishCount()
        batch.append(.directoryRemoved(absolute(relative)))
    }

    /// `IN_IGNORED`: the kernel dropped a watch (its directory was deleted, or its filesystem unmounted).
    private func watchEnded(_ wd: Int32, into batch: inout [InboxEvent]) {
        let wasUnmounted = unmounted.remove(wd) != nil
        guard let path = table.path(of: wd) else { return }
        if path.isEmpty {
            rootGone(into: &batch)
            return
        }
        table.removeSubtree(of: wd)
        publishCount()
        if wasUnmounted {
            // The mount point is an ordinary (usually empty) directory again, and it is still in the tree.
            arrived(path, movedIn: true, into: &batch)
        }
    }

    /// `IN_Q_OVERFLOW`: events were lost. Every directory is listed again and missing watches added, then the
    /// consumer is told to reconcile; watches of directories no longer in the tree are removed.
    func recoverFromOverflow(into batch: inout [InboxEvent]) {
        logger.warning("the kernel event queue overflowed; re-watching the tree, the consumer reconciles it")
        guard rootPresent else {
            batch.append(.overflow)
            return
        }
        let before = table.removeAll()
        degraded.removeAll()
        unmounted.removeAll()
        let outcome = watchTree(at: "", revisitKnown: true, events: &batch)
        for wd in before where table.path(of: wd) == nil { inotify.removeWatch(wd) }
        publishCount()
        batch.append(.overflow)
        if outcome == .vanished {
            rootPresent = true
            rootGone(into: &batch)
        }
    }

    /// The root was deleted, moved away or unmounted.
    func rootGone(into batch: inout [InboxEvent]) {
        guard rootPresent else { return }
        rootPresent = false
        for wd in table.removeAll() { inotify.removeWatch(wd) }
        degraded.removeAll()
        unmounted.removeAll()
        publishCount()
        nextRootCheck = .now + options.rootRecheckInterval
        logger.warning("the watched root vanished; looking for it every \(options.rootRecheckInterval)",
                       metadata: ["root": "\(root)"])
        batch.append(.rootVanished(root))
    }

    /// Looks for a vanished root; when a directory is back at its path, watches it and announces it.
    func checkForRoot(now: ContinuousClock.Instant) {
        guard !rootPresent, now >= nextRootCheck else { return }
        nextRootCheck = now + options.rootRecheckInterval
        var info = stat()
        guard FileName.withPlatformPath(root, { stat($0, &info) }) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return }
        var batch: [InboxEvent] = []
        if let failure = watchRoot(events: &batch) {
            logger.debug("the root is back but cannot be watched yet: \(failure)")
            for wd in table.removeAll() { inotify.removeWatch(wd) }
            publishCount()
            return
        }
        rootPresent = true
        noteMounts()
        logger.notice("the watched root is back", metadata: ["root": "\(root)"])
        batch.append(.rootReturned(root))
        shared.queue.push(batch)
    }

    /// The mount table changed: each mount point inside the tree that appeared or disappeared is a different
    /// directory now. Watch it afresh (or report it degraded) and announce it; the root itself mounted over or
    /// unmounted is the root replaced.
    func mountTableChanged(into batch: inout [InboxEvent]) {
        guard rootPresent, let realRoot else { return }
        let current = mounts.mountPoints(inside: realRoot)
        let changed = current.symmetricDifference(mountsInside)
        mountsInside = current
        guard !changed.isEmpty else { return }
        logger.debug("the mount table changed inside the tree", metadata: ["mount points": "\(changed.sorted())"])
        if changed.contains("") {
            rootGone(into: &batch)
            nextRootCheck = .now
            return
        }
        for relative in changed.sorted(by: { $0.utf8.count < $1.utf8.count }) {
            // Only where the parent is watched: not below a hidden or degraded directory, nor already re-walked
            // with a changed ancestor.
            guard let parent = RelativePath.parent(of: relative), table.watch(at: parent) != nil,
                !Self.isHiddenDirectory(RelativePath.name(of: relative))
            else { continue }
            forgetDegraded(within: relative)
            switch watchTree(at: relative, revisitKnown: true, events: &batch) {
            case .added, .relocated, .degraded:
                batch.append(.directoryAppeared(absolute(relative)))
            case .known, .vanished:
                break
            }
        }
    }

    /// Whether `path` is a regular file with more than one link (a hard link just made).
    private func isHardLink(_ path: String) -> Bool {
        var info = stat()
        return FileName.withPlatformPath(path) { lstat($0, &info) } == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_nlink > 1
    }
}
