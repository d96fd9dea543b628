/// Which files in a tree are articles.
///
/// Temporary names that editors, downloaders and `rsync` write before the final rename are never articles:
/// dotfiles (`.x.txt.AbCd12` is rsync's temp name), `*.tmp`, `*.part`, `*.swp`, `*~` and `.#*`.
public struct FileFilter: Sendable, Hashable {
    /// Extensions ingested, lowercased, without the dot.
    public var extensions: Set<String>

    public static let defaultExtensions: Set<String> = ["txt", "md", "json"]

    public init(extensions: Set<String> = FileFilter.defaultExtensions) {
        self.extensions = Set(extensions.map { $0.lowercased().trimmingPrefix(".") }.map(String.init))
    }

    /// Whether a file name (the last path component) looks temporary.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
            || name.hasSuffix(".swp") || name.hasSuffix(".crdownload")
    }

    /// Whether a file with this name is ingested when found in a folder.
    public func accepts(_ name: String) -> Bool {
        guard !Self.isTemporary(name), let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// Whether a directory with this name is descended into (hidden ones are not).
    public static func descends(into name: String) -> Bool {
        !name.hasPrefix(".")
    }
}
