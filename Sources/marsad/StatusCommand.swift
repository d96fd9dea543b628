import ArgumentParser
import ArticleIndex
import Daemon
import Foundation

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Print counts and facts about the index.")

    @OptionGroup var index: IndexOptions

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let store = try index.open(.readOnly)
        let status = try await store.status()
        let daemon = DaemonStatus.read(database: store.location)
        let now = Date().timeIntervalSince1970
        if json {
            return try Output.printJSON(StatusReport(index: status, daemon: daemon, now: now))
        }
        if let d = daemon {
            let uptime = Int(now - d.startedAt)
            // The daemon's part is its last snapshot; the index's counts below are read now. Say how old the
            // snapshot is, so a queue of 5 beside 5 articles reads as what it is.
            let age = max(0, now - d.updatedAt)
            print("""
                daemon     running (pid \(d.pid), \(d.state), up \(uptime / 3600)h\(uptime / 60 % 60)m\(uptime % 60)s; \
                as of \(String(format: "%.1f", age)) s ago)
                inbox      \(d.inbox) (\(d.mode) mode, \(d.watchedDirectories) folders watched)
                queue      \(d.queueDepth) · \(String(format: "%.1f", d.ingestRate)) files/s \
                · \(d.indexedSinceStart) indexed and \(d.failedSinceStart) failed since start
                """)
            if let fault = d.indexDegraded { print("degraded   index: \(fault) (waiting it out, retrying)") }
            for line in d.degraded { print("degraded   \(line)") }
        } else {
            print("daemon     not running")
        }
        print("""
            index      \(store.location) (\(Output.formatBytes(status.indexBytes)))
            articles   \(status.articles)
            duplicates \(status.duplicates)
            failed     \(status.failed)
            files      \(status.files)
            versions   schema \(status.schemaVersion) · analyzer \(status.analyzerVersion) · parser \(status.parserVersion)
            last ingest \(status.lastIngestAt ?? "never")
            """)
        if status.staleArticles > 0 { print("stale      \(status.staleArticles) articles from an older parser") }
        if !status.recentFailures.isEmpty {
            print("\nrecent failures:")
            for f in status.recentFailures { print("  \(f.path): \(f.reason)  (\(f.at))") }
        }
    }
}
