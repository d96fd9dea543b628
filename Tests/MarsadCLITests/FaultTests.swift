import Foundation
import Testing

/// Faults that lost or stranded files, each reproduced with real files and real processes.
@Suite("Faults that must not lose a file", .serialized)
struct FaultTests {
    let seed = seedsDirectory + "/000_0bc6245a09814656.txt"
    let seed3 = seedsDirectory + "/003_931eb2a5a6a3a8f9.txt"

    func realInbox(_ d: DaemonProcess) -> String { URL(fileURLWithPath: d.inbox).resolvingSymlinksInPath().path }

    @Test("café.txt in NFC and in NFD beside each other are two files: both are indexed, and wait returns for both")
    func canonicallyEqualNames() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir)
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            let nfc = inbox + "/caf\u{E9}.txt", nfd = inbox + "/cafe\u{301}.txt"
            #expect(nfc == nfd, "Swift calls them equal")
            #expect(try sh("cp '\(seed)' '\(nfc)' && cp '\(seed3)' '\(nfd)'") == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: inbox).count == 2, "two files on disk")
            let wait = try d.wait([nfc, nfd], timeout: 10)
            #expect(wait.status == 0, "\(wait.stdout) \(d.log.suffix(600))")
            let rows = try sqlite(d.db, "SELECT hex(path) FROM files ORDER BY path").split(separator: "\n")
            #expect(rows.count == 2, "\(rows)")
            #expect(Set(rows.map(String.init)) == [Data(nfc.utf8).hexUpper, Data(nfd.utf8).hexUpper])
            #expect(try sqlite(d.db, "SELECT count(*) FROM articles") == "2")
            #expect(d.stop().status == 0)
        }
    }

    @Test("a name that is not UTF-8 (bad-\\xFF.txt) is indexed, shown escaped, and leaves when deleted")
    func nameNotUTF8() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir)
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            #expect(try sh("cp '\(seed)' \"$(printf '\(inbox)/bad-\\377.txt')\"") == 0)
            try d.settle()
            #expect(d.log.contains("indexed \(inbox)/bad-\\xFF.txt"), "\(d.log.suffix(800))")
            // The ledger holds the name losslessly: its escape decodes back to the byte 0xFF.
            #expect(try sqlite(d.db, "SELECT count(*) FROM files WHERE status = 'indexed'") == "1")
            let search = try marsad(["search", "--db", d.db, "--json", "الميليشيات"])
            #expect((search.json["total"] as? Int) == 1, "\(search.stdout)")
            // A restart's reconcile finds the file as recorded: nothing new, nothing vanished.
            #expect(d.stop().status == 0)
            let again = try DaemonProcess(dir: dir)
            try again.waitUntilWatching()
            #expect(again.log.contains("1 files, 0 new or changed, 0 vanished"), "\(again.log.suffix(600))")
            #expect(try sh("rm \"$(printf '\(inbox)/bad-\\377.txt')\"") == 0)
            try again.settle()
            #expect(try sqlite(again.db, "SELECT count(*) FROM files") == "0", "\(again.log.suffix(600))")
            #expect(again.stop().status == 0)
        }
    }

    @Test("marsad ingest: a file that overruns --parse-timeout fails with that reason, and the rest are indexed")
    func ingestParseTimeout() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
            #expect(try sh("cp '\(seedsDirectory)'/*.txt '\(dir)/in/'") == 0)
            // 9 MB of Arabic prose takes the parser and analyzer seconds; a 5 KB seed milliseconds, even in a debug
            // build (which the test runs) on a loaded machine: the bound leaves room for both.
            let paragraph = String(repeating: "قالت الحكومة العراقية إن قوات التحالف ستنسحب في موعد محدد. ", count: 40)
            let big = (0..<1_400).map { "\(paragraph)\($0)\n" }.joined()
            try ("عنوان طويل جدا\n" + big).write(toFile: dir + "/in/huge.txt", atomically: false, encoding: .utf8)
            let run = try marsad(["ingest", "--db", dir + "/m.db", "--json", "--parse-timeout", "0.5", dir + "/in"])
            #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
            let failures = run.json["failures"] as? [[String: Any]] ?? []
            #expect(failures.count == 1, "\(failures)")
            #expect((failures.first?["path"] as? String)?.hasSuffix("/huge.txt") == true)
            #expect((failures.first?["reason"] as? String)?.contains("took longer than 0.5 s") == true, "\(failures)")
            #expect(run.json["indexed"] as? Int == 5)
            #expect(try sqlite(dir + "/m.db", "SELECT status FROM files WHERE path LIKE '%/huge.txt'") == "failed")
        }
    }
}

extension Data {
    var hexUpper: String { map { String(format: "%02X", $0) }.joined() }
}
