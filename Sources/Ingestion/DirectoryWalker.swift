import FilePaths
#if canImport(Glibc)
import Glibc
#endif

/// Lists the article files below a directory without reading them.
///
/// Symbolic links are not followed (so nothing outside the tree is reached), and special files (FIFOs, sockets,
/// devices) are left out. Directories that cannot be opened are reported, not fatal.
public struct DirectoryWalker: Sendable {
    public var filter: FileFilter

    public init(filter: FileFilter = FileFilter()) {
        self.filter = filter
    }

    /// Every accepted regular file below `root`, depth first, in name order; and the directories that could not
    /// be read, with the reason.
    public func files(under root: String) -> (files: [String], unreadable: [(path: String, reason: String)]) {
        var files: [String] = []
        var unreadable: [(String, String)] = []
        var stack = [root]
        while let dir = stack.popLast() {
            guard let handle = FileName.withPlatformPath(dir, { opendir($0) }) else {
                unreadable.append((dir, String(cString: strerror(errno))))
                continue
            }
            var subdirs: [String] = []
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    FileName.decode(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name == "." || name == ".." { continue }
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var info = stat()
                    guard FileName.withPlatformPath(path, { lstat($0, &info) }) == 0 else { continue }
                    type = (info.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR)
                        : (info.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : Int32(DT_UNKNOWN)
                }
                if type == Int32(DT_DIR) {
                    if FileFilter.descends(into: name) { subdirs.append(path) }
                } else if type == Int32(DT_REG), filter.accepts(name) {
                    names.append(path)
                }
            }
            closedir(handle)
            // Byte order: canonically equal names (NFC and NFD) stay two entries, in a stable order.
            files += names.sorted(by: PathKey.precedes)
            stack += subdirs.sorted(by: PathKey.precedes).reversed()
        }
        return (files, unreadable)
    }
}
