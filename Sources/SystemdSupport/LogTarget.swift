public import Foundation

/// Where logs go: decided once at start.
public enum LogTarget: String, Sendable, CaseIterable {
    /// journald when stderr is connected to it, the console otherwise.
    case auto
    case journald
    case console

    /// journald when `JOURNAL_STREAM` (set by systemd, `DEVICE:INODE`) names the file standard error is.
    /// A child process that inherits the variable but not the stream stays on the console.
    public static func stderrIsJournal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// What `auto` resolves to here.
    public func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) -> LogTarget {
        guard self == .auto else { return self }
        return Self.stderrIsJournal(environment: environment) ? .journald : .console
    }
}
