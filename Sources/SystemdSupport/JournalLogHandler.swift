public import Logging
import Foundation

/// A swift-log handler that writes structured entries to the journal.
///
/// Each entry carries `MESSAGE`, `PRIORITY` (swift-log levels mapped to syslog priorities),
/// `SYSLOG_IDENTIFIER=marsad`, `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`, `MESSAGE_ID` for known events, and every
/// metadata key as a field of its own, its name cleaned by ``JournalField/sanitizedName(_:)``: so
/// `journalctl -u marsad ARTICLE_PATH=/srv/marsad/inbox/x.txt` finds one file's story.
///
/// When the journal refuses an entry (its socket is missing), the handler falls back to `fallback`
/// (console output on standard error) and says so once.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let identifier: String
    let sink: any JournalSink
    let fallback: any LogHandler
    let failures: FallbackLatch

    public init(label: String, identifier: String = "marsad", sink: any JournalSink = SystemJournal(),
                fallback: any LogHandler) {
        self.label = label
        self.identifier = identifier
        self.sink = sink
        self.fallback = fallback
        self.failures = FallbackLatch()
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// syslog priorities: 7 debug, 6 info, 5 notice, 4 warning, 3 err, 2 crit.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// The fields of one entry, in the order they are sent.
    public static func fields(level: Logger.Level, message: String, metadata: Logger.Metadata,
                              identifier: String, file: String, function: String, line: UInt) -> [JournalField] {
        var fields = [
            JournalField("MESSAGE", message),
            JournalField("PRIORITY", String(priority(level))),
            JournalField("SYSLOG_IDENTIFIER", identifier),
            JournalField("CODE_FILE", file),
            JournalField("CODE_LINE", String(line)),
            JournalField("CODE_FUNC", function),
        ]
        if case .string(let event)? = metadata["event"], let id = MessageID.byEvent[event] {
            fields.append(JournalField("MESSAGE_ID", id))
        }
        let reserved: Set<String> = ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE",
                                     "CODE_FUNC", "MESSAGE_ID"]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard let name = JournalField.sanitizedName(key), !reserved.contains(name) else { continue }
            fields.append(JournalField(name, "\(value)"))
        }
        return fields
    }

    public func log(event: LogEvent) {
        let merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        var entry = Self.fields(level: event.level, message: event.message.description, metadata: merged,
                                identifier: identifier, file: event.file, function: event.function, line: event.line)
        if let error = event.error { entry.append(JournalField("ERROR", "\(error)")) }
        let result = sink.send(entry)
        if result < 0 {
            if failures.firstFailure() {
                fallback.log(event: LogEvent(
                    level: .warning,
                    message: "cannot write to the journal (\(String(cString: strerror(-result)))); logging to standard error instead",
                    metadata: nil, source: event.source, file: event.file, function: event.function, line: event.line))
            }
            fallback.log(event: event)
        }
    }
}

/// Remembers whether the journal already failed once, across copies of the handler.
final class FallbackLatch: Sendable {
    private let failed = AtomicFlag()
    /// True the first time only.
    func firstFailure() -> Bool { failed.setIfUnset() }
}
