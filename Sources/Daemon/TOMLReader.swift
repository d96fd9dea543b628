/// A value in a TOML document.
public enum TOMLValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
}

/// Why a TOML document could not be read: the line and what is wrong there.
public struct TOMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

/// Reads the part of TOML that configuration files use: comments, `key = value` pairs, `[table]` headers,
/// basic and literal strings, integers, floats, booleans and (multi-line) arrays of those.
///
/// No TOML package builds from the registries this project may use (TOMLKit pulls a dependency that is not
/// available), so this small reader stands in; it rejects what it does not understand (dates, inline tables,
/// multi-line strings) with the line number instead of guessing. Keys come back flattened: `[watch]` then
/// `interval = 5` gives `"watch.interval"`.
public enum TOMLReader {
    public static func parse(_ text: String) throws(TOMLError) -> [String: TOMLValue] {
        var result: [String: TOMLValue] = [:]
        var table = ""
        var scanner = Scanner(Array(text.unicodeScalars))
        while true {
            scanner.skipBlankLinesAndComments()
            guard let c = scanner.peek() else { break }
            if c == "[" {
                scanner.advance()
                let name = try scanner.key()
                scanner.skipSpaces()
                guard scanner.peek() == "]" else { throw scanner.error("expected ] after the table name") }
                scanner.advance()
                table = name + "."
            } else {
                let key = table + (try scanner.key())
                scanner.skipSpaces()
                guard scanner.peek() == "=" else { throw scanner.error("expected = after the key \(key)") }
                scanner.advance()
                scanner.skipSpaces()
                let value = try scanner.value()
                if result[key] != nil { throw scanner.error("the key \(key) is set twice") }
                result[key] = value
            }
            try scanner.endOfLine()
        }
        return result
    }

    struct Scanner {
        let s: [UnicodeScalar]
        var i = 0
        var line = 1

        init(_ s: [UnicodeScalar]) { self.s = s }

        func peek() -> UnicodeScalar? { i < s.count ? s[i] : nil }
        mutating func advance() {
            if s[i] == "\n" { line += 1 }
            i += 1
        }
        func error(_ message: String) -> TOMLError { TOMLError(line: line, message: message) }

        mutating func skipSpaces() {
            while let c = peek(), c == " " || c == "\t" { advance() }
        }

        mutating func skipComment() {
            if peek() == "#" { while let c = peek(), c != "\n" { advance() } }
        }

        mutating func skipBlankLinesAndComments() {
            while true {
                skipSpaces()
                skipComment()
                if let c = peek(), c == "\n" || c == "\r" { advance() } else { return }
            }
        }

        /// Whitespace, an optional comment, then a line break or the end.
        mutating func endOfLine() throws(TOMLError) {
            skipSpaces()
            skipComment()
            if peek() == "\r" { advance() }
            guard peek() == nil || peek() == "\n" else { throw error("unexpected text after the value") }
            if peek() != nil { advance() }
        }

        mutating func key() throws(TOMLError) -> String {
            skipSpaces()
            var parts: [String] = []
            repeat {
                skipSpaces()
                if peek() == "." { advance(); skipSpaces() }
                if peek() == "\"" { parts.append(try basicString()); continue }
                var k = String.UnicodeScalarView()
                while let c = peek(), c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" {
                    k.append(c)
                    advance()
                }
                guard !k.isEmpty else { throw error("expected a key") }
                parts.append(String(k))
                skipSpaces()
            } while peek() == "."
            return parts.joined(separator: ".")
        }

        mutating func value() throws(TOMLError) -> TOMLValue {
            guard let c = peek() else { throw error("expected a value") }
            switch c {
            case "\"":
                if i + 2 < s.count, s[i + 1] == "\"", s[i + 2] == "\"" { throw error("multi-line strings are not supported") }
                return .string(try basicString())
            case "'":
                advance()
                var v = String.UnicodeScalarView()
                while let c = peek(), c != "'" {
                    if c == "\n" { throw error("unterminated string") }
                    v.append(c)
                    advance()
                }
                guard peek() == "'" else { throw error("unterminated string") }
                advance()
                return .string(String(v))
            case "[":
                advance()
                var items: [TOMLValue] = []
                while true {
                    skipBlankLinesAndComments()
                    if peek() == "]" { advance(); return .array(items) }
                    items.append(try value())
                    skipBlankLinesAndComments()
                    if peek() == "," { advance(); continue }
                    skipBlankLinesAndComments()
                    guard peek() == "]" else { throw error("expected , or ] in the array") }
                }
            case "{":
                throw error("inline tables are not supported")
            default:
                var word = String.UnicodeScalarView()
                while let c = peek(), !" \t\r\n,]#".unicodeScalars.contains(c) {
                    word.append(c)
                    advance()
                }
                let text = String(word)
                if text == "true" { return .boolean(true) }
                if text == "false" { return .boolean(false) }
                let digits = String(text.filter { $0 != "_" })
                if let n = Int(digits) { return .integer(n) }
                if let d = Double(digits), digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                    return .float(d)
                }
                throw error(text.isEmpty ? "expected a value" : "cannot read the value \(text)")
            }
        }

        mutating func basicString() throws(TOMLError) -> String {
            advance()  // the opening quote
            var v = String.UnicodeScalarView()
            while let c = peek(), c != "\"" {
                if c == "\n" { throw error("unterminated string") }
                advance()
                if c == "\\" {
                    guard let e = peek() else { throw error("unterminated string") }
                    advance()
                    switch e {
                    case "n": v.append("\n")
                    case "t": v.append("\t")
                    case "r": v.append("\r")
                    case "\\": v.append("\\")
                    case "\"": v.append("\"")
                    case "u", "U":
                        let count = e == "u" ? 4 : 8
                        guard i + count <= s.count,
                              let code = UInt32(String(String.UnicodeScalarView(s[i..<i + count])), radix: 16),
                              let scalar = UnicodeScalar(code) else { throw error("bad \\\(e) escape") }
                        for _ in 0..<count { advance() }
                        v.append(scalar)
                    default: throw error("unknown escape \\\(e)")
                    }
                } else {
                    v.append(c)
                }
            }
            guard peek() == "\"" else { throw error("unterminated string") }
            advance()
            return String(v)
        }
    }
}
