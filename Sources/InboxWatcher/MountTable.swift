import Glibc

/// Notices filesystems being mounted or unmounted inside the tree.
///
/// Mounting a filesystem on a directory produces no inotify event, and the directory's watch stays on the
/// *covered* inode: files written into the new mount would go unreported forever. An NFS share or a USB disk
/// mounted into the drop folder after the daemon started is exactly that case. Linux makes
/// `/proc/self/mountinfo` pollable for it: `poll(2)` reports `POLLPRI | POLLERR` after each change to the
/// process's mount table (and re-arms by itself). The reader polls it next to the inotify descriptor, and on
/// a change compares the mount points inside the root with the previous list: each one that appeared or
/// disappeared is watched afresh (its directory is a different inode now) and announced, or reported as
/// degraded when the new filesystem is NFS, SMB, FUSE and the like.
///
/// Where `/proc` is not mounted the watcher does without (and mounts inside the tree go unnoticed until an
/// overflow or a restart re-walks it).
final class MountTable {
    /// The descriptor to poll for `POLLPRI`, or -1 when `/proc/self/mountinfo` cannot be opened.
    private(set) var fd: Int32

    init() {
        fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
    }

    deinit {
        close()
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    /// The mount points at or inside `realRoot` (a canonical absolute path), relative to it (`""` when the
    /// root itself is a mount point).
    func mountPoints(inside realRoot: String) -> Set<String> {
        guard fd >= 0, let text = readAll() else { return [] }
        return Self.mountPoints(inMountInfo: text, inside: realRoot)
    }

    /// Parses mountinfo text (see proc(5)): the fifth field of each line is the mount point, with space, tab,
    /// newline and backslash written as octal escapes (`\040`).
    static func mountPoints(inMountInfo text: String, inside realRoot: String) -> Set<String> {
        let prefix = realRoot == "/" ? "/" : realRoot + "/"
        var found: Set<String> = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count > 4 else { continue }
            let point = unescape(fields[4])
            if point == realRoot {
                found.insert("")
            } else if point.hasPrefix(prefix) {
                found.insert(String(point.dropFirst(prefix.count)))
            }
        }
        return found
    }

    private static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
                let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The whole file, read from the start (a seq_file regenerates it on each pass).
    private func readAll() -> String? {
        guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The canonical absolute path of `path` (symbolic links resolved), as mountinfo spells mount points.
    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
