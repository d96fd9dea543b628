import Foundation
import Testing

@testable import InboxWatcher

extension WatcherIntegration {
    @Suite struct Directories {
        /// `mkdir -p a/b/c && echo x > a/b/c/f.txt`: by the time `directoryAppeared(a)` is delivered, `c` is
        /// watched (a file created in it at once is reported) and a scan of `a` finds `f.txt`.
        @Test func mkdirPThenAFileAtOnce() async throws {
            try await withHarness { h in
                try sh("mkdir -p \(shellQuote(h.path("a/b/c"))) && echo x > \(shellQuote(h.path("a/b/c/f.txt")))")
                #expect(await h.wait(for: .directoryAppeared(h.path("a"))))
                try write("right after", to: h.path("a/b/c/g.txt"))
                #expect(scan(h.path("a")).contains(h.path("a/b/c/f.txt")))
                #expect(await h.wait(for: .fileWritten(h.path("a/b/c/g.txt"))))
                #expect(h.watcher.watchedDirectoryCount == 4)
            }
        }

        /// Many times over, as fast as a shell can: each round's file is reported or found by the scan that
        /// follows the announcement of its top directory.
        @Test func nestedCreationRaceRepeated() async throws {
            try await withHarness { h in
                var script = ""
                for round in 0..<40 {
                    script += "mkdir -p \(shellQuote(h.path("r\(round)/x/y/z"))) && "
                        + "echo \(round) > \(shellQuote(h.path("r\(round)/x/y/z/f.txt"))); "
                }
                try sh(script)
                #expect(await h.wait { events in (0..<40).allSatisfy { events.contains(.directoryAppeared(h.path("r\($0)"))) } })
                for round in 0..<40 {
                    #expect(scan(h.path("r\(round)")).contains(h.path("r\(round)/x/y/z/f.txt")))
                }
                #expect(h.watcher.watchedDirectoryCount == 1 + 40 * 4)
                try write("late", to: h.path("r39/x/y/z/late.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("r39/x/y/z/late.txt"))))
            }
        }

        @Test func aDirectoryWithFilesMovedInFromOutside() async throws {
            try await withHarness { h in
                let source = h.outside + "/batch"
                try FileManager.default.createDirectory(atPath: source + "/sub", withIntermediateDirectories: true)
                try write("1", to: source + "/one.txt")
                try write("2", to: source + "/sub/two.txt")
                try sh("/bin/mv \(shellQuote(source)) \(shellQuote(h.root + "/"))")
                #expect(await h.wait(for: .directoryAppeared(h.path("batch"))))
                #expect(scan(h.path("batch")) == [h.path("batch/one.txt"), h.path("batch/sub/two.txt")])
                try write("3", to: h.path("batch/sub/three.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("batch/sub/three.txt"))))
                #expect(h.watcher.watchedDirectoryCount == 3)
            }
        }

        @Test func aDirectoryRenamedInside() async throws {
            try await withHarness(prepare: { root in
                try FileManager.default.createDirectory(atPath: root + "/d1/sub", withIntermediateDirectories: true)
            }) { h in
                try sh("/bin/mv \(shellQuote(h.path("d1"))) \(shellQuote(h.path("d2")))")
                #expect(await h.wait(for: .directoryRenamed(from: h.path("d1"), to: h.path("d2"))))
                try write("x", to: h.path("d2/sub/x.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("d2/sub/x.txt"))))
                #expect(!h.log.events.flatMap(\.paths).contains(h.path("d1/sub/x.txt")))
            }
        }

        @Test func aDirectoryMovedIntoAnotherDirectoryInside() async throws {
            try await withHarness(prepare: { root in
                try FileManager.default.createDirectory(atPath: root + "/from/deep", withIntermediateDirectories: true)
                try FileManager.default.createDirectory(atPath: root + "/to", withIntermediateDirectories: true)
            }) { h in
                try sh("/bin/mv \(shellQuote(h.path("from"))) \(shellQuote(h.path("to/")))")
                #expect(await h.wait(for: .directoryRenamed(from: h.path("from"), to: h.path("to/from"))))
                try write("x", to: h.path("to/from/deep/x.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("to/from/deep/x.txt"))))
            }
        }

        @Test func aDirectoryCreatedAndRenamedAtOnce() async throws {
            try await withHarness { h in
                try sh("mkdir \(shellQuote(h.path("tmpdir"))) && echo x > \(shellQuote(h.path("tmpdir/f.txt"))) && "
                    + "mv \(shellQuote(h.path("tmpdir"))) \(shellQuote(h.path("final")))")
                #expect(await h.wait { events in
                    events.contains(.directoryRenamed(from: h.path("tmpdir"), to: h.path("final")))
                        || events.contains(.directoryAppeared(h.path("final")))
                })
                #expect(scan(h.path("final")) == [h.path("final/f.txt")])
                try write("y", to: h.path("final/g.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("final/g.txt"))))
            }
        }

        @Test func aDirectoryMovedOut() async throws {
            try await withHarness(prepare: { root in
                try FileManager.default.createDirectory(atPath: root + "/leaving/sub", withIntermediateDirectories: true)
            }) { h in
                #expect(h.watcher.watchedDirectoryCount == 3)
                try sh("/bin/mv \(shellQuote(h.path("leaving"))) \(shellQuote(h.outside + "/"))")
                #expect(await h.wait(for: .directoryRemoved(h.path("leaving"))))
                #expect(h.watcher.watchedDirectoryCount == 1)
                let count = h.log.events.count
                try write("x", to: h.outside + "/leaving/sub/x.txt")
                try write("s", to: h.path("sentinel.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("sentinel.txt"))))
                #expect(h.events(after: count) == [.fileWritten(h.path("sentinel.txt"))])
            }
        }

        @Test func aDirectoryDeleted() async throws {
            try await withHarness(prepare: { root in
                try FileManager.default.createDirectory(atPath: root + "/del/sub", withIntermediateDirectories: true)
                try write("x", to: root + "/del/sub/x.txt")
            }) { h in
                try sh("/bin/rm -r \(shellQuote(h.path("del")))")
                #expect(await h.wait(for: .directoryRemoved(h.path("del"))))
                #expect(h.log.events.contains(.fileRemoved(h.path("del/sub/x.txt"))))
                #expect(await h.wait { _ in h.watcher.watchedDirectoryCount == 1 })
            }
        }

        @Test func aHiddenDirectoryRenamedVisibleIsAnAppearance() async throws {
            try await withHarness(prepare: { root in
                try FileManager.default.createDirectory(atPath: root + "/.staging/sub", withIntermediateDirectories: true)
                try write("x", to: root + "/.staging/sub/x.txt")
            }) { h in
                #expect(h.watcher.watchedDirectoryCount == 1)
                try sh("/bin/mv \(shellQuote(h.path(".staging"))) \(shellQuote(h.path("published")))")
                #expect(await h.wait(for: .directoryAppeared(h.path("published"))))
                #expect(h.watcher.watchedDirectoryCount == 3)
                try write("y", to: h.path("published/sub/y.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("published/sub/y.txt"))))
            }
        }
    }
}
