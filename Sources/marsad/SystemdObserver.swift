import Daemon
import SystemdSupport

/// The daemon's life, told to systemd: the glue between `Daemon` and the `SystemdSupport` leaf.
///
/// - `READY=1` once the watches are in place (the start-up reconcile may continue; STATUS says so);
/// - `STATUS=watching /srv/marsad/inbox · 12,345 articles · queue 0 · 2 failed`, kept current;
/// - `WATCHDOG=1` at half of `WATCHDOG_USEC`, and only while the pipeline is healthy, so a stuck writer gets
///   the service restarted by `WatchdogSec=`;
/// - `RELOADING=1` and `READY=1` around a SIGHUP reload; `STOPPING=1` on shutdown.
struct SystemdObserver: DaemonObserver {
    let notifier: SystemdNotifier

    func daemonReady(_ status: DaemonStatus) { notifier.ready(status: status.summary) }
    func daemonTick(_ status: DaemonStatus, healthy: Bool) { notifier.tick(status: status.summary, healthy: healthy) }
    func daemonReloading() { notifier.reloading() }
    func daemonReloaded(_ status: DaemonStatus) { notifier.ready(status: status.summary) }
    func daemonStopping() { notifier.stopping() }
}
