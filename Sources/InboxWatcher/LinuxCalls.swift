import CLinux
import FilePaths

/// The two Linux calls Swift's Glibc module lacks, from the `CLinux` shim.
enum LinuxCalls {
    /// `statfs(path).f_type`: the magic number of the filesystem holding `path`, or nil when it cannot be told.
    static func filesystemMagic(ofPath path: String) -> UInt32? {
        var magic: UInt = 0
        let result = FileName.withPlatformPath(path) { marsad_filesystem_magic($0, &magic) }
        return result == 0 ? UInt32(truncatingIfNeeded: magic) : nil
    }

    /// Names the calling thread (at most 15 bytes show, in `top -H`, `ps -L` and debuggers).
    static func nameCurrentThread(_ name: String) {
        _ = marsad_name_current_thread(name)
    }
}
