/// Paths relative to the watched root, as plain strings: `""` is the root itself, `"a/b"` is below it.
///
/// The watcher keeps relative paths internally (they survive the root being given as `"/srv/inbox/"` or
/// `"inbox"`) and makes them absolute only when it reports an event or makes a system call.
enum RelativePath {
    /// `name` inside `directory`.
    static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }

    /// The directory holding `path`, or nil for the root.
    static func parent(of path: String) -> String? {
        guard !path.isEmpty else { return nil }
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// The last component of `path` (empty for the root).
    static func name(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// Whether `path` is `ancestor` or lies below it.
    static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        if ancestor.isEmpty || path == ancestor { return true }
        return path.hasPrefix(ancestor) && path.utf8.dropFirst(ancestor.utf8.count).first == UInt8(ascii: "/")
    }

    /// `path`, which lies within `from`, moved to lie within `to` instead.
    static func rebase(_ path: String, from: String, to: String) -> String {
        if path == from { return to }
        let rest = path.utf8.dropFirst(from.isEmpty ? 0 : from.utf8.count + 1)
        return join(to, String(Substring(rest)))
    }
}
