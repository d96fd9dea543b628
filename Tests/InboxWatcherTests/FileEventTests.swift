import Foundation
import Testing

@testable import InboxWatcher

/// Real inotify on temporary folders. Serialized: timing-sensitive tests should not compete with each other
/// for two cores (they would still pass, but slower).
@Suite(.serialized) struct WatcherIntegration {}

extension WatcherIntegration {
    @Suite struct Files {
        @Test func cpIntoTheRoot() async throws {
            try await withHarness { h in
                try write("خبر", to: h.outside + "/a.txt")
                try sh("/bin/cp \(shellQuote(h.outside + "/a.txt")) \(shellQuote(h.root + "/"))")
                #expect(await h.wait(for: .fileWritten(h.path("a.txt"))))
            }
        }

        @Test func shellRedirection() async throws {
            try await withHarness { h in
                try sh("echo 'مرحبا' > \(shellQuote(h.path("b.txt")))")
                #expect(await h.wait(for: .fileWritten(h.path("b.txt"))))
            }
        }

        @Test func slowAppendInThreeWrites() async throws {
            try await withHarness { h in
                let file = h.path("slow.txt")
                let writer = try start("/bin/sh", [
                    "-c", "printf a >> \(shellQuote(file)); sleep 0.3; printf b >> \(shellQuote(file)); sleep 0.3; "
                        + "printf c >> \(shellQuote(file))",
                ])
                var contents: [String] = []
                for count in 1...3 {
                    let seen = await h.wait { $0.filter { $0 == .fileWritten(file) }.count >= count }
                    #expect(seen, "write \(count) not reported")
                    contents.append((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
                }
                writer.waitUntilExit()
                #expect(contents.last == "abc")
                #expect(h.log.events.filter { $0 == .fileWritten(file) }.count == 3)
            }
        }

        @Test func mvFromOutsideIsAMoveIn() async throws {
            try await withHarness { h in
                try write("x", to: h.outside + "/m.txt")
                try sh("/bin/mv \(shellQuote(h.outside + "/m.txt")) \(shellQuote(h.root + "/"))")
                #expect(await h.wait(for: .fileMovedIn(h.path("m.txt"))))
            }
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync"),
                       "rsync is not installed (scripts/setup installs it): skipping the rsync test"))
        func rsyncOfAFile() async throws {
            try await withHarness { h in
                try write(String(repeating: "نص ", count: 10_000), to: h.outside + "/r.txt")
                try sh("/usr/bin/rsync \(shellQuote(h.outside + "/r.txt")) \(shellQuote(h.root + "/"))")
                #expect(await h.wait(for: .fileMovedIn(h.path("r.txt"))))
                try write("sentinel", to: h.path("sentinel.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("sentinel.txt"))))
                let mentioned = h.log.events.flatMap(\.paths)
                #expect(mentioned.allSatisfy { !$0.contains("/.r.txt") }, "rsync's temp file leaked: \(mentioned)")
                #expect(!h.log.events.contains(.fileWritten(h.path("r.txt"))))
            }
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync"),
                       "rsync is not installed (scripts/setup installs it): skipping the rsync test"))
        func rsyncOfADirectory() async throws {
            try await withHarness { h in
                try FileManager.default.createDirectory(atPath: h.outside + "/d/sub", withIntermediateDirectories: true)
                try write("1", to: h.outside + "/d/one.txt")
                try write("2", to: h.outside + "/d/sub/two.txt")
                try sh("/usr/bin/rsync -a \(shellQuote(h.outside + "/d")) \(shellQuote(h.root + "/"))")
                #expect(await h.wait(for: .directoryAppeared(h.path("d"))))
                // Whatever came as events or is found by a scan after the announcement covers both files.
                #expect(await h.wait { events in
                    let reported = Set(events.compactMap { event -> String? in
                        if case .fileMovedIn(let path) = event { return path }
                        return nil
                    })
                    return reported.union(scan(h.path("d"))).isSuperset(of: [h.path("d/one.txt"), h.path("d/sub/two.txt")])
                })
                #expect(h.log.events.flatMap(\.paths).allSatisfy { !RelativePath.name(of: $0).hasPrefix(".") })
            }
        }

        @Test func renameInside() async throws {
            try await withHarness(prepare: { try write("x", to: $0 + "/old.txt") }) { h in
                try sh("/bin/mv \(shellQuote(h.path("old.txt"))) \(shellQuote(h.path("new.txt")))")
                #expect(await h.wait(for: .fileRenamed(from: h.path("old.txt"), to: h.path("new.txt"))))
            }
        }

        @Test func renameToAndFromIgnoredNames() async throws {
            try await withHarness(prepare: { try write("x", to: $0 + "/a.txt") }) { h in
                try sh("/bin/mv \(shellQuote(h.path("a.txt"))) \(shellQuote(h.path("a.txt.tmp")))")
                #expect(await h.wait(for: .fileRemoved(h.path("a.txt"))))
                try sh("/bin/mv \(shellQuote(h.path("a.txt.tmp"))) \(shellQuote(h.path("b.txt")))")
                #expect(await h.wait(for: .fileMovedIn(h.path("b.txt"))))
                #expect(h.log.events.flatMap(\.paths).allSatisfy { !$0.hasSuffix(".tmp") })
            }
        }

        @Test func delete() async throws {
            try await withHarness(prepare: { try write("x", to: $0 + "/gone.txt") }) { h in
                try sh("/bin/rm \(shellQuote(h.path("gone.txt")))")
                #expect(await h.wait(for: .fileRemoved(h.path("gone.txt"))))
            }
        }

        @Test func mvOutOfTheTreeIsARemovalAfterThePairingWindow() async throws {
            try await withHarness(prepare: { try write("x", to: $0 + "/out.txt") }) { h in
                let moved = ContinuousClock.now
                try sh("/bin/mv \(shellQuote(h.path("out.txt"))) \(shellQuote(h.outside + "/"))")
                #expect(await h.wait(for: .fileRemoved(h.path("out.txt"))))
                #expect(ContinuousClock.now - moved >= .milliseconds(20))
                #expect(!h.log.events.contains { if case .fileRenamed = $0 { true } else { false } })
            }
        }

        @Test func hardLinkIsAMoveIn() async throws {
            try await withHarness { h in
                try write("x", to: h.outside + "/l.txt")
                try sh("/bin/ln \(shellQuote(h.outside + "/l.txt")) \(shellQuote(h.path("l.txt")))")
                #expect(await h.wait(for: .fileMovedIn(h.path("l.txt"))))
            }
        }

        @Test func temporaryNamesAndHiddenDirectoriesAreIgnored() async throws {
            try await withHarness { h in
                for name in [".hidden.txt", "x.tmp", "y.part", "z.swp", "w.txt~", ".#lock", "a.crdownload"] {
                    try write("t", to: h.path(name))
                }
                try FileManager.default.createDirectory(atPath: h.path(".git/objects"), withIntermediateDirectories: true)
                try write("t", to: h.path(".git/objects/blob.txt"))
                try sh("/bin/rm \(shellQuote(h.path("x.tmp")))")
                try write("real", to: h.path("real.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("real.txt"))))
                try? await Task.sleep(for: .milliseconds(50))
                #expect(h.log.events == [.fileWritten(h.path("real.txt"))])
                #expect(h.watcher.watchedDirectoryCount == 1)
            }
        }
    }
}
