import Foundation

/// What a running daemon publishes about itself for `marsad status` and `marsad wait`, in `<db>.status.json`.
///
/// Written atomically (a temporary file renamed over the old one) about once a second and whenever the queue
/// drains, so readers never see half a file. It is only trusted while the daemon's lock is held.
public struct DaemonStatus: Sendable, Codable, Hashable {
    public var pid: Int32
    public var inbox: String
    public var mode: String
    /// `starting`, `reconciling`, `watching`, `polling` or `stopping`.
    public var state: String
    public var startedAt: Double
    public var updatedAt: Double
    public var queueDepth: Int
    /// Articles in the index.
    public var articles: Int
    /// Articles committed since start (indexed, replaced or duplicate), and failures since start.
    public var indexedSinceStart: Int
    public var failedSinceStart: Int
    /// Files per second over the last ten seconds.
    public var ingestRate: Double
    public var watchedDirectories: Int
    /// Subtrees polled instead of watched, with the reason.
    public var degraded: [String]
    /// Why the writer cannot write to the index right now ("disk full: …", "database busy: …"), while it waits
    /// the fault out; nil when it can.
    public var indexDegraded: String?

    enum CodingKeys: String, CodingKey {
        case pid, inbox, mode, state, startedAt = "started_at", updatedAt = "updated_at", queueDepth = "queue_depth", articles
        case indexedSinceStart = "indexed_since_start", failedSinceStart = "failed_since_start"
        case ingestRate = "ingest_rate", watchedDirectories = "watched_directories", degraded
        case indexDegraded = "index_degraded"
    }

    public init(pid: Int32, inbox: String, mode: String, state: String, startedAt: Double, updatedAt: Double,
                queueDepth: Int, articles: Int, indexedSinceStart: Int, failedSinceStart: Int, ingestRate: Double,
                watchedDirectories: Int, degraded: [String], indexDegraded: String? = nil) {
        self.pid = pid
        self.inbox = inbox
        self.mode = mode
        self.state = state
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.queueDepth = queueDepth
        self.articles = articles
        self.indexedSinceStart = indexedSinceStart
        self.failedSinceStart = failedSinceStart
        self.ingestRate = ingestRate
        self.watchedDirectories = watchedDirectories
        self.degraded = degraded
        self.indexDegraded = indexDegraded
    }

    /// The one-line summary systemd shows as the unit's STATUS=.
    public var summary: String {
        var parts = ["\(state) \(inbox)", "\(articles.formatted()) articles"]
        parts.append("queue \(queueDepth)")
        if failedSinceStart > 0 { parts.append("\(failedSinceStart) failed") }
        if !degraded.isEmpty { parts.append("polling \(degraded.count) folder(s)") }
        if let indexDegraded { parts.append("degraded: \(indexDegraded)") }
        return parts.joined(separator: " · ")
    }

    public static func path(database: String) -> String { database + ".status.json" }

    /// Writes the status file atomically (a new file renamed over the old one).
    ///
    /// When the disk is full — the very moment the status must say so — no new file can be made: the old one
    /// is then overwritten in place. It is under a kilobyte, so it stays inside the page it already has.
    public func write(database: String) {
        let target = Self.path(database: database)
        let temp = target + ".tmp"
        guard let data = try? JSONEncoder().encode(self) else { return }
        if FileManager.default.createFile(atPath: temp, contents: data), rename(temp, target) == 0 {
            return
        }
        unlink(temp)
        let fd = open(target, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let written = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        if written == data.count { _ = ftruncate(fd, off_t(data.count)) }
    }

    /// The status of the daemon running on `database`, or nil when none runs. A daemon that has not written
    /// its first status yet (the file is missing, or still a killed predecessor's) shows as `starting`.
    public static func read(database: String) -> DaemonStatus? {
        guard let pid = InstanceLock.holder(database: database) else { return nil }
        if let data = FileManager.default.contents(atPath: path(database: database)),
           let status = try? JSONDecoder().decode(DaemonStatus.self, from: data), status.pid == pid {
            return status
        }
        let now = Date().timeIntervalSince1970
        return DaemonStatus(pid: pid, inbox: "", mode: "", state: "starting", startedAt: now, updatedAt: now,
                            queueDepth: 0, articles: 0, indexedSinceStart: 0, failedSinceStart: 0, ingestRate: 0,
                            watchedDirectories: 0, degraded: [])
    }

    /// Removes a status file left by a daemon that did not stop cleanly.
    static func removeStale(database: String) {
        try? FileManager.default.removeItem(atPath: path(database: database))
    }
}
