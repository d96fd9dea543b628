public import Logging
public import Foundation

/// Log lines for people on standard error (colours only on a terminal), or JSON lines for other collectors.
///
/// Text: `2026-11-22T21:55:22Z info    indexed inbox/x.txt (#12, 5.2 KB, 3 ms) «headline…»`. Metadata is left
/// out of text lines (the message already says what matters); JSON lines carry all of it.
public struct ConsoleLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let format: Format
    let colors: Bool
    let output: FileHandle

    public init(format: Format = .text, colors: Bool? = nil, output: FileHandle = .standardError) {
        self.format = format
        self.colors = colors ?? (isatty(output.fileDescriptor) != 0)
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = switch format {
        case .text: text(event)
        case .json: json(event)
        }
        output.write(Data((line + "\n").utf8))
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601)
    }

    func text(_ event: LogEvent) -> String {
        let level = event.level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        guard colors else { return "\(Self.timestamp()) \(level)\(event.message)" }
        let color = switch event.level {
        case .trace, .debug: "\u{1B}[2m"
        case .info: "\u{1B}[32m"
        case .notice: "\u{1B}[36m"
        case .warning: "\u{1B}[33m"
        case .error, .critical: "\u{1B}[31m"
        }
        return "\u{1B}[2m\(Self.timestamp())\u{1B}[0m \(color)\(level)\u{1B}[0m\(event.message)"
    }

    func json(_ event: LogEvent) -> String {
        var object: [String: String] = [:]
        let merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        for (key, value) in merged { object[key] = "\(value)" }
        object["time"] = Self.timestamp()
        object["level"] = event.level.rawValue
        object["message"] = event.message.description
        if let error = event.error { object["error"] = "\(error)" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(object), as: UTF8.self)) ?? event.message.description
    }
}
