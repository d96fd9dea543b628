import Logging
import Synchronization

/// The process's log level, changeable while it runs (SIGHUP reloads it).
final class LogLevelControl: Sendable {
    static let shared = LogLevelControl()
    private let current = Mutex(Logger.Level.info)

    var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// Installs the log handler once: console lines on standard error whose level follows ``level``.
    func bootstrap(level: Logger.Level) {
        self.level = level
        LoggingSystem.bootstrap { label in
            LiveLevelHandler(base: StreamLogHandler.standardError(label: label), control: self)
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
