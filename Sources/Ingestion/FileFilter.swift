import FilePaths
#if canImport(Glibc)
import Glibc
#endif

/// Which files in a tree are articles.
///
/// Temporary names that editors, downloaders and `rsync` write before the final rename are never articles:
/// dotfiles (`.x.txt.AbCd12` is rsync's temp name), `*.tmp`, `*.part`, `*.swp`, `*~` and `.#*`.
public struct FileFilter: Sendable, Hashable {
    /// Extensions ingested, lowercased, without the dot.
    public var extensions: Set<String>

    /// Shell patterns (`fnmatch`) of file names taken whatever their extension.
    public var include: [String]
    /// Shell patterns of file names never taken.
    public var exclude: [String]

    public static let defaultExtensions: Set<String> = ["txt", "md", "json"]

    public init(extensions: Set<String> = FileFilter.defaultExtensions, include: [String] = [],
                exclude: [String] = []) {
        self.extensions = Set(extensions.map { $0.lowercased().trimmingPrefix(".") }.map(String.init))
        self.include = include
        self.exclude = exclude
    }

    /// Whether a file name (the last path component) looks temporary (``TemporaryName``).
    public static func isTemporary(_ name: String) -> Bool {
        TemporaryName.matches(name)
    }

    /// Whether a file with this name is ingested when found in a folder.
    public func accepts(_ name: String) -> Bool {
        guard !Self.isTemporary(name), !exclude.contains(where: { Self.matches(name, $0) }) else { return false }
        if include.contains(where: { Self.matches(name, $0) }) { return true }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }

    static func matches(_ name: String, _ pattern: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }

    /// Whether a directory with this name is descended into (hidden ones are not).
    public static func descends(into name: String) -> Bool {
        !name.hasPrefix(".")
    }
}
