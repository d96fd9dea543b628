import Foundation

/// A `marsad run` child process on a temp inbox and database, stopped when the test ends.
final class DaemonProcess {
    let inbox: String
    let db: String
    let process = Process()
    let logPath: String

    init(dir: String, inbox: String? = nil, extra: [String] = []) throws {
        self.inbox = inbox ?? dir + "/inbox"
        db = dir + "/m.db"
        logPath = dir + "/daemon.log"
        try FileManager.default.createDirectory(atPath: self.inbox, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: marsadBinary)
        process.arguments = ["run", "--inbox", self.inbox, "--db", db, "--reconcile-interval", "0",
                             "--log-level", "debug"] + extra
        // MARSAD_TEST_FORCE_POLLING=1 runs every daemon test on the polling fallback instead of inotify.
        if ProcessInfo.processInfo.environment["MARSAD_TEST_FORCE_POLLING"] == "1" {
            process.arguments! += ["--force-polling", "--poll-interval", "0.1"]
        }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "JOURNAL_STREAM")
        process.environment = env
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until the daemon has its watches and finished the start-up reconcile.
    func waitUntilWatching(timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: db + ".status.json"),
               let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let state = json["state"] as? String, state == "watching" || state == "polling",
               json["pid"] as? Int == Int(process.processIdentifier) {
                return
            }
            if !process.isRunning { throw DaemonError("the daemon exited: \(log)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw DaemonError("the daemon did not start watching in \(timeout) s: \(log)")
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// `marsad wait` on paths; returns its run.
    func wait(_ paths: [String], timeout: Double = 15) throws -> Run {
        try marsad(["wait", "--db", db, "--timeout", String(timeout)] + paths)
    }

    /// Waits until the daemon's queue is empty and stays so briefly.
    func settle(timeout: Double = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var quietSince: Date?
        while Date() < deadline {
            let status = try marsad(["status", "--db", db, "--json"])
            let depth = status.json["queue_depth"] as? Int ?? -1
            let state = (status.json["daemon"] as? [String: Any])?["state"] as? String
            if depth == 0 && (state == "watching" || state == "polling") {
                if let since = quietSince, Date().timeIntervalSince(since) > 0.5 { return }
                if quietSince == nil { quietSince = Date() }
            } else {
                quietSince = nil
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw DaemonError("the daemon did not settle in \(timeout) s")
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// SIGTERM, then waits for the exit; returns the exit status and how long it took.
    @discardableResult
    func stop() -> (status: Int32, seconds: Double) {
        guard process.isRunning else { return (process.terminationStatus, 0) }
        let start = Date()
        signal(SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { signal(SIGKILL); process.waitUntilExit() }
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    func kill9() {
        signal(SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill9() }
    }
}

struct DaemonError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Paths of every indexed or duplicate file in the ledger (via `marsad search` is not enough: it hides
/// duplicates), read with sqlite3 from the real database file.
func ledger(_ db: String) throws -> [String: String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = ["-readonly", "-separator", "\t", db, "SELECT path, status FROM files"]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var result: [String: String] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let parts = line.split(separator: "\t", maxSplits: 1)
        if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
    }
    return result
}

func sqlite(_ db: String, _ sql: String, write: Bool = false) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = (write ? [] : ["-readonly"]) + [db, sql]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Every article file under `dir`, as the daemon records it (real path).
func filesOnDisk(_ dir: String) -> Set<String> {
    var result = Set<String>()
    let root = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
    if let e = FileManager.default.enumerator(atPath: root) {
        while let rel = e.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            if rel.hasSuffix(".txt") && !name.hasPrefix(".") { result.insert(root + "/" + rel) }
        }
    }
    return result
}
