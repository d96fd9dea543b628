/// The names that editors, downloaders and `rsync` write before the final rename: never articles.
///
/// Dotfiles (`.x.txt.AbC123` is rsync's temporary name, `.#x.txt` an Emacs lock, `.x.txt.swp` a Vim swap
/// file), and names ending in `.tmp`, `.part` (Firefox, wget, curl), `.crdownload` (Chrome), `.swp` or `~`
/// (editors' backups). The watcher's events and the folder walk use this one rule, so a scan and the events
/// agree.
public enum TemporaryName {
    /// Whether a file name (the last path component) looks temporary.
    public static func matches(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
            || name.hasSuffix(".swp") || name.hasSuffix(".crdownload")
    }
}
