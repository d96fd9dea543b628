/// Which directory each inotify watch descriptor stands for.
///
/// Events name their directory by watch descriptor (`wd`) only, so the watcher keeps this map from descriptor
/// to path relative to the root, and back. It is a tree, not two flat dictionaries, because directories move:
/// renaming `a` to `b` must re-label every descriptor below `a`, and removing `a` must drop all of them, in
/// time proportional to the size of that subtree rather than to the whole table (a drop folder can hold a
/// hundred thousand directories).
///
/// The table only records; it never calls the kernel. Operations that drop descriptors return them, and the
/// caller decides whether the kernel still holds a watch to remove (a directory moved out of the tree) or
/// already let it go (a deleted directory).
struct WatchTable {
    private struct Node {
        var path: String
        var parent: Int32?
        var children: [String: Int32] = [:]
    }

    private var nodes: [Int32: Node] = [:]
    private var watchByPath: [String: Int32] = [:]

    /// How many directories are watched.
    var count: Int { nodes.count }

    /// Every watch descriptor in the table.
    var allWatches: [Int32] { Array(nodes.keys) }

    /// The path of the directory `wd` watches.
    func path(of wd: Int32) -> String? {
        nodes[wd]?.path
    }

    /// The descriptor watching the directory at `path`.
    func watch(at path: String) -> Int32? {
        watchByPath[path]
    }

    /// What ``insert(_:at:)`` found.
    enum Insertion: Equatable {
        /// The directory was not in the table.
        case added
        /// The table already had this descriptor at this path.
        case alreadyThere
        /// The table had this descriptor at another path: the directory moved before the watcher heard of it.
        /// It and its subtree now carry the new path.
        case relocated(from: String)
    }

    /// Records that `wd` watches the directory at `path`.
    ///
    /// `inotify_add_watch` returns the existing descriptor when the directory (the inode) is already watched, so
    /// a descriptor seen at a new path is a directory that moved. Whatever the table believed was at `path`
    /// before, under another descriptor, is stale and dropped with its subtree; those descriptors are returned in
    /// `displaced`.
    mutating func insert(_ wd: Int32, at path: String) -> (insertion: Insertion, displaced: [Int32]) {
        if let existing = nodes[wd] {
            if existing.path == path { return (.alreadyThere, []) }
            let from = existing.path
            let displaced = move(from: from, to: path)
            return (.relocated(from: from), displaced)
        }
        var displaced: [Int32] = []
        if watchByPath[path] != nil {
            displaced = removeSubtree(at: path).map(\.wd)
        }
        let parent = RelativePath.parent(of: path).flatMap { watchByPath[$0] }
        nodes[wd] = Node(path: path, parent: parent)
        watchByPath[path] = wd
        if let parent {
            nodes[parent]?.children[RelativePath.name(of: path)] = wd
        }
        return (.added, displaced)
    }

    /// Drops the directory at `path` and everything below it; returns what was dropped.
    @discardableResult
    mutating func removeSubtree(at path: String) -> [(wd: Int32, path: String)] {
        guard let wd = watchByPath[path] else { return [] }
        return removeSubtree(of: wd)
    }

    /// Drops the directory `wd` watches and everything below it; returns what was dropped.
    @discardableResult
    mutating func removeSubtree(of wd: Int32) -> [(wd: Int32, path: String)] {
        guard let top = nodes[wd] else { return [] }
        if let parent = top.parent {
            nodes[parent]?.children[RelativePath.name(of: top.path)] = nil
        }
        var removed: [(wd: Int32, path: String)] = []
        var stack = [wd]
        while let current = stack.popLast() {
            guard let node = nodes.removeValue(forKey: current) else { continue }
            if watchByPath[node.path] == current { watchByPath[node.path] = nil }
            removed.append((current, node.path))
            stack += node.children.values
        }
        return removed
    }

    /// Re-labels the directory at `from`, and everything below it, as being at `to` (a rename inside the tree).
    ///
    /// Returns the descriptors displaced at `to` (a rename may replace an empty directory). Does nothing when
    /// `from` is not in the table.
    @discardableResult
    mutating func move(from: String, to: String) -> [Int32] {
        guard from != to, let wd = watchByPath[from], let node = nodes[wd] else { return [] }
        var displaced: [Int32] = []
        if watchByPath[to] != nil {
            displaced = removeSubtree(at: to).map(\.wd)
        }
        if let parent = node.parent {
            nodes[parent]?.children[RelativePath.name(of: from)] = nil
        }
        let newParent = RelativePath.parent(of: to).flatMap { watchByPath[$0] }
        nodes[wd]?.parent = newParent
        if let newParent {
            nodes[newParent]?.children[RelativePath.name(of: to)] = wd
        }
        var stack = [wd]
        while let current = stack.popLast() {
            guard let old = nodes[current]?.path else { continue }
            let new = RelativePath.rebase(old, from: from, to: to)
            if watchByPath[old] == current { watchByPath[old] = nil }
            watchByPath[new] = current
            nodes[current]?.path = new
            stack += nodes[current]?.children.values.map { $0 } ?? []
        }
        return displaced
    }

    /// Empties the table; returns every descriptor it held.
    mutating func removeAll() -> [Int32] {
        let all = allWatches
        nodes.removeAll()
        watchByPath.removeAll()
        return all
    }
}
