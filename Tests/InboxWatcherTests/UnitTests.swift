import FilePaths
import Testing

@testable import InboxWatcher

@Suite struct DecoderTests {
    @Test func decodesRecordsWithAndWithoutNames() {
        let events = [
            RawInotifyEvent(wd: 1, mask: [.closeWrite], cookie: 0, name: "خبر.txt"),
            RawInotifyEvent(wd: -1, mask: [.queueOverflow], cookie: 0, name: ""),
            RawInotifyEvent(wd: 7, mask: [.movedFrom, .isDirectory], cookie: 42, name: String(repeating: "a", count: 255)),
            RawInotifyEvent(wd: 7, mask: [.movedTo], cookie: 42, name: "b"),
        ]
        let bytes = EventDecoder.encode(events)
        #expect(bytes.count == (16 + 16) + 16 + (16 + 256) + (16 + 16))
        let decoded = bytes.withUnsafeBytes { EventDecoder.decode($0) }
        #expect(decoded == events)
    }

    @Test func stopsAtATruncatedRecord() {
        var bytes = EventDecoder.encode([
            RawInotifyEvent(wd: 1, mask: [.create], cookie: 0, name: "a"),
            RawInotifyEvent(wd: 2, mask: [.create], cookie: 0, name: "b"),
        ])
        bytes.removeLast(5)
        let decoded = bytes.withUnsafeBytes { EventDecoder.decode($0) }
        #expect(decoded.map(\.name) == ["a"])
    }

    @Test func keepsInvalidUTF8NamesLosslessly() {
        var bytes = EventDecoder.encode([RawInotifyEvent(wd: 1, mask: [.closeWrite], cookie: 0, name: "abcd")])
        bytes[17] = 0xFF
        let decoded = bytes.withUnsafeBytes { EventDecoder.decode($0) }
        #expect(decoded.count == 1)
        #expect(decoded[0].name == "a\u{10FFFF}cd")
        #expect(FileName.systemBytes(decoded[0].name) == [0x61, 0xFF, 0x63, 0x64])
        #expect(FileName.displayed(decoded[0].name) == "a\\xFFcd")
    }
}

@Suite struct WatchTableTests {
    @Test func renamesAndRemovesWholeSubtrees() {
        var table = WatchTable()
        _ = table.insert(1, at: "")
        _ = table.insert(2, at: "a")
        _ = table.insert(3, at: "a/b")
        _ = table.insert(4, at: "a/b/c")
        _ = table.insert(5, at: "ab")
        table.move(from: "a", to: "x/y")
        #expect(table.path(of: 4) == "x/y/b/c")
        #expect(table.watch(at: "x/y/b") == 3)
        #expect(table.watch(at: "a/b") == nil)
        #expect(table.path(of: 5) == "ab")
        let removed = table.removeSubtree(at: "x/y").map(\.wd).sorted()
        #expect(removed == [2, 3, 4])
        #expect(table.count == 2)
    }

    @Test func aKnownDescriptorAtANewPathIsARelocation() {
        var table = WatchTable()
        _ = table.insert(1, at: "")
        _ = table.insert(2, at: "old")
        _ = table.insert(3, at: "old/sub")
        let (insertion, displaced) = table.insert(2, at: "new")
        #expect(insertion == .relocated(from: "old"))
        #expect(displaced.isEmpty)
        #expect(table.path(of: 3) == "new/sub")
        #expect(table.insert(2, at: "new").insertion == .alreadyThere)
    }

    @Test func aNewDirectoryAtAKnownPathDisplacesTheStaleOne() {
        var table = WatchTable()
        _ = table.insert(1, at: "")
        _ = table.insert(2, at: "a")
        _ = table.insert(3, at: "a/b")
        let (insertion, displaced) = table.insert(9, at: "a")
        #expect(insertion == .added)
        #expect(displaced.sorted() == [2, 3])
        #expect(table.count == 2)
    }

    @Test func renamingOverAnEmptyDirectoryDisplacesIt() {
        var table = WatchTable()
        _ = table.insert(1, at: "")
        _ = table.insert(2, at: "a")
        _ = table.insert(3, at: "b")
        #expect(table.move(from: "a", to: "b") == [3])
        #expect(table.watch(at: "b") == 2)
        #expect(table.watch(at: "a") == nil)
    }
}

@Suite struct RenamePairingTests {
    let t0 = ContinuousClock.now

    @Test func pairsHalvesAcrossReadsAndReleasesInOrder() {
        var pairing = RenamePairing(window: .milliseconds(20))
        let from = RawInotifyEvent(wd: 1, mask: [.movedFrom], cookie: 9, name: "a")
        let to = RawInotifyEvent(wd: 2, mask: [.movedTo], cookie: 9, name: "b")
        let after = RawInotifyEvent(wd: 2, mask: [.closeWrite], cookie: 0, name: "c")
        let before = RawInotifyEvent(wd: 1, mask: [.closeWrite], cookie: 0, name: "z")
        pairing.append([before, from], now: t0)
        #expect(pairing.takeReady(now: t0) == [.single(before)])
        #expect(pairing.nextDeadline == t0 + .milliseconds(20))
        pairing.append([to, after], now: t0 + .milliseconds(1))
        #expect(pairing.takeReady(now: t0 + .milliseconds(1)) == [.rename(from: from, to: to), .single(after)])
        #expect(!pairing.isHolding)
    }

    @Test func anUnmatchedHalfBecomesAMoveOutAfterTheWindow() {
        var pairing = RenamePairing(window: .milliseconds(20))
        let from = RawInotifyEvent(wd: 1, mask: [.movedFrom], cookie: 9, name: "a")
        let later = RawInotifyEvent(wd: 1, mask: [.closeWrite], cookie: 0, name: "b")
        pairing.append([from, later], now: t0)
        #expect(pairing.takeReady(now: t0 + .milliseconds(19)).isEmpty)
        #expect(pairing.takeReady(now: t0 + .milliseconds(20)) == [.movedOut(from), .single(later)])
        // A late partner is a move in.
        let to = RawInotifyEvent(wd: 1, mask: [.movedTo], cookie: 9, name: "c")
        pairing.append([to], now: t0 + .milliseconds(30))
        #expect(pairing.takeReady(now: t0 + .milliseconds(30)) == [.single(to)])
    }

    @Test func anOverflowEndsEveryWait() {
        var pairing = RenamePairing(window: .seconds(10))
        let from = RawInotifyEvent(wd: 1, mask: [.movedFrom], cookie: 9, name: "a")
        let overflow = RawInotifyEvent(wd: -1, mask: [.queueOverflow], cookie: 0, name: "")
        pairing.append([from, overflow], now: t0)
        #expect(pairing.takeReady(now: t0) == [.movedOut(from), .single(overflow)])
    }
}

@Suite struct BatchQueueTests {
    @Test func deliversInOrderThenEnds() async {
        let queue = BatchQueue(limit: 10)
        queue.push([.fileWritten("/a")])
        queue.push([.fileWritten("/b"), .fileRemoved("/a")])
        queue.finish()
        #expect(await queue.next() == [.fileWritten("/a")])
        #expect(await queue.next() == [.fileWritten("/b"), .fileRemoved("/a")])
        #expect(await queue.next() == nil)
    }

    @Test func aFullQueueDropsBatchesForOneOverflowMarker() async {
        let queue = BatchQueue(limit: 3)
        #expect(queue.push([.fileWritten("/1"), .fileWritten("/2")]))
        #expect(!queue.push([.fileWritten("/3"), .fileWritten("/4")]))
        #expect(!queue.push([.fileWritten("/5")]))
        #expect(queue.droppedEvents == 3)
        #expect(await queue.next() == [.fileWritten("/1"), .fileWritten("/2")])
        #expect(await queue.next() == [.overflow])
        // Room again: later batches flow, and a later drop gets a new marker.
        #expect(queue.push([.fileWritten("/6")]))
        #expect(await queue.next() == [.fileWritten("/6")])
    }

    @Test func aWaitingConsumerGetsTheNextBatchAndCancellationEndsTheWait() async {
        let queue = BatchQueue()
        async let next = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        queue.push([.overflow])
        #expect(await next == [.overflow])

        let waiting = Task { await queue.next() }
        try? await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        #expect(await waiting.value == nil)
    }
}

@Suite struct NameAndPathTests {
    @Test(arguments: [
        (".x.txt.AbC123", true), (".#x.txt", true), ("x.txt.swp", true), ("x.tmp", true), ("x.part", true),
        ("x.txt~", true), ("x.crdownload", true), ("خبر.txt", false), ("x.txt", false), ("tmp.txt", false),
    ])
    func temporaryNames(name: String, temporary: Bool) {
        #expect(InboxWatcher.isTemporaryName(name) == temporary)
    }

    @Test func relativePaths() {
        #expect(RelativePath.join("", "a") == "a")
        #expect(RelativePath.join("a/b", "c") == "a/b/c")
        #expect(RelativePath.parent(of: "a") == "")
        #expect(RelativePath.parent(of: "a/b/c") == "a/b")
        #expect(RelativePath.parent(of: "") == nil)
        #expect(RelativePath.name(of: "a/b/c") == "c")
        #expect(RelativePath.isWithin("a/b", "a"))
        #expect(!RelativePath.isWithin("ab", "a"))
        #expect(RelativePath.rebase("a/b/c", from: "a/b", to: "x") == "x/c")
    }

    @Test func filesystemsWithoutReliableEvents() {
        #expect(FilesystemKind(magic: 0x6969).nameWithoutReliableEvents == "NFS")
        #expect(FilesystemKind(magic: 0xFF53_4D42).nameWithoutReliableEvents == "CIFS")
        #expect(FilesystemKind(magic: 0x0102_1997).nameWithoutReliableEvents?.hasPrefix("9P") == true)
        #expect(FilesystemKind(magic: 0xEF53).nameWithoutReliableEvents == nil)  // ext4
        // statfs through the CLinux shim works: /proc is procfs (0x9FA0).
        #expect(LinuxCalls.filesystemMagic(ofPath: "/proc") == 0x9FA0)
        #expect(LinuxCalls.filesystemMagic(ofPath: "/nonexistent-\(UInt32.random(in: 0...UInt32.max))") == nil)
    }
}
