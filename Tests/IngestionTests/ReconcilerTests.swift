import ArticleIndex
import Foundation
import Testing
import TestSupport
@testable import Ingestion

/// The reconciler, in process, on real files and a real index.
@Suite("The reconciler")
struct ReconcilerTests {
    @Test("new, changed, vanished, renamed by inode and excluded files are each found, without reading a file")
    func findsEveryKindOfChange() async throws {
        try await withTemporaryDirectory { dir in
            let inbox = dir + "/inbox"
            try sh("mkdir -p '\(inbox)/sub'")
            for name in ["keep", "change", "vanish", "rename", "exclude-me"] {
                try "عنوان \(name)\nنص عن \(name) وكلمات أخرى\n".write(toFile: "\(inbox)/sub/\(name).txt", atomically: false,
                                                                     encoding: .utf8)
            }
            let store = try ArticleIndex(path: dir + "/m.db")
            #expect(await Ingestor(store: store).ingest([inbox]).indexed == 5)
            let renamedID = try await store.fileRecord(path: inbox + "/sub/rename.txt")?.articleID

            try sh("""
                cd '\(inbox)/sub' && printf 'عنوان جديد\\nنص جديد تماما\\n' > new.txt \
                && printf 'عنوان\\nنص تغير\\n' > change.txt && rm vanish.txt && mv rename.txt renamed.txt
                """)
            let pipeline = Pipeline(store: store, options: Pipeline.Options(workers: 2))
            let reconciler = Reconciler(store: store, queue: pipeline.queue, writer: pipeline.writer,
                                        walker: DirectoryWalker(filter: FileFilter(exclude: ["exclude-*"])))
            let report = try await withThrowingTaskGroup(of: Reconciler.Report?.self) { group in
                group.addTask { await pipeline.run(); return nil }
                let report = try await reconciler.reconcile(inbox)
                await pipeline.close(draining: true)
                for try await _ in group {}
                return report
            }
            #expect(report.files == 4, "keep, change, new, renamed (exclude-me is filtered out)")
            #expect(report.queued == 2, "new and changed: \(report)")
            #expect(report.vanished == 1 && report.renamed == 1 && report.excluded == 1, "\(report)")

            let paths = try await store.fileRecords(under: inbox).keys.map(\.path).sorted()
            #expect(paths == ["change", "keep", "new", "renamed"].map { "\(inbox)/sub/\($0).txt" })
            #expect(try await store.fileRecord(path: inbox + "/sub/renamed.txt")?.articleID == renamedID,
                    "renamed in the index, not parsed again")
            #expect(try await store.search(SearchQuery("تغير"), options: SearchOptions()).total == 1)

            // A second pass finds nothing.
            let again = Pipeline(store: store, options: Pipeline.Options(workers: 1))
            let quiet = try await Reconciler(store: store, queue: again.queue, writer: again.writer,
                                             walker: DirectoryWalker(filter: FileFilter(exclude: ["exclude-*"])))
                .reconcile(inbox)
            #expect(quiet.foundNothing, "\(quiet)")
        }
    }
}
