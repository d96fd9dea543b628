import ArgumentParser
import ArticleIndex
import Foundation
import Ingestion

struct Wait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
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
        var store: ArticleIndex?
        var delay = Duration.milliseconds(1)
        var failed = false
        while !waiting.isEmpty {
            if store == nil, FileManager.default.fileExists(atPath: index.databasePath) {
                store = try index.open(.readOnly)
            }
            if let store {
                var still: [String] = []
                for path in waiting {
                    let record = try await store.fileRecord(path: path)
                    let stamp = ArticleFile.stamp(path)
                    switch (record, stamp) {
                    case (let r?, let s?) where r.stamp == s:
                        if r.status == .failed {
                            print("failed: \(path): \(r.error ?? "unknown reason")")
                            failed = true
                        } else {
                            print("searchable: \(path)" + (r.articleID.map { " (#\($0))" } ?? ""))
                        }
                    case (nil, nil):
                        if let why = Self.notARegularFile(path) {
                            // The daemon skips these: waiting for them would only time out.
                            print("skipped: \(path): \(why)")
                            failed = true
                        } else {
                            print("gone: \(path)")
                        }
                    default:
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

    /// Why the daemon skips what is at `path` when it is there but not a regular file, or nil.
    static func notARegularFile(_ path: String) -> FileReadError? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return FileReadError(notRegular: info.st_mode)
    }
}
