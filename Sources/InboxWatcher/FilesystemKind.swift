/// Filesystems on which inotify cannot be trusted to see every change.
///
/// inotify is implemented in the Linux VFS: it reports what *this kernel* does to a directory. On a network or
/// userspace filesystem, files written by another machine (an NFS client, a Windows share's other users, the
/// host of a VM sharing a folder over 9p or virtiofs, a FUSE daemon syncing from the cloud) change the
/// directory without this kernel doing anything, so no event is ever produced. Such a subtree is reported as
/// ``InboxEvent/degraded(path:reason:)`` for the consumer to poll, and the watcher puts no watch on it (events
/// that cover only some changes would suggest the subtree is watched when it is not).
///
/// The filesystem is recognized by `statfs(2)`'s `f_type` magic number (see statfs(2) and
/// `<linux/magic.h>`), looked up for every directory as it is watched, so a network share mounted anywhere
/// inside the tree is caught where it begins.
struct FilesystemKind: Sendable, Hashable {
    /// The `f_type` magic number.
    let magic: UInt32

    /// The filesystem's common name when inotify misses changes on it; nil for local filesystems.
    var nameWithoutReliableEvents: String? {
        Self.withoutReliableEvents[magic]
    }

    /// The kind of the filesystem holding `path`, or nil when `statfs` fails (the path vanished).
    static func of(path: String) -> FilesystemKind? {
        LinuxCalls.filesystemMagic(ofPath: path).map(FilesystemKind.init(magic:))
    }

    /// Why a directory on this filesystem is polled, for ``InboxEvent/degraded(path:reason:)``.
    func degradedReason(for path: String) -> String? {
        guard let name = nameWithoutReliableEvents else { return nil }
        let hex = "0x" + String(magic, radix: 16, uppercase: true)
        return "\(path) is on \(name) (statfs f_type \(hex)): inotify does not see changes made by other machines "
            + "or by the filesystem's server there; polling this subtree instead"
    }

    /// Network, cluster and userspace filesystems: changes can come from outside this kernel.
    static let withoutReliableEvents: [UInt32: String] = [
        0x6969: "NFS",
        0x517B: "SMB",
        0xFF53_4D42: "CIFS",
        0xFE53_4D42: "SMB2/SMB3",
        0x6573_5546: "FUSE (sshfs, rclone, virtiofs, gvfs, …)",
        0x0102_1997: "9P (v9fs: WSL2 Windows drives, QEMU and container shared folders)",
        0x00C3_6400: "CephFS",
        0x7375_7245: "Coda",
        0x564C: "NCP (NetWare)",
        0x5346_414F: "AFS",
        0x6B41_4653: "kAFS",
        0x7461_636F: "OCFS2",
        0x0116_1970: "GFS2",
        0x0BD0_0BD0: "Lustre",
        0x4750_4653: "GPFS",
        0x1983_0326: "BeeGFS",
        0x2003_0528: "OrangeFS",
        0x786F_4256: "VirtualBox shared folder (vboxsf)",
        0xBACB_ACBC: "VMware shared folder (vmhgfs)",
    ]
}
