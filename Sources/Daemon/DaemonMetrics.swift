import Foundation
public import ArticleIndex
public import Ingestion
public import Prometheus

/// The daemon's figures for Prometheus. The daemon has no network (its unit has `PrivateNetwork=yes`), so it
/// writes them, in the text exposition format, to `<db>.metrics.prom` about once a second (a new file renamed
/// over the old one, so a reader never sees half of it): `marsad serve` appends that file to its `/metrics`,
/// and node-exporter's textfile collector can read it too.
///
/// - counters: `marsad_daemon_files_indexed_total`, `…_replaced_total`, `…_duplicate_total`,
///   `marsad_daemon_files_failed_total{reason}` (``PreparationFailure/kind``), `marsad_daemon_renames_total`,
///   `marsad_daemon_removals_total`, `marsad_daemon_inotify_overflows_total`,
///   `marsad_daemon_reconciles_total{reason}`;
/// - gauges: `marsad_daemon_queue_depth`, `marsad_daemon_workers`, `marsad_daemon_degraded_folders`,
///   `marsad_daemon_index_degraded` (1 while the writer waits out a fault), `marsad_daemon_start_time_seconds`;
/// - histograms: `marsad_daemon_drop_to_searchable_seconds` (from a path's first event to the commit of its
///   article) and `marsad_daemon_batch_commit_seconds` (one transaction).
public final class DaemonMetrics: WriterObserver {
    let registry = PrometheusCollectorRegistry()
    let indexed: Counter, replaced: Counter, duplicate: Counter, renames: Counter, removals: Counter
    let overflows: Counter
    let queueDepth: Gauge, workers: Gauge, degradedFolders: Gauge, indexDegraded: Gauge, startTime: Gauge
    let dropToSearchable: DurationHistogram, batchCommit: DurationHistogram

    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60), .seconds(300),
    ]
    static let commitBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
    ]

    public init() {
        let r = registry
        indexed = r.counter("marsad_daemon_files_indexed_total", help: "Files indexed as new articles.")
        replaced = r.counter("marsad_daemon_files_replaced_total", help: "Files whose article was replaced.")
        duplicate = r.counter("marsad_daemon_files_duplicate_total",
                                  help: "Files whose content another file already holds.")
        renames = r.counter("marsad_daemon_renames_total", help: "Files and folders renamed in the index.")
        removals = r.counter("marsad_daemon_removals_total", help: "Files and folders removed from the index.")
        overflows = r.counter("marsad_daemon_inotify_overflows_total",
                                  help: "Times the inotify queue overflowed (each followed by a rescan).")
        queueDepth = r.gauge("marsad_daemon_queue_depth", help: "Paths waiting or being parsed.")
        workers = r.gauge("marsad_daemon_workers", help: "Parsing workers.")
        degradedFolders = r.gauge("marsad_daemon_degraded_folders",
                                      help: "Folders polled because inotify cannot watch them.")
        indexDegraded = r.gauge("marsad_daemon_index_degraded",
                                    help: "1 while the writer waits out a temporary fault (disk full, database busy).")
        startTime = r.gauge("marsad_daemon_start_time_seconds",
                                help: "When the daemon started, in seconds since the Unix epoch.")
        dropToSearchable = r.histogram("marsad_daemon_drop_to_searchable_seconds", buckets: Self.latencyBuckets,
            help: "From a file's first event to the commit of its article.")
        batchCommit = r.histogram("marsad_daemon_batch_commit_seconds", buckets: Self.commitBuckets,
                                              help: "Time to commit one batch of articles.")
        // Every reason and kind label shows from the start, at 0, so that rate() has a baseline.
        for kind in ["other", "store", "timeout", "too_large", "permission_denied", "io", "temporary", "not_regular",
                     "empty", "binary", "undecodable", "invalid_json", "no_text"] {
            _ = failedCounter(kind)
        }
    }

    func failedCounter(_ kind: String) -> Counter {
        registry.counter("marsad_daemon_files_failed_total", labels: [("reason", kind)],
                             help: "Files recorded as failed, by reason.")
    }

    public func committed(articles: Int, duration: Duration) { batchCommit.record(duration) }

    public func stored(_ outcome: StoreOutcome, waited: Duration?) {
        switch outcome {
        case .indexed: indexed.increment()
        case .replaced: replaced.increment()
        case .duplicate: duplicate.increment()
        case .unchanged: return
        }
        if let waited { dropToSearchable.record(waited) }
    }

    public func failed(kind: String) { failedCounter(kind).increment() }
    public func renamed() { renames.increment() }
    public func removed() { removals.increment() }

    func overflowed() { overflows.increment() }

    func reconciled(_ reason: ReconcileReason) {
        registry.counter("marsad_daemon_reconciles_total", labels: [("reason", reason.rawValue)],
                             help: "Reconciles of the inbox against the index, by reason.").increment()
    }

    public static func path(database: String) -> String { database + ".metrics.prom" }

    /// Sets the gauges from `status` and writes the file atomically (nothing is written when the disk is full:
    /// the previous figures stay, and the status file says why).
    func write(_ status: DaemonStatus, workers count: Int, database: String) {
        queueDepth.set(Double(status.queueDepth) as Double)
        workers.set(Double(count) as Double)
        degradedFolders.set(Double(status.degraded.count))
        indexDegraded.set(status.indexDegraded == nil ? 0.0 : 1.0)
        startTime.set(status.startedAt)
        let target = Self.path(database: database)
        let temp = target + ".tmp"
        if FileManager.default.createFile(atPath: temp, contents: Data(registry.emitToBuffer())), rename(temp, target) == 0 {
            return
        }
        unlink(temp)
    }
}

extension PrometheusCollectorRegistry {
    /// A counter, gauge or histogram named in full (units already in `name`: `_seconds`, `_bytes`, `_total`), with
    /// its `# HELP` line: the registry hands back the same collector for the same name and labels.
    public func counter(_ name: String, labels: [(String, String)] = [], help: String) -> Counter {
        makeCounter(descriptor: .init(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    public func gauge(_ name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        makeGauge(descriptor: .init(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    public func histogram(_ name: String, labels: [(String, String)] = [], buckets: [Duration],
                          help: String) -> DurationHistogram {
        makeDurationHistogram(descriptor: .init(metricName: name, unitName: "", helpText: help), labels: labels,
                              buckets: buckets)
    }
}
