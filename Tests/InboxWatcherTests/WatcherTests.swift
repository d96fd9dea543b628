import Foundation
import Synchronization
import Testing
@testable import InboxWatcher

/// Collects a watcher's events on a task, so a test can act and then wait for what it expects.
final class EventStore: Sendable {
    let events = Mutex<[InboxEvent]>([])
}

final class Collector: Sendable {
    let watcher: InboxWatcher
    let store = EventStore()
    let task: Task<Void, Never>

    init(_ watcher: InboxWatcher) {
        self.watcher = watcher
        let store = self.store
        let stream = watcher.events()
        task = Task { for await batch in stream { store.events.withLock { $0 += batch } } }
    }

    var all: [InboxEvent] { store.events.withLock { $0 } }

    /// Waits until `condition` holds on the events so far (or 5 s pass); returns whether it held.
    @discardableResult
    func wait(_ timeout: Double = 5, until condition: ([InboxEvent]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if condition(all) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(all)
    }

    func clear() { store.events.withLock { $0.removeAll() } }

    func stop() async {
        watcher.stop()
        await task.value
    }
}

func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("marsad-watch-\(UUID().uuidString)")
        .resolvingSymlinksInPath().path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

@discardableResult
func sh(_ command: String) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

@Suite("inotify watcher on real folders", .serialized)
struct WatcherTests {
    func withWatcher(_ body: (String, String, Collector) async throws -> Void) async throws {
        let dir = try temporaryDirectory()
        let inbox = dir + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let collector = Collector(try InboxWatcher(root: inbox))
        do { try await body(dir, inbox, collector) } catch { await collector.stop(); throw error }
        await collector.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("cp and > writes, three slow appends, mv from outside")
    func writes() async throws {
        try await withWatcher { (dir: String, inbox: String, c: Collector) async throws in
            #expect(try sh("echo a > '\(dir)/src.txt' && cp '\(dir)/src.txt' '\(inbox)/cp.txt' && echo b > '\(inbox)/redirect.txt'") == 0)
            #expect(try sh("echo 1 > '\(inbox)/slow.txt'; sleep 0.1; echo 2 >> '\(inbox)/slow.txt'; sleep 0.1; echo 3 >> '\(inbox)/slow.txt'") == 0)
            #expect(try sh("echo c > '\(dir)/m.txt' && mv '\(dir)/m.txt' '\(inbox)/moved.txt'") == 0)
            let ok = await c.wait { events in
                events.contains(.fileWritten(inbox + "/cp.txt")) && events.contains(.fileWritten(inbox + "/redirect.txt"))
                    && events.filter { $0 == .fileWritten(inbox + "/slow.txt") }.count == 3
                    && events.contains(.fileMovedIn(inbox + "/moved.txt"))
            }
            #expect(ok, "\(c.all)")
        }
    }

    @Test("rsync's temp-then-rename arrives as one file moved in; temp names are ignored")
    func rsyncAndTemporaryNames() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync") else {
            Issue.record("rsync is not installed (scripts/setup installs it)")
            return
        }
        try await withWatcher { (dir: String, inbox: String, c: Collector) async throws in
            #expect(try sh("echo x > '\(dir)/r.txt' && rsync '\(dir)/r.txt' '\(inbox)/r.txt'") == 0)
            #expect(try sh("cd '\(inbox)' && echo t > a.tmp && echo t > b.part && echo t > c.swp && echo t > d~ && echo t > .hidden && echo t > '.#lock'") == 0)
            #expect(try sh("echo done > '\(inbox)/last.txt'") == 0)
            #expect(await c.wait { $0.contains(.fileWritten(inbox + "/last.txt")) })
            let all = c.all
            #expect(all.contains(.fileMovedIn(inbox + "/r.txt")), "\(all)")
            let paths = all.compactMap { e -> String? in
                switch e {
                case .fileWritten(let p), .fileMovedIn(let p), .fileRemoved(let p): p
                default: nil
                }
            }
            #expect(Set(paths) == [inbox + "/r.txt", inbox + "/last.txt"], "\(all)")
        }
    }

    @Test("rename inside, delete, and mv out (decided within the pairing delay)")
    func renameDeleteMoveOut() async throws {
        try await withWatcher { (dir: String, inbox: String, c: Collector) async throws in
            #expect(try sh("echo a > '\(inbox)/a.txt' && echo b > '\(inbox)/b.txt' && echo c > '\(inbox)/c.txt'") == 0)
            #expect(await c.wait { $0.contains(.fileWritten(inbox + "/c.txt")) })
            c.clear()
            #expect(try sh("mv '\(inbox)/a.txt' '\(inbox)/a2.txt' && rm '\(inbox)/b.txt' && mv '\(inbox)/c.txt' '\(dir)/c.txt'") == 0)
            let ok = await c.wait { events in
                events.contains(.fileRenamed(from: inbox + "/a.txt", to: inbox + "/a2.txt"))
                    && events.contains(.fileRemoved(inbox + "/b.txt")) && events.contains(.fileRemoved(inbox + "/c.txt"))
            }
            #expect(ok, "\(c.all)")
        }
    }

    @Test("mkdir -p a/b/c then a file at once: the directory is reported after it is watched, so a scan finds the file")
    func mkdirRace() async throws {
        try await withWatcher { (_: String, inbox: String, c: Collector) async throws in
            for i in 0..<20 {
                #expect(try sh("mkdir -p '\(inbox)/r\(i)/b/c' && echo x > '\(inbox)/r\(i)/b/c/f.txt'") == 0)
            }
            #expect(await c.wait { events in (0..<20).allSatisfy { events.contains(.directoryAppeared(inbox + "/r\($0)")) } })
            // Every file is there for the consumer's scan, and c is watched: a new file in it is reported.
            for i in 0..<20 { #expect(FileManager.default.fileExists(atPath: "\(inbox)/r\(i)/b/c/f.txt")) }
            #expect(try sh("echo y > '\(inbox)/r7/b/c/later.txt'") == 0)
            #expect(await c.wait { $0.contains(.fileWritten(inbox + "/r7/b/c/later.txt")) }, "\(c.all)")
        }
    }

    @Test("a directory moved in, renamed inside (later writes use the new path), then moved out")
    func directories() async throws {
        try await withWatcher { (dir: String, inbox: String, c: Collector) async throws in
            #expect(try sh("mkdir -p '\(dir)/out/sub' && echo x > '\(dir)/out/sub/f.txt' && mv '\(dir)/out' '\(inbox)/in'") == 0)
            #expect(await c.wait { $0.contains(.directoryAppeared(inbox + "/in")) })
            #expect(try sh("echo y > '\(inbox)/in/sub/g.txt'") == 0)
            #expect(await c.wait { $0.contains(.fileWritten(inbox + "/in/sub/g.txt")) }, "\(c.all)")
            #expect(try sh("mv '\(inbox)/in' '\(inbox)/renamed'") == 0)
            #expect(await c.wait { $0.contains(.directoryRenamed(from: inbox + "/in", to: inbox + "/renamed")) })
            #expect(try sh("echo z > '\(inbox)/renamed/sub/h.txt'") == 0)
            #expect(await c.wait { $0.contains(.fileWritten(inbox + "/renamed/sub/h.txt")) }, "\(c.all)")
            #expect(try sh("mv '\(inbox)/renamed' '\(dir)/gone'") == 0)
            #expect(await c.wait { $0.contains(.directoryRemoved(inbox + "/renamed")) })
            // Moved out: no longer watched.
            c.clear()
            #expect(try sh("echo w > '\(dir)/gone/sub/i.txt' && echo v > '\(inbox)/marker.txt'") == 0)
            #expect(await c.wait { $0.contains(.fileWritten(inbox + "/marker.txt")) })
            #expect(c.all == [.fileWritten(inbox + "/marker.txt")], "\(c.all)")
            #expect(c.watcher.watchedDirectoryCount == 1)
        }
    }

    @Test("the root deleted and recreated: vanished, then back and watched again")
    func rootComesBack() async throws {
        try await withWatcher { (_: String, inbox: String, c: Collector) async throws in
            #expect(try sh("rm -rf '\(inbox)'") == 0)
            #expect(await c.wait { $0.contains(.rootVanished(inbox)) })
            #expect(try sh("mkdir -p '\(inbox)'") == 0)
            #expect(await c.wait { $0.contains(.rootReturned(inbox)) })
            #expect(try sh("echo x > '\(inbox)/after.txt'") == 0)
            #expect(await c.wait { $0.contains(.fileWritten(inbox + "/after.txt")) }, "\(c.all)")
        }
    }

    @Test("the kernel queue overflows for real (reader paused during a burst): overflow is reported, watches complete")
    func overflow() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "16384") ?? 16384
        let watcher = try InboxWatcher(root: dir, startReading: false)
        // More events than the queue holds: each file gives one IN_CLOSE_WRITE.
        #expect(try sh("cd '\(dir)' && mkdir sub && for i in $(seq 1 \(limit + 500)); do : > f$i.txt; done") == 0)
        let c = Collector(watcher)
        watcher.startReading()
        #expect(await c.wait(20) { $0.contains(.overflow) })
        #expect(watcher.watchedDirectoryCount == 2, "the re-walk after the overflow watches sub/")
        #expect(try sh("echo x > '\(dir)/sub/new.txt'") == 0)
        #expect(await c.wait { $0.contains(.fileWritten(dir + "/sub/new.txt")) })
        await c.stop()
    }

    @Test func decoder() {
        var bytes: [UInt8] = []
        func record(_ wd: Int32, _ mask: UInt32, _ cookie: UInt32, _ name: String, pad: Int) {
            withUnsafeBytes(of: wd.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: mask.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: cookie.littleEndian) { bytes += $0 }
            let nameBytes = Array(name.utf8) + Array(repeating: 0, count: pad)
            withUnsafeBytes(of: UInt32(nameBytes.count).littleEndian) { bytes += $0 }
            bytes += nameBytes
        }
        record(1, Inotify.closeWrite, 0, "مقال.txt", pad: 4)
        record(2, Inotify.ignored, 0, "", pad: 0)
        record(3, Inotify.movedTo, 77, "x", pad: 15)
        let events = bytes.withUnsafeBytes { InotifyEvent.decode($0) }
        #expect(events == [InotifyEvent(wd: 1, mask: Inotify.closeWrite, cookie: 0, name: "مقال.txt"),
                           InotifyEvent(wd: 2, mask: Inotify.ignored, cookie: 0, name: ""),
                           InotifyEvent(wd: 3, mask: Inotify.movedTo, cookie: 77, name: "x")])
        // A truncated record is not read past.
        #expect(Array(bytes.dropLast(3)).withUnsafeBytes { InotifyEvent.decode($0) }.count == 2)
    }

    @Test func filesystemKinds() {
        #expect(FilesystemKind.unwatchable("/") == nil)
        #expect(FilesystemKind.fsType(of: "/proc/self") == "proc")
        #expect(FilesystemKind.unescape("/mnt/my\\040share") == "/mnt/my share")
    }
}
