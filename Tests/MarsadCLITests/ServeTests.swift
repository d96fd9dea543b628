import Foundation
import Testing

/// `marsad serve` as a real process on a free loopback port, beside a real `marsad run`.
@Suite("marsad serve, end to end", .serialized)
struct ServeEndToEndTests {
    /// Starts `marsad serve --listen 127.0.0.1:0` and returns it with the address it printed.
    func startServe(db: String, log: String, extra: [String] = []) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: marsadBinary)
        process.arguments = ["serve", "--db", db, "--listen", "127.0.0.1:0", "--log-target", "console"] + extra
        let out = Pipe()
        process.standardOutput = out
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        // The first line of standard output is "listening on [IPv4]127.0.0.1/127.0.0.1:PORT" or similar.
        var line = Data()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = text.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        else {
            process.terminate()
            throw DaemonError("serve printed no address: '\(text)'")
        }
        return (process, "http://127.0.0.1:\(port)")
    }

    func curl(_ url: String, headers: [String] = []) throws -> (status: Int, body: [String: Any]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-w", "\n%{http_code}"] + headers.flatMap { ["-H", $0] } + [url]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let status = Int(text.split(separator: "\n").last ?? "") ?? 0
        let body = text.split(separator: "\n").dropLast().joined(separator: "\n")
        let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        return (status, json)
    }

    @Test("seeds dropped into marsad run are searchable over HTTP from marsad serve; SIGTERM stops both cleanly")
    func searchOverHTTP() throws {
        try withTemporaryDirectory { dir in
            let d = try DaemonProcess(dir: dir)
            try d.waitUntilWatching()
            let (serve, base) = try startServe(db: d.db, log: dir + "/serve.log")
            defer { if serve.isRunning { serve.terminate(); serve.waitUntilExit() } }
            let inbox = URL(fileURLWithPath: d.inbox).resolvingSymlinksInPath().path
            #expect(try sh("cp '\(seedsDirectory)'/*.txt '\(inbox)/'") == 0)
            try d.settle()
            #expect(try curl(base + "/readyz").status == 200)
            let q = "الميليشيات".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let search = try curl(base + "/api/search?q=\(q)")
            #expect(search.status == 200)
            #expect(search.body["total"] as? Int == 1, "\(search.body)")
            let status = try curl(base + "/api/status")
            #expect(status.body["articles"] as? Int == 5)
            #expect((status.body["daemon"] as? [String: Any])?["running"] as? Bool == true)
            let bad = try curl(base + "/api/search?q=x&limit=500")
            #expect(bad.status == 400 && (bad.body["error"] as? [String: Any])?["code"] as? String == "bad_parameter")
            serve.terminate()  // SIGTERM
            serve.waitUntilExit()
            #expect(serve.terminationStatus == 0, "\((try? String(contentsOfFile: dir + "/serve.log", encoding: .utf8)) ?? "")")
            #expect(d.stop().status == 0)
        }
    }
}

/// A reader that cannot write to the index's folder: `marsad serve` under its unit's read-only file
/// system, or `marsad search` as another user.
@Suite("Reading an index from a read-only folder")
struct ReadOnlyFolderTests {
    @Test("after a clean close, a user who cannot write the folder can search and serve it")
    func readOnlyFolder() throws {
        try withTemporaryDirectory { dir in
            let folder = dir + "/state"
            #expect(try sh("mkdir '\(folder)'") == 0)
            let ingest = try marsad(["ingest", "--db", folder + "/m.db", seedsDirectory])
            #expect(ingest.status == 0, "\(ingest.stderr)")
            // Owned by root, 0755/0644: user 65534 can read everything and write nothing.
            #expect(try sh("chmod 0755 '\(dir)' '\(folder)' && chmod 0644 '\(folder)'/*") == 0)
            let search = try marsad(["search", "--db", folder + "/m.db", "--json", "الميليشيات"], asUser: 65534)
            #expect(search.status == 0, "\(search.stderr)")
            #expect(search.json["total"] as? Int == 1)
        }
    }
}
