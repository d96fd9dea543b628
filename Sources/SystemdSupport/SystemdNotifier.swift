import CSystemd
import Foundation
import Synchronization

/// Tells systemd how a service is doing, through `sd_notify`. Does nothing when `NOTIFY_SOCKET` is unset.
///
/// It knows nothing of the daemon: the executable turns the daemon's events into these calls.
///
/// - `READY=1` once the watches are in place (the start-up reconcile may continue; STATUS says so);
/// - `STATUS=watching /srv/marsad/inbox · 12,345 articles · queue 0 · 2 failed`, kept current;
/// - `WATCHDOG=1` at half of `WATCHDOG_USEC`, and only while the pipeline is healthy, so a stuck writer gets
///   the service restarted by `WatchdogSec=`;
/// - `RELOADING=1` and `READY=1` around a SIGHUP reload; `STOPPING=1` on shutdown.
public final class SystemdNotifier: Sendable {
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

    /// `READY=1` with the first STATUS line.
    public func ready(status: String) {
        send("READY=1\nSTATUS=\(status)")
    }

    /// The STATUS line, sent only when it changed, and `WATCHDOG=1` when it is due and `healthy`.
    public func tick(status: String, healthy: Bool) {
        var lines: [String] = []
        if lastStatus.changed(to: status) { lines.append("STATUS=\(status)") }
        if healthy, let every = watchdogEvery, lastWatchdog.due(every) { lines.append("WATCHDOG=1") }
        if !lines.isEmpty { send(lines.joined(separator: "\n")) }
    }

    public func reloading() {
        send("RELOADING=1\nSTATUS=reloading the configuration")
    }

    public func stopping() {
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
