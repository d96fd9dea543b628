import Foundation
import Logging
import Synchronization
import Testing
@testable import SystemdSupport

/// Records what would have gone to journald.
final class RecordingJournal: JournalSink {
    let entries = Mutex<[[JournalField]]>([])
    let result: Int32
    init(result: Int32 = 0) { self.result = result }
    func send(_ fields: [JournalField]) -> Int32 {
        entries.withLock { $0.append(fields) }
        return result
    }
    var all: [[JournalField]] { entries.withLock { $0 } }
}

/// A log handler that keeps messages, to check the fallback.
final class RecordingHandlerStore: Sendable {
    let messages = Mutex<[String]>([])
}

struct RecordingHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    let store: RecordingHandlerStore
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { store.messages.withLock { $0.append(event.message.description) } }
}

@Suite("journald fields")
struct JournalTests {
    @Test(arguments: [
        ("article_path", "ARTICLE_PATH"), ("duration-ms", "DURATION_MS"), ("_secret", "SECRET"),
        ("2fa", "F_2FA"), ("a.b c", "A_B_C"), ("مسار", nil), ("", nil), ("__", nil),
        (String(repeating: "x", count: 80), String(repeating: "X", count: 64)),
    ] as [(String, String?)])
    func fieldNamesAreCleaned(_ key: String, _ expected: String?) {
        #expect(JournalField.sanitizedName(key) == expected)
        if let name = JournalField.sanitizedName(key) {
            #expect(name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 })
            #expect(name.count <= 64 && !name.hasPrefix("_"))
        }
    }

    @Test("an indexed event carries MESSAGE, PRIORITY, identifier, code location, MESSAGE_ID and metadata fields")
    func entryFields() {
        let journal = RecordingJournal()
        var logger = Logger(label: "t") { _ in
            JournalLogHandler(label: "t", sink: journal, fallback: RecordingHandler(store: RecordingHandlerStore()))
        }
        logger.logLevel = .debug
        logger.info("indexed /srv/x.txt (#3)", metadata: ["event": "indexed", "article_path": "/srv/x.txt",
                                                          "article_id": "3", "content_sha256": "ab"])
        let entry = journal.all.first ?? []
        let fields = Dictionary(entry.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(fields["MESSAGE"] == "indexed /srv/x.txt (#3)")
        #expect(fields["PRIORITY"] == "6")
        #expect(fields["SYSLOG_IDENTIFIER"] == "marsad")
        #expect(fields["CODE_FILE"]?.hasSuffix("SystemdSupportTests.swift") == true)
        #expect(Int(fields["CODE_LINE"] ?? "") != nil)
        #expect(fields["CODE_FUNC"]?.isEmpty == false)
        #expect(fields["MESSAGE_ID"] == "7cb60a7047434a76acb73d518e79d883")
        #expect(fields["ARTICLE_PATH"] == "/srv/x.txt" && fields["ARTICLE_ID"] == "3" && fields["CONTENT_SHA256"] == "ab")
        #expect(fields["EVENT"] == "indexed")
    }

    @Test func priorities() {
        #expect([Logger.Level.trace, .debug, .info, .notice, .warning, .error, .critical].map(JournalLogHandler.priority)
                == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test("every event kind has a distinct 128-bit MESSAGE_ID documented in deploy/marsad.catalog")
    func messageIDs() throws {
        let ids = Array(MessageID.byEvent.values)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
        let catalog = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/marsad.catalog").path,
            encoding: .utf8)
        for id in ids { #expect(catalog.contains("-- \(id)\n"), "\(id) is not in the catalog") }
        for event in ["started", "indexed", "unchanged", "duplicate", "removed", "renamed", "failed", "overflow",
                      "reconciled", "degraded", "reload", "stopping", "index_degraded", "index_recovered"] {
            #expect(MessageID.byEvent[event] != nil, "\(event) has no MESSAGE_ID")
        }
    }

    @Test("when the journal refuses, messages go to the fallback, with one notice")
    func fallback() {
        let journal = RecordingJournal(result: -2)
        let store = RecordingHandlerStore()
        let logger = Logger(label: "t") { _ in JournalLogHandler(label: "t", sink: journal, fallback: RecordingHandler(store: store)) }
        logger.warning("first")
        logger.warning("second")
        let messages = store.messages.withLock { $0 }
        #expect(messages.count == 3)
        #expect(messages[0].contains("cannot write to the journal"))
        #expect(messages[1] == "first" && messages[2] == "second")
    }

    @Test func journalStreamDetection() {
        #expect(!LogTarget.stderrIsJournal(environment: [:]))
        #expect(!LogTarget.stderrIsJournal(environment: ["JOURNAL_STREAM": "1:2"]))
        var info = stat()
        fstat(STDERR_FILENO, &info)
        #expect(LogTarget.stderrIsJournal(environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"]))
        #expect(LogTarget.console.resolved() == .console)
    }
}

@Suite("sd_notify messages")
struct NotifierTests {
    func status() -> String { "watching /srv/marsad/inbox · 12,345 articles · queue 0" }

    @Test("READY, STATUS, RELOADING, STOPPING; no WATCHDOG without WATCHDOG_USEC or while unhealthy")
    func messages() {
        let sent = Mutex<[String]>([])
        let notifier = SystemdNotifier(send: { message in sent.withLock { $0.append(message) } })
        notifier.ready(status: status())
        notifier.tick(status: status(), healthy: true)
        notifier.reloading()
        notifier.ready(status: status())
        notifier.stopping()
        let all = sent.withLock { $0 }
        #expect(all.count == 5)
        #expect(all[0].hasPrefix("READY=1\nSTATUS=watching"))
        #expect(all[1].hasPrefix("STATUS=") && !all[1].contains("WATCHDOG"))
        #expect(all[2].hasPrefix("RELOADING=1"))
        #expect(all[3].hasPrefix("READY=1"))
        #expect(all[4].hasPrefix("STOPPING=1"))
    }
}
