import Foundation

/// Filesystems whose changes made elsewhere (another client, the server) send no inotify events.
///
/// Read from `/proc/self/mountinfo`: the mount holding the path is the one with the longest mount point that
/// is a prefix of it; its filesystem type decides.
enum FilesystemKind {
    static let withoutEvents: [String: String] = [
        "nfs": "NFS", "nfs4": "NFS", "cifs": "SMB/CIFS", "smb3": "SMB", "smbfs": "SMB", "9p": "9P",
        "ceph": "CephFS", "glusterfs": "GlusterFS", "lustre": "Lustre", "gpfs": "GPFS", "afs": "AFS",
        "coda": "Coda", "ncpfs": "NCP", "vboxsf": "VirtualBox shared folder", "virtiofs": "virtiofs",
    ]

    /// The name of the filesystem at `path` when inotify cannot be trusted on it, else nil.
    static func unwatchable(_ path: String) -> String? {
        guard let type = fsType(of: path) else { return nil }
        if type.hasPrefix("fuse") { return "FUSE (\(type))" }
        return withoutEvents[type]
    }

    static func fsType(of path: String) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        var best: (point: String, type: String)?
        for line in text.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let fields = halves[0].split(separator: " ")
            guard fields.count >= 5, let type = halves[1].split(separator: " ").first else { continue }
            let point = unescape(String(fields[4]))
            let inside = point == "/" || path == point || path.hasPrefix(point + "/")
            if inside && point.count >= (best?.point.count ?? -1) { best = (point, String(type)) }
        }
        return best?.type
    }

    /// mountinfo escapes spaces and the like as `\040`.
    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var chars = Array(s)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\", i + 3 < chars.count, let code = UInt8(String(chars[(i + 1)...(i + 3)]), radix: 8) {
                out.append(Character(UnicodeScalar(code)))
                i += 4
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        chars.removeAll()
        return out
    }
}
