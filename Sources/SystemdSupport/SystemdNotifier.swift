public import Daemon
import CSystemd
import Foundation
import Synchronization

/// Tells systemd how the daemon is doing, through `sd_notify`. Does nothing when `NOTIFY_SOCKET` is unset.
///
/// - `READY=1` once the watches are in place (the start-up reconcile may continue; STATUS says so);
/// - `STATUS=watching /srv/marsad/inbox · 12,345 articles · queue 0 · 2 failed`, kept current;
/// - `WATCHDOG=1` at half of `WATCHDOG_USEC`, and only while the pipeline is healthy, so a stuck writer gets
///   the service restarted by `WatchdogSec=`;
/// - `RELOADING=1` and `READY=1` around a SIGHUP reload; `STOPPING=1` on shutdown.
public final class SystemdNotifier: DaemonObserver {
    let send: @Sendable (String) -> Void
    /// Half the watchdog interval, or nil when systemd set no watchdog.
    let watchdogEvery: Duration?
    let lastWatchdog: LastSent
    let lastStatus = LastStatus()

    /// - Parameter send: where notifications go; by default `sd_notify` (tests pass their own).
    public init(send: (@Sendable (String) -> Void)? = nil) {
        self.send = send ?? { state in _ = state.withCString { sd_notify(0, $0) } }
        var usec: UInt64 = 0
        watchdogEvery = sd_watchdog_enabled(0, &usec) > 0 ? .microseconds(Int64(usec / 2)) : nil
        lastWatchdog = LastSent()
    }

    /// The short STATUS line.
    public static func statusLine(_ s: DaemonStatus) -> String {
        var parts = ["\(s.state) \(s.inbox)", "\(s.articles.formatted()) articles"]
        parts.append("queue \(s.queueDepth)")
        if s.failedSinceStart > 0 { parts.append("\(s.failedSinceStart) failed") }
        if !s.degraded.isEmpty { parts.append("polling \(s.degraded.count) folder(s)") }
        return parts.joined(separator: " · ")
    }

    public func daemonReady(_ status: DaemonStatus) {
        send("READY=1\nSTATUS=\(Self.statusLine(status))")
    }

    public func daemonTick(_ status: DaemonStatus, healthy: Bool) {
        var lines: [String] = []
        let line = Self.statusLine(status)
        if lastStatus.changed(to: line) { lines.append("STATUS=\(line)") }
        if healthy, let every = watchdogEvery, lastWatchdog.due(every) { lines.append("WATCHDOG=1") }
        if !lines.isEmpty { send(lines.joined(separator: "\n")) }
    }

    public func daemonReloading() {
        send("RELOADING=1\nSTATUS=reloading the configuration")
    }

    public func daemonReloaded(_ status: DaemonStatus) {
        send("READY=1\nSTATUS=\(Self.statusLine(status))")
    }

    public func daemonStopping() {
        send("STOPPING=1\nSTATUS=stopping")
    }
}

/// When the watchdog was last fed.
final class LastSent: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    /// True, and remembers now, when `interval` has passed since the last time.
    func due(_ interval: Duration) -> Bool {
        last.withLock { last in
            let now = ContinuousClock.now
            if let previous = last, now - previous < interval { return false }
            last = now
            return true
        }
    }
}

/// The STATUS line last sent, so an unchanged one is not sent again.
final class LastStatus: Sendable {
    private let line = Mutex<String?>(nil)

    /// True, and remembers `new`, when it differs from the last line.
    func changed(to new: String) -> Bool {
        line.withLock { old in
            if old == new { return false }
            old = new
            return true
        }
    }
}
