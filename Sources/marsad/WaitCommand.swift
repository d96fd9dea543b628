import ArgumentParser
import ArticleIndex
import Foundation
import Ingestion

struct Wait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until files are searchable (or failed), so a script can drop a file and search it at once.",
        discussion: """
            A file counts as done when the index's ledger holds it with the size and modification time it has on \
            disk now. Exit status: 0 when all are searchable, 1 when one failed or is not a regular file (a symbolic \
            link, a FIFO: the daemon skips those; the reason is printed), \
            2 on timeout.
            """)

    @OptionGroup var index: IndexOptions

    @Argument(help: "The files.")
    var paths: [String]

    @Option(help: "Give up after this many seconds.")
    var timeout: Double = 30

    /// The path as the daemon records it: the real path of the folder, then the name.
    static func canonical(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        guard let real = realpath(folder, nil) else { return url.standardizedFileURL.path }
        defer { free(real) }
        return String(cString: real) + "/" + url.lastPathComponent
    }

    func run() async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        var waiting = paths.map(Self.canonical)
        var store: (any ArticleReading)?
        var delay = Duration.milliseconds(1)
        var failed = false
        while !waiting.isEmpty {
            if store == nil, FileManager.default.fileExists(atPath: index.databasePath) {
                store = try index.open(.readOnly)
            }
            if let store {
                var still: [String] = []
                for path in waiting {
                    switch try await FileProgress.of(path, in: store) {
                    case .searchable(let id):
                        print("searchable: \(path)" + (id.map { " (#\($0))" } ?? ""))
                    case .failed(let reason):
                        print("failed: \(path): \(reason)")
                        failed = true
                    case .skipped(let why):
                        // The daemon skips these: waiting for them would only time out.
                        print("skipped: \(path): \(why)")
                        failed = true
                    case .gone:
                        print("gone: \(path)")
                    case .pending:
                        still.append(path)
                    }
                }
                waiting = still
            }
            if waiting.isEmpty { break }
            if ContinuousClock.now >= deadline {
                for path in waiting { print("timeout: \(path)") }
                throw ExitCode(2)
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(20))
        }
        if failed { throw ExitCode(1) }
    }
}
