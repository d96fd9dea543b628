// Scraper JSON (`.json`): one object per file.
//
//   { "title": "…", "body": "…", "source": "…", "url": "…", "published_at": "…", "author": "…" }
//
// `text` (or `content`) may stand for `body`, and `body` may be an array of paragraph strings.
// A few other names scrapers use are accepted too (`headline`, `link`, `date`, `datePublished`,
// `updated_at`, `byline`, `authors`). The body text then goes through exactly the same line
// analysis as a plain-text file; fields the JSON states win over what the text suggests.
//
// The reader is a small strict JSON parser of its own (no Foundation): it works on the decoded
// UTF-8 buffer, reports where the syntax breaks, and limits nesting depth so hostile input cannot
// exhaust the stack.

enum JSONArticleReader {
    static func read(_ decoded: DecodedText) throws(ArticleParseError) -> Article {
        var parser = JSONParser(b: decoded.utf8)
        let root = try parser.parseDocument()
        guard case .object(let members) = root else { throw .invalidJSON("the top level is \(root.kindName), not an object") }

        var warnings: [String] = []
        func field(_ names: [String]) -> JSONValue? {
            for n in names { if let v = members.last(where: { $0.0 == n })?.1 { return v } }
            return nil
        }
        func text(_ names: [String]) -> String? {
            guard let v = field(names) else { return nil }
            switch v {
            case .string(let s): return s
            case .null: return nil
            case .array(let items):
                let parts = items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
                if parts.count == items.count, !parts.isEmpty { return parts.joined(separator: "\n") }
                fallthrough
            default:
                let name = names.first(where: { n in members.contains { $0.0 == n } }) ?? names[0]
                warnings.append("The JSON field \"\(name)\" is \(v.kindName), not text; it was ignored.")
                return nil
            }
        }

        let title = text(["title", "headline"]).map(oneLine).flatMap { $0.isEmpty ? nil : $0 }
        let body = text(["body", "text", "content", "article_body", "articleBody"])
        guard title != nil || !(body?.isEmpty ?? true) else {
            throw .invalidJSON("it has neither a \"title\" nor a \"body\" or \"text\" field")
        }
        var known = KnownFields()
        known.title = title
        known.source = text(["source", "site", "site_name", "publisher"]).map(oneLine).flatMap { $0.isEmpty ? nil : $0 }
        known.url = text(["url", "link", "canonical_url"]).map(oneLine).flatMap { $0.isEmpty ? nil : $0 }
        known.author = text(["author", "byline", "authors"]).map { s in
            oneLine(s.split(separator: "\n").joined(separator: "، "))
        }.flatMap { $0.isEmpty ? nil : $0 }
        if let p = text(["published_at", "publishedAt", "published", "date", "datePublished", "date_published"]) {
            known.publishedAt = normalizedDate(p, field: "published_at", &warnings)
        }
        if let u = text(["updated_at", "updatedAt", "updated", "dateModified", "date_modified"]) {
            known.updatedAt = normalizedDate(u, field: "updated_at", &warnings)
        }

        var norm = TextNormalizer(capacity: (body?.utf8.count ?? 0) + 16)
        norm.push(body ?? "")
        var assembler = ArticleAssembler(norm.out, lines: ArticleParser.lines(norm.out))
        assembler.warnings = warnings + norm.warnings()
        var letters = norm.letters
        if let title {
            var t = TextNormalizer(capacity: title.utf8.count)
            t.push(title)
            letters = letters + t.letters
        }
        return try assembler.assemble(known: known, letters: letters)
    }

    /// Text on one line with single spaces.
    static func oneLine(_ s: String) -> String {
        var n = TextNormalizer(capacity: s.utf8.count)
        n.push(s)
        var out = n.out
        for i in out.indices where out[i] == 0x0A { out[i] = 0x20 }
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(out.count)
        for c in out where !(c == 0x20 && (collapsed.isEmpty || collapsed.last == 0x20)) { collapsed.append(c) }
        while collapsed.last == 0x20 { collapsed.removeLast() }
        return String(decoding: collapsed, as: UTF8.self)
    }

    /// A date field as ISO 8601 when the parser can read it, else as written (with a warning).
    static func normalizedDate(_ value: String, field: String, _ warnings: inout [String]) -> String? {
        let v = oneLine(value)
        guard !v.isEmpty else { return nil }
        if let stamp = DateExtractor.normalizeField(v) { return stamp.iso }
        warnings.append("The \(field) value \"\(v)\" is not a date the parser understands; it was kept as written.")
        return v
    }
}

/// A parsed JSON value. Numbers keep their source text; only strings matter to articles.
enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// A strict RFC 8259 parser over UTF-8 bytes, with a nesting limit.
struct JSONParser {
    let b: [UInt8]
    var i = 0
    static let maxDepth = 64

    init(b: [UInt8]) { self.b = b }

    private func fail(_ what: String) -> ArticleParseError {
        i < b.count ? .invalidJSON("syntax error at byte \(i): \(what)") : .invalidJSON("it ends too early: \(what)")
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x09 || b[i] == 0x0D { i += 1 }
    }

    mutating func parseDocument() throws(ArticleParseError) -> JSONValue {
        skipSpace()
        let v = try value(depth: 0)
        skipSpace()
        guard i == b.count else { throw fail("unexpected text after the JSON value") }
        return v
    }

    private mutating func value(depth: Int) throws(ArticleParseError) -> JSONValue {
        guard depth < Self.maxDepth else { throw .invalidJSON("it is nested more than \(Self.maxDepth) levels deep") }
        guard i < b.count else { throw fail("expected a value") }
        switch b[i] {
        case 0x7B:  // {
            i += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if i < b.count, b[i] == 0x7D { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == 0x22 else { throw fail("expected a string key") }
                let key = try string()
                skipSpace()
                guard i < b.count, b[i] == 0x3A else { throw fail("expected ':' after a key") }
                i += 1
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < b.count else { throw fail("expected ',' or '}'") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x7D { i += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        case 0x5B:  // [
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < b.count, b[i] == 0x5D { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < b.count else { throw fail("expected ',' or ']'") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x5D { i += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case 0x22:
            return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39:
            let start = i
            i += 1
            while i < b.count, (0x30...0x39).contains(b[i]) || b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45
                    || b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            return .number(String(decoding: b[start..<i], as: UTF8.self))
        default:
            throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: String) throws(ArticleParseError) {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, b[i..<(i + w.count)].elementsEqual(w) else { throw fail("expected \(word)") }
        i += w.count
    }

    private mutating func hex4() throws(ArticleParseError) -> UInt32 {
        guard i + 4 <= b.count else { throw fail("a \\u escape needs four hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("a \\u escape needs four hex digits")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private mutating func string() throws(ArticleParseError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while true {
            // Copy the run up to the next quote or backslash in one go.
            let start = i
            while i < b.count, b[i] != 0x22, b[i] != 0x5C { i += 1 }
            out.append(contentsOf: b[start..<i])
            guard i < b.count else { throw fail("a string is not closed") }
            if b[i] == 0x22 { i += 1; return String(decoding: out, as: UTF8.self) }
            i += 1  // backslash
            guard i < b.count else { throw fail("a string is not closed") }
            let e = b[i]
            i += 1
            switch e {
            case 0x22, 0x5C, 0x2F: out.append(e)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var u = try hex4()
                if (0xD800..<0xDC00).contains(u) {
                    if i + 6 <= b.count, b[i] == 0x5C, b[i + 1] == 0x75 {
                        i += 2
                        let lo = try hex4()
                        if (0xDC00..<0xE000).contains(lo) { u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00) }
                        else { appendUTF8(0xFFFD, to: &out); u = lo }
                    } else { u = 0xFFFD }
                }
                if (0xD800..<0xE000).contains(u) { u = 0xFFFD }
                appendUTF8(u, to: &out)
            default:
                throw fail("unknown escape \\\(String(decoding: [e], as: UTF8.self))")
            }
        }
    }
}
