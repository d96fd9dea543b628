import ArgumentParser
import ArticleIndex
import FilePaths
import Ingestion

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Index files and folders once, then exit.",
        discussion: """
            Folders are walked recursively for article files (by extension; temporary names such as dotfiles, \
            *.tmp, *.part, *.swp and *~ are skipped). Files named on the command line are read whatever their \
            extension. A file whose content is already indexed under the same path is unchanged; the same content \
            under another path is recorded as a duplicate. Bad files are reported with the reason and the rest \
            is indexed. Exit status: 0 when nothing failed, 1 otherwise.
            """)

    @OptionGroup var index: IndexOptions

    @Argument(help: "Files and folders to index.")
    var paths: [String]

    @Option(help: "Extensions ingested from folders, comma-separated.")
    var extensions: String = FileFilter.defaultExtensions.sorted().joined(separator: ",")

    @Option(help: "Files parsed at once (default: the number of cores).")
    var workers: Int?

    @Option(help: "Largest file accepted, in bytes.")
    var maxFileSize: Int64 = ArticleFile.defaultSizeLimit

    @Option(help: "Seconds a file may take to parse before it fails and the rest go on (as parse_timeout for run).")
    var parseTimeout: Double = 30

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() async throws {
        let store = try index.open(.readWrite, mapsFile: false)
        let filter = FileFilter(extensions: Set(extensions.split(separator: ",").map(String.init)))
        let ingestor = Ingestor(store: store, options: IngestOptions(
            filter: filter, sizeLimit: maxFileSize, workers: workers,
            parseTimeout: .milliseconds(Int64(max(0.001, parseTimeout) * 1000))))
        let bar = Output.ProgressBar(label: "indexing")
        let showProgress = Output.stderrIsTerminal && !json
        let report = await ingestor.ingest(paths) { done, total in
            if showProgress && total > 300 { bar.update(done, total) }
        }
        if json {
            try Output.printJSON(report)
        } else {
            let mb = Double(report.bytes) / 1e6
            let rate = report.seconds > 0 ? Double(report.files) / report.seconds : 0
            print("""
                \(report.indexed) indexed, \(report.replaced) replaced, \(report.unchanged) unchanged, \
                \(report.duplicates) duplicates, \(report.failed) failed \
                (\(report.files) files, \(String(format: "%.1f", mb)) MB in \(String(format: "%.2f", report.seconds)) s, \
                \(String(format: "%.0f", rate)) files/s)
                """)
            for failure in report.failures { print("failed: \(FileName.displayed(failure.path)): \(failure.reason)") }
        }
        try store.close()
        if report.failed > 0 { throw ExitCode(1) }
    }
}
