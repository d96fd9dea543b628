import ArgumentParser
import ArticleIndex

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print counts and facts about the index.")

    @OptionGroup var index: IndexOptions

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let store = try index.open(.readOnly)
        let status = try await store.status()
        if json { return try Output.printJSON(status) }
        print("""
            index      \(store.path) (\(Output.formatBytes(status.indexBytes)))
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
