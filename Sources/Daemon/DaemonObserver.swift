/// Receives the daemon's life events: how the systemd glue (sd_notify) and tests follow it.
///
/// Every method has a default that does nothing.
public protocol DaemonObserver: Sendable {
    /// The watches are in place; the start-up reconcile may still be running.
    func daemonReady(_ status: DaemonStatus)
    /// About once a second, with `healthy` false while the pipeline is stuck (work queued, nothing committed
    /// for longer than the parse time limit). A watchdog should only be fed while it is true.
    func daemonTick(_ status: DaemonStatus, healthy: Bool)
    func daemonReloading()
    func daemonReloaded(_ status: DaemonStatus)
    func daemonStopping()
}

extension DaemonObserver {
    public func daemonReady(_ status: DaemonStatus) {}
    public func daemonTick(_ status: DaemonStatus, healthy: Bool) {}
    public func daemonReloading() {}
    public func daemonReloaded(_ status: DaemonStatus) {}
    public func daemonStopping() {}
}

/// An observer that does nothing.
public struct NoObserver: DaemonObserver {
    public init() {}
}
