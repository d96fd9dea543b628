import Foundation
import Testing

/// `marsad run` as a real process on a real inbox, driven the way users drop files.
@Suite("The daemon, end to end", .serialized)
struct DaemonEndToEndTests {
    let seed = seedsDirectory + "/000_0bc6245a09814656.txt"
    let seed3 = seedsDirectory + "/003_931eb2a5a6a3a8f9.txt"
    let seed4 = seedsDirectory + "/004_294b61a1675897da.txt"

    func searchPaths(_ daemon: DaemonProcess, _ query: String) throws -> [String] {
        let run = try marsad(["search", "--db", daemon.db, "--json", "--limit", "100", query])
        return (run.json["hits"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    }

    func realInbox(_ d: DaemonProcess) -> String { URL(fileURLWithPath: d.inbox).resolvingSymlinksInPath().path }

    @Test("cp, mv, a slow append in three writes and rsync all end up indexed with their final content")
    func drops() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir)
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            #expect(try sh("cp '\(seed)' '\(inbox)/copied.txt'") == 0)
            #expect(try sh("cp '\(seed3)' '\(dir)/staged.txt' && mv '\(dir)/staged.txt' '\(inbox)/moved.txt'") == 0)
            #expect(try sh("""
                printf 'عنوان الخبر\\n' > '\(inbox)/slow.txt'; sleep 0.3; printf 'سطر عن البرتقال\\n' >> '\(inbox)/slow.txt'; \
                sleep 0.3; printf 'سطر أخير عن الليمون\\n' >> '\(inbox)/slow.txt'
                """) == 0)
            let hasRsync = FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync")
            if hasRsync {
                #expect(try sh("printf 'عنوان\\nمقال عن الرمان\\n' > '\(dir)/r.txt' && rsync '\(dir)/r.txt' '\(inbox)/rsynced.txt'") == 0)
            }
            let files = ["copied.txt", "moved.txt", "slow.txt"] + (hasRsync ? ["rsynced.txt"] : [])
            let wait = try d.wait(files.map { inbox + "/" + $0 })
            #expect(wait.status == 0, "\(wait.stdout) \(d.log)")
            #expect(try searchPaths(d, "الميليشيات") == [inbox + "/copied.txt"])
            #expect(try searchPaths(d, "رومانوسكي") == [inbox + "/moved.txt"])
            #expect(try searchPaths(d, "الليمون") == [inbox + "/slow.txt"])
            #expect(try searchPaths(d, "البرتقال") == [inbox + "/slow.txt"])
            if hasRsync { #expect(try searchPaths(d, "الرمان") == [inbox + "/rsynced.txt"]) }
            #expect(try ledger(d.db).keys.allSatisfy { !$0.contains("/.") }, "rsync's temp file was indexed")
            #expect(d.stop().status == 0)
        }
    }

    @Test("delete, rename (same article), directories moved in and out, mkdir -p then a file at once")
    func treeChanges() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir)
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            #expect(try sh("cp '\(seed)' '\(inbox)/a.txt' && cp '\(seed3)' '\(inbox)/b.txt'") == 0)
            #expect(try d.wait([inbox + "/a.txt", inbox + "/b.txt"]).status == 0)
            let idBefore = try sqlite(d.db, "SELECT article_id FROM files WHERE path = '\(inbox)/a.txt'")

            #expect(try sh("mv '\(inbox)/a.txt' '\(inbox)/renamed.txt'") == 0)
            #expect(try d.wait([inbox + "/renamed.txt"]).status == 0)
            try d.settle()
            #expect(try sqlite(d.db, "SELECT article_id FROM files WHERE path = '\(inbox)/renamed.txt'") == idBefore)
            #expect(try searchPaths(d, "الميليشيات") == [inbox + "/renamed.txt"])

            #expect(try sh("rm '\(inbox)/b.txt'") == 0)
            try d.settle()
            #expect(try searchPaths(d, "رومانوسكي").isEmpty)

            // A folder with files moved in from outside, then moved out again.
            #expect(try sh("mkdir -p '\(dir)/outside/sub' && cp '\(seed3)' '\(dir)/outside/sub/x.txt' && mv '\(dir)/outside' '\(inbox)/came-in'") == 0)
            #expect(try d.wait([inbox + "/came-in/sub/x.txt"]).status == 0)
            #expect(try searchPaths(d, "رومانوسكي") == [inbox + "/came-in/sub/x.txt"])
            #expect(try sh("mv '\(inbox)/came-in' '\(dir)/gone'") == 0)
            try d.settle()
            Thread.sleep(forTimeInterval: 0.2)
            #expect(try searchPaths(d, "رومانوسكي").isEmpty, "\(d.log)")

            // mkdir -p and a file at once: the race that loses files elsewhere.
            for i in 0..<5 {
                #expect(try sh("mkdir -p '\(inbox)/n\(i)/b/c' && cp '\(seed3)' '\(inbox)/n\(i)/b/c/f.txt'") == 0)
            }
            #expect(try d.wait((0..<5).map { "\(inbox)/n\($0)/b/c/f.txt" }).status == 0, "\(d.log)")
            try d.settle()
            #expect(try ledger(d.db).keys.sorted() == filesOnDisk(inbox).sorted())
            #expect(d.stop().status == 0)
        }
    }

    @Test("bad files beside good ones: the daemon stays up, good files are indexed, bad ones recorded with a reason")
    func badFiles() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir, extra: ["--workers", "2"])
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            #expect(try sh("""
                cd '\(inbox)' && cp '\(seed)' good1.txt && head -c 4000 /bin/sh > binary.txt && : > empty.txt \
                && printf 'abc\\377\\376\\000\\001\\002 binary' > invalid.txt && head -c 11000000 /dev/zero | tr '\\0' 'a' > huge.txt \
                && ln -s /etc/passwd passwd.txt && mkfifo fifo.txt && cp '\(seed3)' good2.txt
                """) == 0)
            #expect(try d.wait([inbox + "/good1.txt", inbox + "/good2.txt"]).status == 0)
            let failed = try d.wait([inbox + "/binary.txt", inbox + "/empty.txt", inbox + "/huge.txt"])
            #expect(failed.status == 1)
            #expect(failed.stdout.contains("binary.txt: not a text file"), "\(failed.stdout)")
            #expect(failed.stdout.contains("empty.txt: the file is empty"))
            #expect(failed.stdout.contains("huge.txt: too large"))
            // Links moved into place, and one written over an indexed article: never followed.
            #expect(try sh("""
                cd '\(dir)' && ln -s /etc/passwd moved.txt && mv moved.txt '\(inbox)/moved.txt' \
                && ln -sf /etc/passwd '\(inbox)/good2.txt'
                """) == 0)
            try d.settle()
            let files = try ledger(d.db)
            #expect(files[inbox + "/passwd.txt"] == nil, "a symlink out of the inbox was followed")
            #expect(files[inbox + "/moved.txt"] != "indexed", "a symlink moved into the inbox was followed")
            #expect(files[inbox + "/good2.txt"] != "indexed", "a symlink over an article was followed")
            let skipped = try d.wait([inbox + "/moved.txt", inbox + "/fifo.txt"], timeout: 3)
            #expect(skipped.status == 1)
            #expect(skipped.stdout.contains("moved.txt: not a regular file (a symbolic link, not followed)"),
                    "\(skipped.stdout)")
            #expect(skipped.stdout.contains("fifo.txt: not a regular file (a FIFO)"))
            let leaked = try marsad(["search", "--db", d.db, "--json", "nologin"])
            #expect((leaked.json["total"] as? Int) == 0, "/etc/passwd was indexed: \(leaked.stdout)")
            #expect(files[inbox + "/fifo.txt"] == nil)
            #expect(files[inbox + "/good1.txt"] == "indexed")
            let status = try marsad(["status", "--db", d.db, "--json"])
            #expect((status.json["daemon"] as? [String: Any])?["running"] as? Bool == true)
            #expect(d.process.isRunning)
            #expect(d.stop().status == 0)
        }
    }

    @Test("one daemon per database; searches work while it writes; SIGTERM exits 0 within seconds")
    func singleInstanceAndShutdown() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir)
            try d.waitUntilWatching()
            let second = try marsad(["run", "--inbox", dir + "/other", "--db", d.db])
            #expect(second.status != 0)
            #expect(second.stderr.contains("already running"), "\(second.stderr)")
            let status = try marsad(["status", "--db", d.db, "--json"])
            let daemon = status.json["daemon"] as? [String: Any] ?? [:]
            #expect(daemon["running"] as? Bool == true)
            #expect(daemon["pid"] as? Int == Int(d.process.processIdentifier))
            #expect(daemon["inbox"] as? String == realInbox(d))
            #expect(daemon["uptime_s"] as? Int != nil)
            #expect(daemon["updated_at"] as? Double != nil, "how old the snapshot is can be told")
            #expect(status.json["queue_depth"] as? Int == 0)
            let inbox = realInbox(d)
            for i in 0..<200 { #expect(try sh("cp '\(seed)' '\(inbox)/f\(i).txt'") == 0 || true) }
            #expect(try marsad(["search", "--db", d.db, "الميليشيات"]).status == 0)
            let stopped = d.stop()
            #expect(stopped.status == 0)
            #expect(stopped.seconds < 5)
            let after = try marsad(["status", "--db", d.db, "--json"])
            #expect((after.json["daemon"] as? [String: Any])?["running"] as? Bool == false)
        }
    }

    @Test("a real inotify overflow (the daemon stopped while 9,000 files arrive) ends in a rescan: index equals folder")
    func overflowRescans() throws {
        try withTemporaryDirectory { dir in
            let limit = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 16_384
            try #require(limit <= 100_000, "max_queued_events is \(limit): too large to overflow in a test")
            let d = try DaemonProcess(dir: dir, extra: ["--log-level", "info"])
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            // Two events a file (create, close-write): far more than the kernel queues while the daemon is stopped.
            let count = limit / 2 + 1_000
            d.signal(SIGSTOP)
            #expect(try sh("""
                cd '\(inbox)' && i=0; while [ $i -lt \(count) ]; do i=$((i+1)); printf 'عنوان %s\\nنص المقال رقم %s\\n' $i $i > f$i.txt; done
                """) == 0)
            d.signal(SIGCONT)
            let deadline = Date().addingTimeInterval(30)
            // The watcher logs the kernel overflow first, then the daemon its rescan: wait for the daemon.
            while !d.log.contains("inotify queue overflowed") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(d.log.contains("inotify queue overflowed"), "no overflow reported: \(d.log.suffix(800))")
            // A liveness bound, not a speed check: the debug build indexes the 9,000 files, finding each one's
            // story, in about 2 minutes on two cores (116 s measured alone).
            try d.settle(timeout: 300)
            let onDisk = filesOnDisk(inbox)
            let files = try ledger(d.db)
            #expect(onDisk.count == count)
            #expect(Set(files.keys) == onDisk, "\(onDisk.subtracting(files.keys).count) files never indexed")
            #expect(files.values.allSatisfy { $0 == "indexed" })
            #expect(d.stop().status == 0)
        }
    }

    @Test("SIGKILL during a 2,000-file burst, 10 times, beside a reader in a loop: each restart starts and ends with the index equal to the folder")
    func crashDuringBurst() throws {
        try withTemporaryDirectory { dir in
            let inbox = dir + "/inbox"
            #expect(try sh("mkdir -p '\(inbox)'") == 0)
            // A hostile reader: `marsad status --json` in a loop for the whole test. A restart must wait for its
            // locks (it once exited with "database is locked" about 4 starts in 10), never give up.
            let reader = Process()
            reader.executableURL = URL(fileURLWithPath: "/bin/sh")
            reader.arguments = ["-c", "while :; do \"$0\" status --db \"$1\" --json >/dev/null 2>&1; done",
                                marsadBinary, dir + "/m.db"]
            try reader.run()
            defer { reader.terminate(); reader.waitUntilExit() }
            var generator = SystemRandomNumberGenerator()
            func checkIndexEqualsFolder(_ d: DaemonProcess, _ when: String) throws {
                try d.settle()
                let onDisk = filesOnDisk(inbox)
                let files = try ledger(d.db)
                let missing = onDisk.subtracting(files.keys), extra = Set(files.keys).subtracting(onDisk)
                #expect(missing.isEmpty && extra.isEmpty,
                        "\(when): \(missing.count) missing (\(missing.sorted().prefix(3))), \(extra.count) extra (\(extra.sorted().prefix(3))); log: \(d.log.suffix(1500))")
                #expect(files.values.allSatisfy { $0 == "indexed" }, "\(when)")
                #expect(try sqlite(d.db, "PRAGMA integrity_check") == "ok", "\(when)")
                #expect(try sqlite(d.db, "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM files WHERE article_id IS NOT NULL)") == "0", "\(when)")
                #expect(try sqlite(d.db, "SELECT count(*) FROM articles") == String(onDisk.count), "\(when)")
            }
            var previousWriter: Process?
            for round in 0...10 {
                // Started again at once after the SIGKILL, while the reader may be recovering the WAL.
                let d = try DaemonProcess(dir: dir, inbox: inbox)
                try d.waitUntilWatching()
                if let previous = previousWriter {
                    previous.waitUntilExit()
                    #expect(try sh("cd '\(inbox)' && rm -f r\(round - 1)-1*.txt && mv r\(round - 1)-2.txt moved-\(round).txt") == 0)
                    // What the previous round's burst and SIGKILL left: the restart brings the index level with it.
                    try checkIndexEqualsFolder(d, "after restart \(round)")
                }
                if round == 10 {
                    let stopped = d.stop()
                    #expect(stopped.status == 0, "\(d.log.suffix(1500))")
                    break
                }
                // 200 new files per round (2,000 in all), some deleted and some renamed as the rounds go.
                let script = """
                    cd '\(inbox)' && for i in $(seq 1 200); do printf 'عنوان %s\\nنص المقال رقم %s في الجولة \(round)\\n' "$i" "$i" > r\(round)-$i.txt; done
                    """
                let writer = Process()
                writer.executableURL = URL(fileURLWithPath: "/bin/sh")
                writer.arguments = ["-c", script]
                try writer.run()
                previousWriter = writer
                Thread.sleep(forTimeInterval: Double.random(in: 0.01...0.4, using: &generator))
                d.kill9()
            }
        }
    }

    @Test("consume mode moves indexed files to the archive and failed ones to failed/ with a reason")
    func consumeMode() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir, extra: ["--mode", "consume", "--archive-dir", dir + "/archive",
                                                        "--failed-dir", dir + "/failed"])
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            #expect(try sh("cp '\(seed3)' '\(inbox)/keep.txt' && : > '\(inbox)/bad.txt'") == 0)
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline, !(FileManager.default.fileExists(atPath: dir + "/archive/keep.txt")
                                        && FileManager.default.fileExists(atPath: dir + "/failed/bad.txt.reason")) {
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(FileManager.default.fileExists(atPath: dir + "/archive/keep.txt"), "\(d.log)")
            #expect(!FileManager.default.fileExists(atPath: inbox + "/keep.txt"))
            #expect(try String(contentsOfFile: dir + "/failed/bad.txt.reason", encoding: .utf8) == "the file is empty\n")
            try d.settle()
            #expect(try searchPaths(d, "رومانوسكي") == [URL(fileURLWithPath: dir).resolvingSymlinksInPath().path + "/archive/keep.txt"]
                    || searchPaths(d, "رومانوسكي") == [dir + "/archive/keep.txt"])
            #expect(d.stop().status == 0)
        }
    }

    @Test("SIGHUP reloads exclude patterns and the worker count without dropping events; newly excluded files leave")
    func reload() throws {
        try withTemporaryDirectory { dir in
            let config = dir + "/marsad.toml"
            try "exclude = []\nworkers = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
            let d = try DaemonProcess(dir: dir, extra: ["--config", config])
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            #expect(try sh("cp '\(seed4)' '\(inbox)/draft-0.txt'") == 0)
            #expect(try d.wait([inbox + "/draft-0.txt"]).status == 0)
            // 300 files written while the reload happens: none may be lost.
            let writer = Process()
            writer.executableURL = URL(fileURLWithPath: "/bin/sh")
            writer.arguments = ["-c", """
                cd '\(inbox)' && i=0; while [ $i -lt 300 ]; do i=$((i+1)); printf 'عنوان %s\\nنص المقال رقم %s\\n' $i $i > during-$i.txt; done
                """]
            try writer.run()
            try "exclude = [\"draft-*\"]\nworkers = 1\nlog_level = \"debug\"\n".write(toFile: config, atomically: true,
                                                                                   encoding: .utf8)
            d.signal(SIGHUP)
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline && !d.log.contains("reloaded") { Thread.sleep(forTimeInterval: 0.05) }
            #expect(d.log.contains("reloaded the configuration (1 workers"), "\(d.log.suffix(600))")
            writer.waitUntilExit()
            #expect(try sh("cp '\(seed)' '\(inbox)/draft-1.txt' && cp '\(seed3)' '\(inbox)/final.txt'") == 0)
            #expect(try d.wait([inbox + "/final.txt"]).status == 0)
            try d.settle()
            let files = try ledger(d.db)
            #expect(files[inbox + "/draft-1.txt"] == nil)
            #expect(files[inbox + "/draft-0.txt"] == nil, "a file excluded by the reload stayed in the index")
            #expect(d.log.contains("1 now excluded"))
            #expect((1...300).allSatisfy { files[inbox + "/during-\($0).txt"] == "indexed" },
                    "\((1...300).filter { files[inbox + "/during-\($0).txt"] != "indexed" }.count) of 300 not indexed")
            #expect(d.process.isRunning)
            #expect(d.stop().status == 0)
        }
    }

    @Test("a new mtime over the same content (touch -c -d, as rsync -t and tar set it) is recorded at once, unparsed")
    func metadataOnlyChange() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir)
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            #expect(try sh("cp '\(seed)' '\(inbox)/a.txt'") == 0)
            #expect(try d.wait([inbox + "/a.txt"]).status == 0)
            let mtime = { try sqlite(d.db, "SELECT CAST(mtime AS INTEGER) FROM files WHERE path = '\(inbox)/a.txt'") }
            // A new mtime and the same content, set without opening the file: inotify reports only IN_ATTRIB.
            #expect(try sh("touch -c -d '2001-01-01 00:00:00 UTC' '\(inbox)/a.txt'") == 0)  // -c: utimensat, no open
            // marsad wait compares the file's stamp with the ledger's: it returns once the new stamp is recorded.
            #expect(try d.wait([inbox + "/a.txt"], timeout: 5).status == 0, "\(d.log.suffix(800))")
            #expect(try mtime() == "978307200")
            #expect(d.log.contains("(new stamp recorded)"), "\(d.log.suffix(800))")
            #expect(!d.log.contains("replaced"), "the file was parsed again")
            #expect(try ledger(d.db)[inbox + "/a.txt"] == "indexed")
            #expect(d.stop().status == 0)
        }
    }

    @Test("the timer reconcile finds what no event reported (a stamp the ledger lost), records it once, then stays quiet")
    func timerReconcile() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir, extra: ["--reconcile-interval", "0.5"])
            try d.waitUntilWatching()
            let inbox = realInbox(d)
            #expect(try sh("cp '\(seed)' '\(inbox)/a.txt'") == 0)
            #expect(try d.wait([inbox + "/a.txt"]).status == 0)
            let mtime = { try sqlite(d.db, "SELECT CAST(mtime AS INTEGER) FROM files WHERE path = '\(inbox)/a.txt'") }
            let onDisk = try mtime()
            // The ledger and the disk disagree and no event says so (as after an event lost to an overflow).
            _ = try sqlite(d.db, "UPDATE files SET mtime = 978307200 WHERE path = '\(inbox)/a.txt'", write: true)
            #expect(try mtime() == "978307200")
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, try mtime() != onDisk { Thread.sleep(forTimeInterval: 0.1) }
            #expect(try mtime() == onDisk, "\(d.log.suffix(800))")
            #expect(d.log.contains("(timer)"))
            #expect(try ledger(d.db)[inbox + "/a.txt"] == "indexed")
            // Later timer reconciles find nothing to do: the file is not queued (read) again.
            Thread.sleep(forTimeInterval: 1.5)
            let timerLines = d.log.split(separator: "\n").filter { $0.contains("(timer)") }
            #expect(timerLines.last?.contains(" 0 new or changed") == true, "\(timerLines.suffix(3))")
            #expect(d.stop().status == 0)
        }
    }

    @Test("after a parser upgrade, articles from the older parser are re-parsed in the background")
    func reparseAfterParserUpgrade() throws {
        try withTemporaryDirectory { dir in
            let inbox = dir + "/inbox"
            #expect(try sh("mkdir -p '\(inbox)' && cp '\(seedsDirectory)'/*.txt '\(inbox)/'") == 0)
            var d = try DaemonProcess(dir: dir, inbox: inbox)
            try d.waitUntilWatching()
            try d.settle()
            #expect(d.stop().status == 0)
            _ = try sqlite(d.db, "UPDATE articles SET parser_version = 0", write: true)
            #expect(try marsad(["status", "--db", d.db, "--json"]).json["stale_articles"] as? Int == 5)
            let ids = try sqlite(d.db, "SELECT group_concat(id) FROM (SELECT id FROM articles ORDER BY id)")
            d = try DaemonProcess(dir: dir, inbox: inbox)
            try d.waitUntilWatching()
            try d.settle()
            #expect(try marsad(["status", "--db", d.db, "--json"]).json["stale_articles"] as? Int == 0, "\(d.log.suffix(800))")
            #expect(try sqlite(d.db, "SELECT group_concat(id) FROM (SELECT id FROM articles ORDER BY id)") == ids, "ids are kept")
            #expect(d.stop().status == 0)
        }
    }

    @Test("start-up reconcile: files added, changed, renamed and deleted while stopped")
    func reconcileAtStart() throws {
        try withTemporaryDirectory { dir in
            let inbox = dir + "/inbox"
            #expect(try sh("mkdir -p '\(inbox)' && cp '\(seed)' '\(inbox)/a.txt' && cp '\(seed3)' '\(inbox)/b.txt' && printf 'عنوان\\nالتين\\n' > '\(inbox)/c.txt'") == 0)
            var d = try DaemonProcess(dir: dir, inbox: inbox)
            try d.waitUntilWatching()
            try d.settle()
            let real = realInbox(d)
            let idA = try sqlite(d.db, "SELECT article_id FROM files WHERE path = '\(real)/a.txt'")
            #expect(d.stop().status == 0)
            #expect(try sh("cd '\(inbox)' && mv a.txt a2.txt && rm b.txt && printf 'عنوان\\nالعنب\\n' > c.txt && cp '\(seed3)' d.txt") == 0)
            d = try DaemonProcess(dir: dir, inbox: inbox)
            try d.waitUntilWatching()
            try d.settle()
            #expect(try sqlite(d.db, "SELECT article_id FROM files WHERE path = '\(real)/a2.txt'") == idA)
            #expect(try searchPaths(d, "التين").isEmpty)
            #expect(try searchPaths(d, "العنب") == [real + "/c.txt"])
            #expect(Set(try ledger(d.db).keys) == filesOnDisk(inbox))
            #expect(d.stop().status == 0)
        }
    }
}
