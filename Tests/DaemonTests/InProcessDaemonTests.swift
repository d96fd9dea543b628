import ArticleIndex
import Foundation
import Ingestion
import Testing
import TestSupport
@testable import Daemon

/// `MarsadDaemon` in this process (swift-service-lifecycle's test kit), on a real inbox and index.
@Suite("The daemon in process", .serialized)
struct InProcessDaemonTests {
    @Test("files dropped in are searchable; a graceful shutdown returns from run() and leaves no status file")
    func dropAndShutDown() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir + "/m.db"
            let results = try await InProcessDaemon.run(inbox: dir + "/inbox", database: db) { daemon in
                let seeds = try seedPaths()
                for (i, seed) in seeds.enumerated() { try sh("cp '\(seed)' '\(daemon.inbox)/\(i).txt'") }
                return try await daemon.waitUntilDone((0..<seeds.count).map { "\(daemon.inbox)/\($0).txt" })
            }
            #expect(results.count == 5)
            #expect(results.allSatisfy { if case .searchable = $0 { true } else { false } }, "\(results)")
            #expect(!FileManager.default.fileExists(atPath: DaemonStatus.path(database: db)), "removed on a clean stop")
            let index = try ArticleIndex(path: db, mode: .readOnly)
            #expect(try await index.articleCount() == 5)
        }
    }

    @Test("a start error is thrown, not a crash: an inbox that is a file")
    func inboxIsAFile() async throws {
        try await withTemporaryDirectory { dir in
            try sh("touch '\(dir)/inbox'")
            await #expect(throws: MarsadDaemon.StartError.self) {
                try await InProcessDaemon.run(inbox: dir + "/in", database: dir + "/m.db",
                                              configure: { $0.inbox = dir + "/inbox" }) { _ in }
            }
        }
    }
}
