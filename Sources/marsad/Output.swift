import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Printing for people (bold on a terminal) and for programs (stable JSON).
enum Output {
    static let stdoutIsTerminal = isatty(STDOUT_FILENO) != 0
    static let stderrIsTerminal = isatty(STDERR_FILENO) != 0

    /// Encodes `value` as pretty, key-sorted JSON (snake_case keys come from the types' CodingKeys) and prints it.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func bold(_ text: String) -> String {
        stdoutIsTerminal ? "\u{1B}[1m\(text)\u{1B}[22m" : text
    }

    static func dim(_ text: String) -> String {
        stdoutIsTerminal ? "\u{1B}[2m\(text)\u{1B}[22m" : text
    }

    /// `text` with the code-point ranges in `highlights` in bold on a terminal, else in [brackets].
    static func highlight(_ text: String, _ highlights: [[Int]]) -> String {
        guard !highlights.isEmpty else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var cursor = 0
        let (open, close) = stdoutIsTerminal ? ("\u{1B}[1m", "\u{1B}[22m") : ("[", "]")
        for range in highlights where range.count == 2 && range[0] >= cursor && range[1] <= scalars.count {
            out.append(contentsOf: scalars[cursor..<range[0]])
            out.append(contentsOf: open.unicodeScalars)
            out.append(contentsOf: scalars[range[0]..<range[1]])
            out.append(contentsOf: close.unicodeScalars)
            cursor = range[1]
        }
        out.append(contentsOf: scalars[cursor...])
        return String(out)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("marsad: \(message)\n".utf8))
    }

    /// A one-line progress bar on standard error, redrawn in place; only on a terminal.
    struct ProgressBar: Sendable {
        let label: String
        func update(_ done: Int, _ total: Int) {
            guard total > 0 else { return }
            let width = 30
            let filled = min(width, done * width / total)
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)".utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    static func formatBytes(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
