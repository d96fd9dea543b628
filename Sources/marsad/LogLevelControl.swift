import Logging
import Synchronization
import SystemdSupport

/// The process's log level, changeable while it runs (SIGHUP reloads it).
final class LogLevelControl: Sendable {
    static let shared = LogLevelControl()
    private let current = Mutex(Logger.Level.info)

    var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// Installs the log handler once, its level following ``level``: the journal (structured fields) when
    /// `target` resolves to journald, else console lines (text or JSON) on standard error.
    func bootstrap(level: Logger.Level, target: LogTarget = .console, format: ConsoleLogHandler.Format = .text) {
        self.level = level
        let journal = target.resolved() == .journald
        LoggingSystem.bootstrap { label in
            let console = ConsoleLogHandler(format: format)
            let base: any LogHandler = journal ? JournalLogHandler(label: label, fallback: console) : console
            return LiveLevelHandler(base: base, control: self)
        }
    }
}

/// Forwards to a handler, with the level read from ``LogLevelControl`` at each message.
struct LiveLevelHandler: LogHandler {
    var base: any LogHandler
    let control: LogLevelControl

    var logLevel: Logger.Level {
        get { control.level }
        set { control.level = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
    }
}
