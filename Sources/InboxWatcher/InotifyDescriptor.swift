import FilePaths
import Glibc
import SystemPackage

/// An inotify instance and the pipe that interrupts waiting on it.
///
/// The reader thread sleeps in `poll(2)` on two descriptors: the inotify descriptor (events to read) and the
/// read end of a pipe (``WakeSignal``, written by `stop()`). Both are non-blocking and close-on-exec, so a `cp`
/// or `rsync` the daemon starts never inherits them.
///
/// Only the reader thread touches the inotify descriptor once reading has started, and only it closes it, so
/// no other thread can be using a number the kernel has already handed to a new file.
final class InotifyDescriptor {
    /// The raw descriptor, for `poll`; -1 once closed.
    private(set) var fd: Int32

    /// Creates an inotify instance (`inotify_init1(IN_NONBLOCK | IN_CLOEXEC)`).
    init() throws(InboxWatcherError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        guard fd >= 0 else {
            let code = errno
            var reason = "inotify_init1 failed: \(String(cString: strerror(code)))"
            if code == EMFILE {
                let limit = Self.readLimit("max_user_instances").map(String.init) ?? "?"
                reason += " (fs.inotify.max_user_instances = \(limit); raise it: "
                    + "sysctl fs.inotify.max_user_instances=1024, and persist it in /etc/sysctl.d/)"
            }
            throw .inotifyUnavailable(reason: reason)
        }
        self.fd = fd
    }

    /// Adds a watch (or updates the mask of an existing one) on the directory at `path`; returns its watch
    /// descriptor, or the `errno` of the failure.
    func addWatch(_ path: String, mask: InotifyMask) -> Result<Int32, Errno> {
        let wd = FileName.withPlatformPath(path) { inotify_add_watch(fd, $0, mask.rawValue) }
        return wd >= 0 ? .success(wd) : .failure(Errno(rawValue: errno))
    }

    /// Removes a watch. The kernel answers with an `IN_IGNORED` event for it. Failure (the watch is already
    /// gone) is harmless and ignored.
    func removeWatch(_ wd: Int32) {
        _ = inotify_rm_watch(fd, wd)
    }

    /// One `read(2)` into `buffer`: the number of bytes read, 0 when nothing is queued, or the `errno`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return .success(count) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .success(0) }
            return .failure(Errno(rawValue: code))
        }
    }

    /// Closes the descriptor; the kernel drops every watch with it. Idempotent.
    func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }

    deinit {
        close()
    }

    /// A value from `/proc/sys/fs/inotify/` (`max_user_watches`, `max_queued_events`, `max_user_instances`).
    static func readLimit(_ name: String) -> Int? {
        guard let file = fopen("/proc/sys/fs/inotify/" + name, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 64)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int(text.trimmingSuffix(while: { $0 == "\n" || $0 == " " }))
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[..<end]
    }
}
