/// Which directory each watch descriptor stands for, as a path relative to the root ("" is the root).
///
/// inotify reports a watch descriptor and a name; this table turns them into paths, and follows directories
/// that are renamed inside the tree (the kernel keeps their descriptors, only the path changes).
struct WatchTable {
    private(set) var pathByWD: [Int32: String] = [:]
    private var wdByPath: [String: Int32] = [:]

    var count: Int { pathByWD.count }

    func path(_ wd: Int32) -> String? { pathByWD[wd] }
    func wd(_ path: String) -> Int32? { wdByPath[path] }

    mutating func set(_ wd: Int32, _ path: String) {
        if let old = pathByWD[wd], wdByPath[old] == wd { wdByPath.removeValue(forKey: old) }
        pathByWD[wd] = path
        wdByPath[path] = wd
    }

    mutating func remove(wd: Int32) {
        if let path = pathByWD.removeValue(forKey: wd), wdByPath[path] == wd { wdByPath.removeValue(forKey: path) }
    }

    /// The descriptors of `path` and everything below it.
    func descriptors(under path: String) -> [Int32] {
        pathByWD.compactMap { Self.isAt(path, orBelow: $0.value) ? $0.key : nil }
    }

    /// Moves `from` and everything below it to `to`.
    mutating func move(from: String, to: String) {
        for (wd, path) in pathByWD where Self.isAt(from, orBelow: path) {
            set(wd, to + path.dropFirst(from.count))
        }
    }

    mutating func removeAll() {
        pathByWD.removeAll()
        wdByPath.removeAll()
    }

    static func isAt(_ base: String, orBelow path: String) -> Bool {
        base.isEmpty || path == base || path.hasPrefix(base + "/")
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }
}
