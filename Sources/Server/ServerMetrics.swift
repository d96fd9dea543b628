import ArticleIndex
import Daemon

import Foundation
import Synchronization
import Hummingbird
public import Prometheus


/// What `GET /metrics` shows, in Prometheus's text format, through swift-prometheus:
///
/// - HTTP: `marsad_http_requests_total{route,method,status}`, `marsad_http_request_duration_seconds{route}`
///   (a histogram), `marsad_http_errors_total{route,status}` (4xx and 5xx); `route` is the route's pattern
///   (`/api/articles/{id}`), never the raw path, so that ids and typos cannot grow the label set;
/// - the index, read at each scrape: `marsad_articles`, `marsad_duplicate_files`, `marsad_failed_files`,
///   `marsad_files`, `marsad_index_bytes`, `marsad_stale_articles`;
/// - streams and alerts: `marsad_streams`, `marsad_alerts`, `marsad_alert_matches_total`,
///   `marsad_webhook_calls_total{result}`;
/// - the process, from `/proc/self`: `process_resident_memory_bytes`, `process_cpu_seconds_total`,
///   `process_open_fds`, `process_max_fds`, `process_start_time_seconds` (the names every Prometheus client
///   library uses);
/// - and, when a daemon runs on the index, the daemon's own figures, which it writes to `<db>.metrics.prom`
///   (it has no network), appended as they are.
///
/// The registry also backs swift-metrics (`MetricsSystem.bootstrap(PrometheusMetricsFactory(registry:))` in
/// `marsad serve`), so metrics that libraries report through swift-metrics appear here too.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2),
        .seconds(5), .seconds(10),
    ]

    let articles: Gauge, duplicates: Gauge, failed: Gauge, files: Gauge, indexBytes: Gauge, stale: Gauge
    let indexUp: Gauge
    let streams: Gauge, alerts: Gauge
    let alertMatches: Counter, webhookDelivered: Counter, webhookFailed: Counter
    let residentMemory: Gauge, openFDs: Gauge, maxFDs: Gauge, startTime: Gauge
    /// A counter (the name ends in `_total`), advanced to /proc's figure at each scrape.
    let cpuSeconds: Counter
    private let cpuCounted = Mutex(0.0)

    public init() {
        let r = registry
        articles = r.gauge("marsad_articles", help: "Articles in the index.")
        duplicates = r.gauge("marsad_duplicate_files", help: "Files whose content another file already holds.")
        failed = r.gauge("marsad_failed_files", help: "Files that could not be indexed.")
        files = r.gauge("marsad_files", help: "Files in the index's ledger.")
        indexBytes = r.gauge("marsad_index_bytes", help: "Size of the index files (database and WAL).")
        stale = r.gauge("marsad_stale_articles", help: "Articles made by an older parser, waiting to be parsed again.")
        indexUp = r.gauge("marsad_index_up", help: "1 when serve could read the index at this scrape.")
        streams = r.gauge("marsad_streams", help: "Open /api/stream and /api/alerts/stream clients.")
        alerts = r.gauge("marsad_alerts", help: "Saved searches.")
        alertMatches = r.counter("marsad_alert_matches_total", help: "Articles matched by a saved search.")
        webhookDelivered = r.counter("marsad_webhook_calls_total", labels: [("result", "delivered")],
                                         help: "Webhook calls, by result.")
        webhookFailed = r.counter("marsad_webhook_calls_total", labels: [("result", "failed")],
                                      help: "Webhook calls, by result.")
        residentMemory = r.gauge("process_resident_memory_bytes", help: "Resident memory size in bytes.")
        cpuSeconds = r.counter("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.")
        openFDs = r.gauge("process_open_fds", help: "Number of open file descriptors.")
        maxFDs = r.gauge("process_max_fds", help: "Maximum number of open file descriptors.")
        startTime = r.gauge("process_start_time_seconds", help: "Start time of the process since the Unix epoch in seconds.")
        // /proc/stat (boot time) is hidden under the unit's ProcSubset=pid: then the registry's creation stands in.
        startTime.set(ProcessFigures.startTime() ?? Date().timeIntervalSince1970)
    }

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let labels = [("route", route), ("method", method), ("status", String(status))]
        registry.counter("marsad_http_requests_total", labels: labels, help: "HTTP requests answered.").increment()
        registry.histogram("marsad_http_request_duration_seconds", labels: [("route", route)],
                                       buckets: Self.durationBuckets, help: "Time to answer an HTTP request.")
            .record(duration)
        if status >= 400 {
            registry.counter("marsad_http_errors_total", labels: [("route", route), ("status", String(status))],
                                 help: "HTTP requests answered with a 4xx or 5xx status.").increment()
        }
    }

    /// The exposition: this process's registry, then the daemon's file when a daemon runs on the index.
    func exposition(index status: IndexStatus?, streams openStreams: Int, alerts savedAlerts: Int?,
                    database: String) -> [UInt8] {
        if let status {
            indexUp.set(1.0)
            articles.set(Double(status.articles))
            duplicates.set(Double(status.duplicates))
            failed.set(Double(status.failed))
            files.set(Double(status.files))
            indexBytes.set(Double(status.indexBytes))
            stale.set(Double(status.staleArticles))
        } else {
            indexUp.set(0.0)
        }
        streams.set(Double(openStreams))
        if let savedAlerts { alerts.set(Double(savedAlerts)) }
        let figures = ProcessFigures.read()
        residentMemory.set(figures.residentBytes)
        // Scrapes may overlap: the counter advances by what /proc adds since the last one, under one lock.
        let added = cpuCounted.withLock { counted in
            let delta = max(0, figures.cpuSeconds - counted)
            counted += delta
            return delta
        }
        if added > 0 { cpuSeconds.increment(by: added) }
        openFDs.set(figures.openFDs)
        maxFDs.set(figures.maxFDs)
        var out = registry.emitToBuffer()
        if DaemonStatus.read(database: database) != nil,
           let daemon = FileManager.default.contents(atPath: DaemonMetrics.path(database: database)) {
            out.append(contentsOf: daemon)
        }
        return out
    }
}

/// This process's figures, from `/proc/self` (Linux).
enum ProcessFigures {
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func read() -> (residentBytes: Double, cpuSeconds: Double, openFDs: Double, maxFDs: Double) {
        var resident = 0.0
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Double(fields[1]) { resident = pages * Double(sysconf(Int32(_SC_PAGESIZE))) }
        }
        var cpu = 0.0
        if let fields = statFields(), fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
            cpu = (user + system) / ticksPerSecond
        }
        let fds = Double(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 1) - 1)
        var limit = rlimit()
        let maxFDs = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Double(limit.rlim_cur) : 0
        return (resident, cpu, fds, maxFDs)
    }

    /// The fields of `/proc/self/stat` after the command name (field 3 onwards; so `utime`, field 14, is [11]).
    static func statFields() -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// Boot time (`btime` of `/proc/stat`) plus the process's start in clock ticks since boot.
    static func startTime() -> Double? {
        guard let fields = statFields(), fields.count > 19, let ticks = Double(fields[19]),
              let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let boot = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) else { return nil }
        return boot + ticks / ticksPerSecond
    }
}

/// Records each request in ``ServerMetrics``, under its route's pattern.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, start: start)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context, status: error.status.code, start: start)
            throw error
        } catch {
            record(request, context, status: 500, start: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(route: route, method: request.method.rawValue, status: status,
                              duration: ContinuousClock.now - start)
    }
}
