import Foundation
import Testing
import Ingestion
import ArticleIndex
@testable import Daemon

@Suite("Configuration")
struct ConfigurationTests {
    /// The shipped deploy/marsad.toml must parse and hold the documented defaults.
    @Test func shippedConfigurationParses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/marsad.toml").path
        let c = try DaemonConfiguration.load(file: path)
        let defaults = DaemonConfiguration()
        #expect(c.inbox == "/srv/marsad/inbox")
        #expect(c.mode == .mirror)
        #expect(c.extensions == defaults.extensions)
        #expect(c.workers == defaults.workers && c.batchSize == defaults.batchSize)
        #expect(c.maxFileSize == defaults.maxFileSize && c.parseTimeout == defaults.parseTimeout)
        #expect(c.pollInterval == defaults.pollInterval && c.reconcileInterval == defaults.reconcileInterval)
        #expect(c.forcePolling == false && c.logLevel == .info)
        #expect(c.serve.listen == "127.0.0.1:8080")
        #expect(c.serve.queryTimeout == ServeConfiguration().queryTimeout && c.serve.maxStreams == 1000)
        #expect(c.serve.tokenFile == nil && c.serve.stateDirectory == nil && c.serve.publicURL == nil)
    }

    @Test("the [serve] table: every key, and each bad value named with its table")
    func serveTable() throws {
        let c = try DaemonConfiguration.parse("""
            inbox = "/in"
            [serve]
            listen = "unix:/run/marsad/web.sock"
            token_file = "/etc/marsad/web.token"
            state_dir = "/var/lib/marsad-web"
            query_timeout = 0.5
            max_streams = 20
            public_url = "https://news.example.org/marsad"
            """)
        #expect(c.inbox == "/in")
        #expect(c.serve.listen == "unix:/run/marsad/web.sock" && c.serve.tokenFile == "/etc/marsad/web.token")
        #expect(c.serve.stateDirectory == "/var/lib/marsad-web" && c.serve.queryTimeout == 0.5)
        #expect(c.serve.maxStreams == 20 && c.serve.publicURL == "https://news.example.org/marsad")
        for (text, expected) in [
            ("[serve]\nquery_timeout = 0", "serve.query_timeout must be from 0 to 600 seconds"),
            ("[serve]\nmax_streams = 1.5", "serve.max_streams must be a whole number"),
            ("[serve]\npublic_url = \"ftp://x\"", "serve.public_url must begin with http://"),
            ("[serve]\nlisten = 8080", "serve.listen must be a string, not integer"),
            ("[serve]\nport = 8080", "unknown key serve.port"),
            ("serve = 1", "serve must be a table"),
        ] {
            #expect { _ = try DaemonConfiguration.parse(text) } throws: { error in "\(error)".contains(expected) }
        }
    }

    @Test func everyKey() throws {
        let c = try DaemonConfiguration.parse("""
            inbox = '/in'   # literal string
            db = "/d/\\u0645.db"
            mode = "consume"
            archive_dir = "/a"
            failed_dir = "/f"
            extensions = [
              "txt",   # comment inside
              "html",
            ]
            include = ["*.article"]
            exclude = ["draft-*"]
            workers = 3
            batch_size = 1_000
            max_file_size = 2048
            poll_interval = 2.5
            force_polling = true
            reconcile_interval = 0
            parse_timeout = 5
            log_level = "debug"
            """)
        #expect(c.inbox == "/in" && c.database == "/d/م.db" && c.mode == .consume)
        #expect(c.archiveDirectory == "/a" && c.failedDirectory == "/f")
        #expect(c.extensions == ["txt", "html"] && c.include == ["*.article"] && c.exclude == ["draft-*"])
        #expect(c.workers == 3 && c.batchSize == 1000 && c.maxFileSize == 2048 && c.pollInterval == 2.5)
        #expect(c.forcePolling && c.reconcileInterval == 0 && c.parseTimeout == 5 && c.logLevel == .debug)
        #expect(c.fileFilter.accepts("x.article") && !c.fileFilter.accepts("draft-1.txt") && c.fileFilter.accepts("a.html"))
    }

    @Test(arguments: [
        ("inbox = 3", "inbox must be a string"),
        ("mode = \"copy\"", "mode must be"),
        ("workerz = 2", "unknown key workerz"),
        // Syntax errors are toml++'s (through TOMLKit), with the line and column.
        ("inbox = \"/a\"\ninbox = \"/b\"", "line 2, column 9: Error while parsing key-value pair: cannot redefine existing string 'inbox'"),
        ("inbox = \"open", "line 1, column 14: Error while parsing string: encountered end-of-file"),
        ("log_level = \"loud\"", "log_level must be one of"),
        ("[watch\nx = 1", "line 1, column 7: Error while parsing table header: expected ']'"),
        ("x = {a = 1}", "unknown key x"),
        ("inbox \"/a\"", "line 1, column 7: Error while parsing key-value pair: expected '='"),
        ("workers = 1979-05-27", "workers must be a number, not date"),
    ])
    func badConfigurationsNameTheProblem(_ text: String, _ expected: String) {
        #expect {
            _ = try DaemonConfiguration.parse(text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("a table Marsad does not know is an unknown key, named as a table")
    func unknownTable() {
        #expect(throws: ConfigurationError.unknownKey(file: nil, key: "[watch]")) {
            _ = try DaemonConfiguration.parse("inbox = \"/a\"\n[watch]\ninterval = 5\n")
        }
    }

    @Test("load names the file; a missing file says it cannot be read")
    func loadNamesTheFile() throws {
        let path = NSTemporaryDirectory() + "marsad-config-\(UInt32.random(in: 0...UInt32.max)).toml"
        try "workers = \"two\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ConfigurationError.invalid(file: path, key: "workers", reason: "must be a number, not string")) {
            _ = try DaemonConfiguration.load(file: path)
        }
        #expect { _ = try DaemonConfiguration.load(file: path + ".missing") } throws: { error in
            "\(error)".hasPrefix("cannot read the configuration \(path).missing")
        }
    }
}

@Suite("Status line")
struct StatusLineTests {
    func status(state: String = "watching", failed: Int = 0, indexDegraded: String? = nil) -> DaemonStatus {
        DaemonStatus(pid: 1, inbox: "/srv/marsad/inbox", mode: "mirror", state: state, startedAt: 0, updatedAt: 0,
                     queueDepth: 0, articles: 12345, indexedSinceStart: 0, failedSinceStart: failed, ingestRate: 0,
                     watchedDirectories: 1, degraded: [], indexDegraded: indexDegraded)
    }

    @Test func statusLine() {
        #expect(status(failed: 2).summary.hasPrefix("watching /srv/marsad/inbox · 12"))
        #expect(status(failed: 2).summary.hasSuffix("articles · queue 0 · 2 failed"))
        #expect(status(indexDegraded: "disk full: database or disk is full").summary
                    .hasSuffix("queue 0 · degraded: disk full: database or disk is full"))
    }
}
