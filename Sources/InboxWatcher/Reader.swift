import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension InboxWatcher {
    /// The reader thread's state and loop: it alone reads the descriptor and changes the watch table.
    struct Reader {
        let watcher: InboxWatcher
        /// IN_MOVED_FROM halves waiting for their IN_MOVED_TO, by cookie, with the batch they arrived in.
        var pendingMoves: [UInt32: (path: String, isDirectory: Bool, name: String, batch: Int)] = [:]
        var batch = 0
        var rootMissing = false
        var reportedDevices = Set<UInt64>()
        var outOfWatches = false

        init(watcher: InboxWatcher) { self.watcher = watcher }

        mutating func run() {
            let size = 256 * 1024
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
            defer {
                buffer.deallocate()
                watcher.finish()
            }
            var fds = [pollfd(fd: watcher.inotify, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: watcher.wake, events: Int16(POLLIN), revents: 0)]
            while !watcher.stopped.load(ordering: .relaxed) {
                let timeout: Int32 = !pendingMoves.isEmpty ? 20 : (rootMissing ? 1000 : -1)
                fds[0].revents = 0
                fds[1].revents = 0
                let ready = poll(&fds, 2, timeout)
                if ready < 0 {
                    if errno == EINTR { continue }
                    watcher.logger.error("inotify poll failed: \(String(cString: strerror(errno)))")
                    return
                }
                if fds[1].revents != 0 { return }
                var out: [InboxEvent] = []
                if ready == 0 {
                    flushMoves(olderThan: batch + 1, into: &out)
                    if rootMissing { checkRootReturned(into: &out) }
                } else {
                    // Drain everything the kernel has queued, so bursts do not overflow its queue.
                    while true {
                        let n = read(watcher.inotify, buffer.baseAddress, size)
                        if n <= 0 { break }
                        batch += 1
                        let events = InotifyEvent.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                        for event in events { handle(event, into: &out) }
                        flushMoves(olderThan: batch, into: &out)
                        if out.count > 4096 { break }
                    }
                }
                if !out.isEmpty { watcher.continuation.yield(out) }
            }
        }

        // MARK: Events

        mutating func handle(_ e: InotifyEvent, into out: inout [InboxEvent]) {
            if e.has(Inotify.queueOverflow) {
                watchTree("", into: &out)  // add whatever watches were missed
                out.append(.overflow)
                return
            }
            if e.has(Inotify.ignored) {
                let wasRoot = watcher.table.withLock { t -> Bool in
                    let root = t.path(e.wd) == ""
                    t.remove(wd: e.wd)
                    return root
                }
                if wasRoot { rootGone(into: &out) }
                return
            }
            guard let directory = watcher.table.withLock({ $0.path(e.wd) }) else { return }
            if e.name.isEmpty {
                if directory.isEmpty && (e.has(Inotify.deleteSelf) || e.has(Inotify.moveSelf) || e.has(Inotify.unmount)) {
                    rootGone(into: &out)
                }
                return
            }
            let path = WatchTable.join(directory, e.name)
            let hidden = e.name.hasPrefix(".")
            if e.isDirectory {
                if e.has(Inotify.create) {
                    if !hidden { watchTree(path, into: &out); out.append(.directoryAppeared(watcher.absolute(path))) }
                } else if e.has(Inotify.delete) {
                    forget(path)
                    if !hidden { out.append(.directoryRemoved(watcher.absolute(path))) }
                } else if e.has(Inotify.movedFrom) {
                    pendingMoves[e.cookie] = (path, true, e.name, batch)
                } else if e.has(Inotify.movedTo) {
                    if let from = pendingMoves.removeValue(forKey: e.cookie) {
                        let fromHidden = from.name.hasPrefix(".")
                        switch (fromHidden, hidden) {
                        case (false, false):
                            watcher.table.withLock { $0.move(from: from.path, to: path) }
                            out.append(.directoryRenamed(from: watcher.absolute(from.path), to: watcher.absolute(path)))
                        case (false, true):
                            forget(from.path)
                            out.append(.directoryRemoved(watcher.absolute(from.path)))
                        case (true, false):
                            watchTree(path, into: &out)
                            out.append(.directoryAppeared(watcher.absolute(path)))
                        case (true, true):
                            break
                        }
                    } else if !hidden {
                        watchTree(path, into: &out)
                        out.append(.directoryAppeared(watcher.absolute(path)))
                    }
                }
                return
            }
            let ignored = watcher.ignore(e.name)
            if e.has(Inotify.closeWrite) {
                if !ignored { out.append(.fileWritten(watcher.absolute(path))) }
            } else if e.has(Inotify.delete) {
                if !ignored { out.append(.fileRemoved(watcher.absolute(path))) }
            } else if e.has(Inotify.movedFrom) {
                pendingMoves[e.cookie] = (path, false, e.name, batch)
            } else if e.has(Inotify.movedTo) {
                if let from = pendingMoves.removeValue(forKey: e.cookie) {
                    let fromIgnored = watcher.ignore(from.name)
                    switch (fromIgnored, ignored) {
                    case (false, false): out.append(.fileRenamed(from: watcher.absolute(from.path), to: watcher.absolute(path)))
                    case (true, false): out.append(.fileMovedIn(watcher.absolute(path)))
                    case (false, true): out.append(.fileRemoved(watcher.absolute(from.path)))
                    case (true, true): break
                    }
                } else if !ignored {
                    out.append(.fileMovedIn(watcher.absolute(path)))
                }
            }
        }

        /// Moves whose IN_MOVED_TO did not come (in the same read, or the next, or within 20 ms) left the tree.
        mutating func flushMoves(olderThan limit: Int, into out: inout [InboxEvent]) {
            for (cookie, move) in pendingMoves where move.batch < limit {
                pendingMoves.removeValue(forKey: cookie)
                if move.isDirectory {
                    forget(move.path)
                    if !move.name.hasPrefix(".") { out.append(.directoryRemoved(watcher.absolute(move.path))) }
                } else if !watcher.ignore(move.name) {
                    out.append(.fileRemoved(watcher.absolute(move.path)))
                }
            }
        }

        // MARK: Watches

        /// Watches `relative` and every directory below it (hidden ones excepted), parents before children.
        mutating func watchTree(_ relative: String, into out: inout [InboxEvent]) {
            var stack = [relative]
            while let directory = stack.popLast() {
                let absolute = watcher.absolute(directory)
                let wd = inotify_add_watch(watcher.inotify, absolute, Inotify.watchMask)
                if wd < 0 {
                    let code = errno
                    if code == ENOSPC {
                        if !outOfWatches {
                            outOfWatches = true
                            out.append(.degraded(path: absolute, reason: Self.watchLimitReason()))
                        }
                    } else if code != ENOENT && code != ENOTDIR {
                        out.append(.degraded(path: absolute, reason: "cannot watch it: \(String(cString: strerror(code)))"))
                    }
                    continue
                }
                watcher.table.withLock { $0.set(wd, directory) }
                checkFilesystem(absolute, into: &out)
                guard let handle = opendir(absolute) else { continue }
                while let entry = readdir(handle) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                    }
                    if name.hasPrefix(".") { continue }
                    var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
                    if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                        var info = stat()
                        isDirectory = lstat(absolute + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                    }
                    if isDirectory { stack.append(WatchTable.join(directory, name)) }
                }
                closedir(handle)
            }
        }

        /// Stops watching `relative` and everything below it (it left the tree or was deleted).
        mutating func forget(_ relative: String) {
            let descriptors = watcher.table.withLock { t -> [Int32] in
                let wds = t.descriptors(under: relative)
                for wd in wds { t.remove(wd: wd) }
                return wds
            }
            for wd in descriptors { inotify_rm_watch(watcher.inotify, wd) }
        }

        mutating func checkFilesystem(_ absolute: String, into out: inout [InboxEvent]) {
            var info = stat()
            guard stat(absolute, &info) == 0, !reportedDevices.contains(UInt64(info.st_dev)) else { return }
            reportedDevices.insert(UInt64(info.st_dev))
            if let kind = FilesystemKind.unwatchable(absolute) {
                out.append(.degraded(path: absolute, reason: """
                    it is on \(kind), where changes made by other machines send no inotify events; polling it
                    """))
            }
        }

        static func watchLimitReason() -> String {
            let limit = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_user_watches", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            return "inotify watch limit reached (fs.inotify.max_user_watches = \(limit)); raise it with "
                + "sysctl fs.inotify.max_user_watches=524288 (persist it in /etc/sysctl.d/); polling this subtree meanwhile"
        }

        // MARK: The root

        mutating func rootGone(into out: inout [InboxEvent]) {
            guard !rootMissing else { return }
            rootMissing = true
            let all = watcher.table.withLock { t -> [Int32] in
                let wds = Array(t.pathByWD.keys)
                t.removeAll()
                return wds
            }
            for wd in all { inotify_rm_watch(watcher.inotify, wd) }
            pendingMoves.removeAll()
            out.append(.rootVanished(watcher.root))
        }

        mutating func checkRootReturned(into out: inout [InboxEvent]) {
            var info = stat()
            guard stat(watcher.root, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
            rootMissing = false
            reportedDevices.removeAll()
            watchTree("", into: &out)
            out.append(.rootReturned(watcher.root))
        }
    }
}
