/// HTML escaping on Unicode scalars.
///
/// swift-mustache's own HTML escaping walks `Character`s, and a `Character` is a grapheme cluster: a quote
/// followed by a combining mark (`"` U+0301) is one `Character` that is not `"`, so it would pass unescaped and
/// close an attribute. Scalars cannot be fooled that way. The bidirectional controls that reorder text (U+202A
/// to U+202E, U+2066 to U+2069) are dropped, so an article's title cannot flip the page around it; the page
/// isolates every such string in `<bdi>` as well. What XML 1.0 cannot hold (controls, U+FFFE, U+FFFF) is
/// dropped too, so the same escaping serves the Atom feeds.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "`": out.append(contentsOf: "&#96;".unicodeScalars)
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}", "\u{FFFE}", "\u{FFFF}": continue
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `text` escaped, with the code point ranges of `highlights` wrapped in `<mark>`.
    public static func marked(_ text: String, highlights: [[Int]]) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        var position = 0
        for range in highlights.sorted(by: { ($0.first ?? 0) < ($1.first ?? 0) }) {
            // Overlapping ranges are merged: a range is marked from where the previous one ended.
            guard range.count == 2, range[0] < range[1], range[1] <= scalars.count, range[1] > position else { continue }
            let start = max(range[0], position)
            out += escape(String(String.UnicodeScalarView(scalars[position..<start])))
            out += "<mark>" + escape(String(String.UnicodeScalarView(scalars[start..<range[1]]))) + "</mark>"
            position = range[1]
        }
        out += escape(String(String.UnicodeScalarView(scalars[position...])))
        return out
    }
}

/// Dates as Arabic readers write them: «25 يناير 2024», from an ISO 8601 date or timestamp.
public enum ArabicDate {
    static let months = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                         "نوفمبر", "ديسمبر"]

    /// «25 يناير 2024» for `2024-01-25…`; nil when the text does not begin with a date.
    public static func day(_ iso: String) -> String? {
        let parts = iso.prefix(10).split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        return "\(day) \(months[month - 1]) \(year)"
    }

    /// «14:05» for `2024-01-25T14:05…`; nil when the text holds no time of day.
    public static func clock(_ iso: String) -> String? {
        let b = Array(iso.utf8)
        guard b.count >= 16, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), b[13] == UInt8(ascii: ":"),
              [11, 12, 14, 15].allSatisfy({ (0x30...0x39).contains(b[$0]) }) else { return nil }
        return String(decoding: b[11..<16], as: UTF8.self)
    }

    /// «25 يناير 2024» when both dates are that day, else «من 25 يناير 2024 إلى 27 يناير 2024».
    public static func span(_ first: String, _ last: String) -> String {
        let from = day(first) ?? String(first.prefix(10))
        let to = day(last) ?? String(last.prefix(10))
        return first.prefix(10) == last.prefix(10) ? from : "من \(from) إلى \(to)"
    }

    /// «يناير 2024» for `2024-01`.
    public static func month(_ iso: String) -> String? {
        let parts = iso.prefix(7).split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return "\(months[month - 1]) \(year)"
    }
}

/// Counted nouns as Arabic writes them: «مقال واحد», «مقالان», «3 مقالات», «11 مقالًا».
public enum ArabicCount {
    static func counted(_ n: Int, one: String, two: String, few: String, many: String) -> String {
        switch n {
        case 1: one
        case 2: two
        case 3...10: "\(n) \(few)"
        default: "\(n) \(many)"
        }
    }

    public static func articles(_ n: Int) -> String {
        counted(n, one: "مقال واحد", two: "مقالان", few: "مقالات", many: "مقالًا")
    }

    /// After «من»: «مصدر واحد», «مصدرين», «3 مصادر», «11 مصدرًا».
    public static func outlets(_ n: Int) -> String {
        counted(n, one: "مصدر واحد", two: "مصدرين", few: "مصادر", many: "مصدرًا")
    }

    public static func copies(_ n: Int) -> String {
        counted(n, one: "نسخة مطابقة تقريبا", two: "نسختان مطابقتان تقريبا", few: "نسخ مطابقة تقريبا",
                many: "نسخة مطابقة تقريبا")
    }

    /// What a collapsed hit says of the matches folded into it: «+4 من 3 مصادر أخرى», «+1 من مصدر آخر»,
    /// «+2 في القصة نفسها» (no other outlet), «+2 من النص نفسه» (copies of one text, from no other outlet).
    public static func folded(_ count: Int, outlets: Int, sameText: Bool) -> String {
        let others = switch outlets {
        case 0: sameText ? "من النص نفسه" : "في القصة نفسها"
        case 1: "من مصدر آخر"
        case 2: "من مصدرين آخرين"
        case 3...10: "من \(outlets) مصادر أخرى"
        default: "من \(outlets) مصدرًا آخر"
        }
        return "+\(count) \(others)"
    }
}
