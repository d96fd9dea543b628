import Foundation
import Testing

@testable import InboxWatcher

extension WatcherIntegration {
    @Suite struct Lifecycle {
        @Test func rootDeletedAndRecreated() async throws {
            try await withHarness(prepare: { root in
                try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
            }) { h in
                try sh("/bin/rm -r \(shellQuote(h.root))")
                #expect(await h.wait(for: .rootVanished(h.root)))
                #expect(h.watcher.watchedDirectoryCount == 0)
                try sh("mkdir -p \(shellQuote(h.root + "/again"))")
                #expect(await h.wait(for: .rootReturned(h.root)))
                #expect(await h.wait { _ in h.watcher.watchedDirectoryCount == 2 })
                try write("x", to: h.path("again/x.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("again/x.txt"))))
            }
        }

        @Test func rootMovedAwayAndBack() async throws {
            try await withHarness { h in
                let away = h.base + "/away"
                try sh("/bin/mv \(shellQuote(h.root)) \(shellQuote(away))")
                #expect(await h.wait(for: .rootVanished(h.root)))
                // The moved tree is no longer watched.
                try write("x", to: away + "/ghost.txt")
                try sh("/bin/mv \(shellQuote(away)) \(shellQuote(h.root))")
                #expect(await h.wait(for: .rootReturned(h.root)))
                try write("y", to: h.path("back.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("back.txt"))))
                #expect(!h.log.events.flatMap(\.paths).contains { $0.hasSuffix("ghost.txt") })
            }
        }

        @Test func stopEndsTheStreamPromptlyAndIsIdempotent() async throws {
            let harness = try Harness()
            let stopped = ContinuousClock.now
            harness.watcher.stop()
            harness.watcher.stop()
            #expect(await harness.wait(timeout: .seconds(2)) { _ in harness.log.ended })
            #expect(ContinuousClock.now - stopped < .seconds(1))
            #expect(harness.watcher.watchedDirectoryCount == 0)
            var second = harness.watcher.events().makeAsyncIterator()
            #expect(await second.next() == nil)
            await harness.finish()
        }

        @Test func stopBeforeReadingStarted() async throws {
            var options = WatcherOptions()
            options.startsReading = false
            let harness = try Harness(options: options)
            harness.watcher.stop()
            #expect(await harness.wait(timeout: .seconds(2)) { _ in harness.log.ended })
            try harness.watcher.startReading()  // does nothing once stopped
            await harness.finish()
        }

        @Test func initializerErrorsNameThePath() throws {
            let base = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: base) }
            #expect(throws: InboxWatcherError.rootNotFound(path: base + "/missing")) {
                try InboxWatcher(root: base + "/missing/")
            }
            try write("x", to: base + "/file.txt")
            #expect(throws: InboxWatcherError.rootNotADirectory(path: base + "/file.txt")) {
                try InboxWatcher(root: base + "/file.txt")
            }
            #expect(InboxWatcherError.rootNotFound(path: "/srv/inbox").description.contains("/srv/inbox"))
        }

        @Test func pathsStartWithTheRootAsGivenWithoutTrailingSlash() async throws {
            let base = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: base) }
            let watcher = try InboxWatcher(root: base + "//")
            #expect(watcher.root == base)
            try write("x", to: base + "/p.txt")  // before asking for events: kept
            var iterator = watcher.events().makeAsyncIterator()
            #expect(await iterator.next() == [.fileWritten(base + "/p.txt")])
            watcher.stop()
            while await iterator.next() != nil {}
        }

        /// A consumer that falls behind gets an overflow in place of what did not fit, not unbounded memory.
        @Test func aSlowConsumerGetsAnOverflowInsteadOfUnboundedMemory() async throws {
            let base = try makeTemporaryDirectory()
            defer { _ = try? run("/bin/rm", "-rf", base) }
            var options = WatcherOptions()
            options.queueLimit = 10
            let watcher = try InboxWatcher(root: base, ignore: InboxWatcher.isTemporaryName,
                                           logger: .init(label: "test"), options: options)
            for index in 0..<30 {
                try write("x", to: base + "/f\(index).txt")
                try await Task.sleep(for: .milliseconds(1))
            }
            try write("last", to: base + "/last.txt")
            let deadline = ContinuousClock.now + .seconds(5)
            while watcher.eventsDroppedForSlowConsumer == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            watcher.stop()
            var events: [InboxEvent] = []
            for await batch in watcher.events() { events += batch }
            #expect(watcher.eventsDroppedForSlowConsumer > 0)
            #expect(events.contains(.overflow))
            // At most the limit was held before the overflow marker took the place of the rest. (What the reader
            // thread hands over as it stops may follow the marker: the consumer has emptied the queue by then.)
            #expect(events.prefix { !$0.isOverflow }.count <= 10)
            #expect(events.last == .overflow || events.contains(.fileWritten(base + "/last.txt")))
        }
    }

    @Suite struct OverflowAndDegraded {
        /// The reader starts only after far more events than the kernel queue holds: a real `IN_Q_OVERFLOW`.
        /// Directories made after the overflow produced no events; the watcher finds them anyway.
        @Test func kernelQueueOverflowIsReportedAndWatchesAreCompleteAfter() async throws {
            let queued = InotifyDescriptor.readLimit("max_queued_events") ?? 16_384
            try #require(queued <= 200_000, "max_queued_events is \(queued): too large to overflow in a test")
            var options = WatcherOptions()
            options.startsReading = false
            try await withHarness(options: options) { h in
                let files = queued / 2 + 500  // two events each (create, close-write)
                for index in 0..<files {
                    _ = FileManager.default.createFile(atPath: h.path("f\(index).txt"), contents: nil)
                }
                try FileManager.default.createDirectory(atPath: h.path("late/deep"), withIntermediateDirectories: true)
                try h.watcher.startReading()
                #expect(await h.wait(timeout: .seconds(10)) { $0.contains(.overflow) })
                #expect(h.watcher.watchedDirectoryCount == 3)
                try write("x", to: h.path("late/deep/x.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("late/deep/x.txt"))))
            }
        }

        /// With room for two watches, the rest of the tree is reported as degraded subtrees: each unwatched
        /// directory lies in exactly one reported subtree, and each subtree is reported once.
        @Test func watchLimitDegradesEachUnwatchedSubtreeOnce() async throws {
            var options = WatcherOptions()
            options.watchLimitForTesting = 2
            let directories = ["a", "a/inner", "b", "b/inner", "c", "c/inner"]
            try await withHarness(options: options, prepare: { root in
                for directory in directories {
                    try FileManager.default.createDirectory(atPath: root + "/" + directory,
                                                            withIntermediateDirectories: true)
                }
            }) { h in
                #expect(h.watcher.watchedDirectoryCount == 2)
                #expect(await h.wait { $0.contains(where: \.isDegraded) })
                let degraded = h.log.events.compactMap { event -> (path: String, reason: String)? in
                    if case .degraded(let path, let reason) = event { return (path, reason) }
                    return nil
                }
                let paths = degraded.map(\.path)
                #expect(Set(paths).count == paths.count, "a subtree was reported twice: \(paths)")
                for reason in degraded.map(\.reason) {
                    #expect(reason.contains("inotify watch limit reached (fs.inotify.max_user_watches = "))
                    #expect(reason.contains("sysctl fs.inotify.max_user_watches=524288"))
                }
                for path in paths {
                    #expect(paths.filter { RelativePath.isWithin(path, $0) }.count == 1, "\(path) is inside another")
                }
                let unwatched = directories.map(h.path).filter { path in paths.contains { RelativePath.isWithin(path, $0) } }
                #expect(unwatched.count == directories.count - 1)

                try FileManager.default.createDirectory(atPath: h.path("d"), withIntermediateDirectories: true)
                #expect(await h.wait(for: .directoryAppeared(h.path("d"))))
                #expect(h.log.events.contains { if case .degraded(h.path("d"), _) = $0 { true } else { false } })
            }
        }

        @Test func aNetworkFilesystemIsDegradedAndNotWatched() async throws {
            var options = WatcherOptions()
            options.filesystemMagic = { path in path.hasSuffix("/share") ? 0x6969 : 0xEF53 }
            try await withHarness(options: options, prepare: { root in
                try FileManager.default.createDirectory(atPath: root + "/share/sub", withIntermediateDirectories: true)
            }) { h in
                #expect(await h.wait { $0.contains(where: \.isDegraded) })
                guard case .degraded(let path, let reason)? = h.log.events.first(where: \.isDegraded) else { return }
                #expect(path == h.path("share"))
                #expect(reason.contains("NFS"))
                #expect(h.watcher.watchedDirectoryCount == 1)
                try write("x", to: h.path("share/x.txt"))
                try write("y", to: h.path("y.txt"))
                #expect(await h.wait(for: .fileWritten(h.path("y.txt"))))
                #expect(!h.log.events.contains(.fileWritten(h.path("share/x.txt"))))
            }
        }

        /// 20,000 files copied in at once: every one is reported (or, should the kernel queue overflow on a
        /// loaded machine, an overflow tells the consumer to reconcile). The count of overflows is printed.
        @Test func burstOfTwentyThousandFiles() async throws {
            let count = 20_000
            try await withHarness { h in
                let source = h.outside + "/burst"
                try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
                try sh("cd \(shellQuote(source)) && seq -f 'n%.0f.txt' 1 \(count) | xargs touch")
                let started = ContinuousClock.now
                try sh("/bin/cp -r \(shellQuote(source + "/.")) \(shellQuote(h.root + "/"))")
                let copied = ContinuousClock.now - started
                let complete = await h.wait(timeout: .seconds(20)) { events in
                    events.count >= count || events.contains(.overflow)
                }
                let events = h.log.events
                let overflows = events.filter(\.isOverflow).count
                let written = Set(events.compactMap { event -> String? in
                    if case .fileWritten(let path) = event { return path }
                    return nil
                })
                print("burst: \(count) files copied by cp in \(copied), \(written.count) reported, "
                    + "\(overflows) overflow(s), read in \(ContinuousClock.now - started)")
                #expect(complete)
                #expect(overflows > 0 || written.count == count)
            }
        }
    }
}
