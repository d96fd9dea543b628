public import ArticleIndex
import Foundation

/// What `marsad status --json` and `GET /api/status` answer: the index's counts (read now), plus `queue_depth`
/// and `daemon`, the running daemon's last snapshot (`daemon.updated_at` says when it was taken, so a reader
/// can tell how old its queue and rate are).
public struct StatusReport: Encodable, Sendable {
    public var index: IndexStatus
    public var daemon: DaemonStatus?
    public var now: Double

    /// - Parameter now: the time the uptime is counted to (default: now).
    public init(index: IndexStatus, daemon: DaemonStatus?, now: Double? = nil) {
        self.index = index
        self.daemon = daemon
        self.now = now ?? Date().timeIntervalSince1970
    }

    enum CodingKeys: String, CodingKey { case daemon, queueDepth = "queue_depth" }
    enum DaemonKeys: String, CodingKey {
        case running, pid, inbox, uptimeS = "uptime_s", state, mode, ingestRate = "ingest_rate", degraded
        case updatedAt = "updated_at", indexDegraded = "index_degraded"
    }

    public func encode(to encoder: any Encoder) throws {
        try index.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(daemon?.queueDepth ?? 0, forKey: .queueDepth)
        var d = container.nestedContainer(keyedBy: DaemonKeys.self, forKey: .daemon)
        try d.encode(daemon != nil, forKey: .running)
        if let daemon {
            try d.encode(daemon.pid, forKey: .pid)
            try d.encode(daemon.inbox, forKey: .inbox)
            try d.encode(Int(now - daemon.startedAt), forKey: .uptimeS)
            try d.encode(daemon.state, forKey: .state)
            try d.encode(daemon.mode, forKey: .mode)
            try d.encode(daemon.ingestRate, forKey: .ingestRate)
            try d.encode(daemon.degraded, forKey: .degraded)
            try d.encode(daemon.updatedAt, forKey: .updatedAt)
            try d.encodeIfPresent(daemon.indexDegraded, forKey: .indexDegraded)
        }
    }
}
