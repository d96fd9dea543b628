import Foundation
import Testing

@Suite("The marsad command line, run as a real process")
struct CLITests {
    @Test("ingest, search, show and status on the seeds, with the documented JSON shapes")
    func jsonShapes() throws {
        try withTemporaryDirectory { dir in
            let db = dir + "/m.db"
            #expect(try sh("cp -r '\(seedsDirectory)' '\(dir)/inbox'") == 0)
            let ingest = try marsad(["ingest", "--db", db, dir + "/inbox", "--json"])
            #expect(ingest.status == 0, "\(ingest.stderr)")
            #expect(ingest.json["indexed"] as? Int == 5)
            #expect(Set(ingest.json.keys) == ["indexed", "replaced", "unchanged", "duplicates", "failures", "bytes",
                                              "seconds"])

            let search = try marsad(["search", "--db", db, "--json", "رومانوسكي"])
            #expect(search.status == 0, "\(search.stderr)")
            #expect(search.json["query"] as? String == "رومانوسكي")
            #expect(search.json["total"] as? Int == 1)
            #expect(search.json["total_exact"] as? Bool == true && search.json["ranked"] as? Int == 1)
            let hits = search.json["hits"] as? [[String: Any]] ?? []
            #expect(hits.count == 1)
            let hit = hits.first ?? [:]
            for key in ["id", "path", "title", "score", "snippet", "highlights"] {
                #expect(hit[key] != nil, "hit lacks \(key)")
            }
            #expect((hit["path"] as? String)?.hasPrefix(dir + "/inbox/003_") == true)
            #expect((hit["snippet"] as? String)?.contains("رومانوسكي") == true)

            let status = try marsad(["status", "--json"], environment: ["MARSAD_DB": db])
            #expect(status.status == 0, "\(status.stderr)")
            for key in ["articles", "duplicates", "failed", "index_bytes", "schema_version", "analyzer_version",
                        "last_ingest_at"] {
                #expect(status.json[key] != nil, "status lacks \(key)")
            }
            #expect(status.json["articles"] as? Int == 5)
            #expect((status.json["index_bytes"] as? Int ?? 0) > 0)

            let id = hit["id"] as? Int ?? -1
            let byID = try marsad(["show", "--db", db, String(id), "--json"])
            #expect(byID.status == 0)
            #expect(byID.json["id"] as? Int == id)
            let article = byID.json["article"] as? [String: Any] ?? [:]
            #expect(article["title"] as? String != nil && article["content_sha256"] as? String != nil)
            let byPath = try marsad(["show", "--db", db, hit["path"] as? String ?? "", "--json"])
            #expect(byPath.json["id"] as? Int == id)
        }
    }

    @Test("search exits 0 with no match and 1 on a malformed query, with a message and no SQL in it")
    func searchExitCodes() throws {
        try withTemporaryDirectory { dir in
            let db = dir + "/m.db"
            #expect(try marsad(["ingest", "--db", db, seedsDirectory]).status == 0)
            let none = try marsad(["search", "--db", db, "كلمةغيرموجودة"])
            #expect(none.status == 0)
            #expect(none.stdout.contains("no article matches"))
            let none2 = try marsad(["search", "--db", db, "--json", "كلمةغيرموجودة"])
            #expect(none2.json["total"] as? Int == 0)
            for bad in ["\"unbalanced", "OR", "-داعش", "في"] {
                let run = try marsad(["search", "--db", db, bad])
                #expect(run.status == 1, "\(bad)")
                #expect(run.stderr.hasPrefix("marsad: "), "\(bad): \(run.stderr)")
                #expect(!run.stderr.lowercased().contains("sql") && !run.stderr.contains("fts5"), "\(run.stderr)")
            }
        }
    }

    @Test("the default database: --db, then MARSAD_DB, then $STATE_DIRECTORY/marsad.db, then ./marsad.db")
    func databaseResolution() throws {
        try withTemporaryDirectory { dir in
            let seed = seedsDirectory + "/000_0bc6245a09814656.txt"
            let state = try marsad(["ingest", seed], environment: ["STATE_DIRECTORY": dir])
            #expect(state.status == 0)
            #expect(FileManager.default.fileExists(atPath: dir + "/marsad.db"))
            let env = try marsad(["ingest", seed], environment: ["STATE_DIRECTORY": dir, "MARSAD_DB": dir + "/env.db"])
            #expect(env.status == 0)
            #expect(FileManager.default.fileExists(atPath: dir + "/env.db"))
        }
    }

    @Test("a file that is not a Marsad index is refused and left as it was")
    func refusesForeignDatabase() throws {
        try withTemporaryDirectory { dir in
            let notes = dir + "/notes.txt"
            try "my notes\n".write(toFile: notes, atomically: false, encoding: .utf8)
            let run = try marsad(["ingest", "--db", notes, seedsDirectory])
            #expect(run.status != 0)
            #expect(run.stderr.contains("notes.txt is not a Marsad index"), "\(run.stderr)")
            #expect(try String(contentsOfFile: notes, encoding: .utf8) == "my notes\n")
        }
    }

    @Test("bad inputs: each named with its reason, exit 1, the rest indexed")
    func badInputs() throws {
        try withTemporaryDirectory { dir in
            let db = dir + "/m.db"
            #expect(try sh("""
                mkdir '\(dir)/in' && cp '\(seedsDirectory)'/000*.txt '\(dir)/in/good.txt' && : > '\(dir)/in/empty.txt' \
                && head -c 3000 /bin/sh > '\(dir)/in/binary.txt'
                """) == 0)
            let run = try marsad(["ingest", "--db", db, dir + "/in", dir + "/nope.txt"])
            #expect(run.status == 1)
            #expect(run.stdout.contains("1 indexed"))
            #expect(run.stdout.contains("\(dir)/in/empty.txt: the file is empty"))
            #expect(run.stdout.contains("\(dir)/in/binary.txt: not a text file"))
            #expect(run.stdout.contains("\(dir)/nope.txt: no such file or directory"))

            let parseDir = try marsad(["parse", dir + "/in"])
            #expect(parseDir.status != 0)
            #expect(parseDir.stderr.contains("\(dir)/in: is a directory"), "\(parseDir.stderr)")
        }
    }

    @Test("an unreadable file is named with the reason (run as an unprivileged user)")
    func unreadableFile() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), getuid() == 0 else { return }
        try withTemporaryDirectory { dir in
            #expect(try sh("""
                chmod 777 '\(dir)' && cp '\(seedsDirectory)'/000*.txt '\(dir)/ok.txt' \
                && cp '\(seedsDirectory)'/001*.txt '\(dir)/secret.txt' && chmod 000 '\(dir)/secret.txt' \
                && chmod 644 '\(dir)/ok.txt'
                """) == 0)
            // The runner's temp folder must be reachable by the unprivileged user.
            let run = try marsad(["ingest", "--db", dir + "/m.db", dir], asUser: 65534)
            #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
            #expect(run.stdout.contains("\(dir)/secret.txt: permission denied"), "\(run.stdout)")
            #expect(run.stdout.contains("1 indexed"))
        }
    }

    @Test("analyze prints tokens with offsets into the original text")
    func analyze() throws {
        let run = try marsad(["analyze", "--json", "وانسحابها"])
        #expect(run.status == 0)
        let tokens = run.json["tokens"] as? [[String: Any]] ?? []
        #expect(tokens.count == 1)
        #expect(tokens.first?["token"] as? String == "وانسحابها")
        #expect(tokens.first?["start"] as? Int == 0)
        #expect(tokens.first?["end"] as? Int == "وانسحابها".utf8.count)
    }
}

@Suite("marsad analyze --stem-only")
struct StemOnlyTests {
    @Test("one word a line in, word, normalized form and stem out, in order")
    func wordList() throws {
        let run = try marsad(["analyze", "--stem-only"], stdin: "والمشروبات\nأَعلَنَ\r\n\nالعراق\n")
        #expect(run.status == 0)
        #expect(run.stdout == "والمشروبات\tوالمشروبات\tمشروب\nأَعلَنَ\tاعلن\tاعلن\nالعراق\tالعراق\tعراق\n")
    }
}
