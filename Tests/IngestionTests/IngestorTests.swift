import Foundation
import Testing
import TestSupport
import ArticleIndex
@testable import Ingestion

@Suite("Ingesting real files from a real folder")
struct IngestorTests {
    @Test("seeds copied with cp are indexed; a second run finds them unchanged")
    func seedsThenUnchanged() async throws {
        try await withTemporaryDirectory { dir in
            try sh("mkdir -p '\(dir)/inbox/sub' && cp '\(seedsDirectory)'/00[0-2]*.txt '\(dir)/inbox/' "
                   + "&& cp '\(seedsDirectory)'/00[3-4]*.txt '\(dir)/inbox/sub/'")
            let index = try ArticleIndex(path: dir + "/m.db")
            let ingestor = Ingestor(store: index)
            let first = await ingestor.ingest([dir + "/inbox"])
            #expect(first.indexed == 5 && first.failed == 0, "\(first)")
            let second = await ingestor.ingest([dir + "/inbox"])
            #expect(second.unchanged == 5 && second.indexed == 0 && second.failed == 0, "\(second)")
            // A copy under another name is a duplicate, not a second hit.
            try sh("cp '\(dir)/inbox/sub/'003*.txt '\(dir)/inbox/copy.txt'")
            let third = await ingestor.ingest([dir + "/inbox"])
            #expect(third.duplicates == 1 && third.unchanged == 5, "\(third)")
            let hits = try await index.search(SearchQuery("رومانوسكي"), options: SearchOptions())
            #expect(hits.total == 1)
        }
    }

    @Test("an edited file replaces its article")
    func editedFile() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            let ingestor = Ingestor(store: index)
            try sh("printf 'عنوان\\nمقال عن الزعتر\\n' > '\(dir)/a.txt'")
            #expect(await ingestor.ingest([dir + "/a.txt"]).indexed == 1)
            try sh("printf 'عنوان\\nمقال عن السماق\\n' > '\(dir)/a.txt'")
            let report = await ingestor.ingest([dir + "/a.txt"])
            #expect(report.replaced == 1, "\(report)")
            #expect(try await index.search(SearchQuery("الزعتر"), options: SearchOptions()).total == 0)
            #expect(try await index.search(SearchQuery("السماق"), options: SearchOptions()).total == 1)
        }
    }

    @Test("bad files each get one clear reason; good files beside them are indexed; nothing indexed is lost")
    func badFiles() async throws {
        try await withTemporaryDirectory { dir in
            let index = try ArticleIndex(path: dir + "/m.db")
            let ingestor = Ingestor(store: index, options: IngestOptions(sizeLimit: 100_000))
            try sh("cp '\(seedsDirectory)'/000*.txt '\(dir)/kept.txt'")
            #expect(await ingestor.ingest([dir + "/kept.txt"]).indexed == 1)

            let bad = dir + "/bad"
            try sh("mkdir '\(bad)' && cp '\(seedsDirectory)'/001*.txt '\(bad)/good.txt'")
            write(bad + "/empty.txt", [])
            write(bad + "/binary.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
                  + (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            write(bad + "/huge.txt", Array(repeating: 0x61, count: 200_000))
            try sh("mkfifo '\(bad)/pipe.txt' && ln -s /etc/passwd '\(bad)/passwd.txt'")
            let report = await ingestor.ingest([bad, dir + "/missing.txt", bad + "/pipe.txt"])
            let reasons = Dictionary(report.failures.map { ($0.path.split(separator: "/").last.map(String.init) ?? "", $0.reason) },
                                     uniquingKeysWith: { a, _ in a })
            #expect(report.indexed == 1, "\(report)")
            #expect(reasons["empty.txt"] == "the file is empty")
            #expect(reasons["binary.txt"]?.contains("not a text file") == true, "\(reasons)")
            #expect(reasons["huge.txt"]?.hasPrefix("too large") == true)
            #expect(reasons["missing.txt"] == "no such file or directory")
            #expect(reasons["pipe.txt"] == "not a regular file (a FIFO)")
            #expect(reasons["passwd.txt"] == nil, "symlinks in folders are not followed")
            #expect(report.failed == 5, "\(report.failures)")

            let status = try await index.status()
            #expect(status.articles == 2)
            #expect(status.failed == 3, "empty, binary and huge are in the ledger")
            #expect(try await index.search(SearchQuery("الميليشيات"), options: SearchOptions()).total == 1)
        }
    }

    @Test("temporary names are ignored in folders")
    func temporaryNames() async throws {
        try await withTemporaryDirectory { dir in
            let names = [".hidden.txt", "a.txt.tmp", "b.txt~", "c.part", "d.swp", ".#e.txt", "f.html", "ok.md"]
            for name in names { try sh("cp '\(seedsDirectory)'/002*.txt '\(dir)/\(name)'") }
            try sh("mkdir '\(dir)/.git' && cp '\(seedsDirectory)'/003*.txt '\(dir)/.git/x.txt'")
            let expanded = Ingestor(store: try ArticleIndex(path: dir + "/m.db")).expand([dir])
            #expect(expanded.files.map { $0.split(separator: "/").last! } == ["ok.md"])
        }
    }

    @Test("a large folder is ingested in batches with every file counted once")
    func manyFiles() async throws {
        try await withTemporaryDirectory { dir in
            try sh("mkdir '\(dir)/inbox'")
            for i in 0..<600 {
                try "عنوان رقم \(i)\nنص المقال رقم \(i) وكلمة فريدة\(i)x".write(toFile: "\(dir)/inbox/\(i).txt",
                                                                             atomically: false, encoding: .utf8)
            }
            let index = try ArticleIndex(path: dir + "/m.db")
            let report = await Ingestor(store: index, options: IngestOptions(batchSize: 50)).ingest([dir + "/inbox"])
            #expect(report.indexed == 600 && report.failed == 0)
            let status = try await index.status()
            #expect(status.articles == 600 && status.files == 600)
        }
    }
}
