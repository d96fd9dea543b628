// Markdown articles (`.md`): the same analysis as plain text, after the markup is read.
//
// - `# Headline` (or a Setext `Headline` / `=====`) is the title; other headings stay in the body.
// - Lines of one paragraph are joined with a space (soft line breaks), as any renderer shows them.
// - `**bold**`, `*em*`, `_em_`, `~~del~~`, `` `code` ``, `\*` escapes and HTML tags are removed,
//   leaving the text. `[text](url)` and `[text][ref]` become their text; `<https://…>` its address.
//   Brackets that are not a link stay, so "قوات [أجنبية]" keeps its editorial brackets.
// - An image alone on its line, `![caption / credit](src)`, becomes a photo caption.
// - `- item` list lines stay lines of their own, so related-article bullets are recognized;
//   `> ` quote markers are dropped.
// - YAML front matter (`---` … `---`) may give title, date/published_at, updated_at, author,
//   source and url.

enum MarkdownReader {
    static func read(_ decoded: DecodedText) throws(ArticleParseError) -> Article {
        let b = decoded.utf8
        let raw = ArticleParser.lines(b)
        var w = Writer(capacity: b.count)
        var known = KnownFields()
        var warnings: [String] = []
        var index = 0

        // Front matter.
        if let first = raw.first, isFence(b, first.range, "-"), first.range.count == 3 {
            var k = 1
            while k < raw.count, k < 200 {
                let r = raw[k].range
                if r.count == 3, isFence(b, r, "-") || isFence(b, r, ".") { break }
                k += 1
            }
            if k < raw.count, k < 200 {
                for m in 1..<k { frontMatter(b, raw[m].range, &known, &warnings) }
                index = k + 1
            }
        }

        var inCode = false
        while index < raw.count {
            let r = raw[index].range
            index += 1
            if isFence(b, r, "`") || isFence(b, r, "~") {
                w.flush()
                inCode.toggle()
                continue
            }
            if inCode {
                w.flush()
                w.literalLine(b, r)
                continue
            }
            if r.isEmpty { w.flush(); w.blank(); continue }
            let c = b[r.lowerBound]

            // Setext underline or thematic break.
            if let rule = ruleChar(b, r) {
                if (rule == 0x3D || rule == 0x2D), w.paragraphLines == 1 {
                    w.promoteParagraph(toHeading: rule == 0x3D ? 1 : 2)
                } else {
                    w.flush(); w.blank()
                }
                continue
            }
            // ATX heading.
            if c == 0x23 {
                var level = 0
                var i = r.lowerBound
                while i < r.upperBound, b[i] == 0x23, level < 7 { level += 1; i += 1 }
                if level <= 6, i == r.upperBound || b[i] == 0x20 {
                    var end = r.upperBound
                    while end > i, b[end - 1] == 0x23 || b[end - 1] == 0x20 { end -= 1 }
                    w.flush()
                    w.line(b, i..<end, heading: level)
                    continue
                }
            }
            // Image alone on its line → caption.
            if c == 0x21, r.count > 4, b[r.lowerBound + 1] == 0x5B,
               let (alt, after) = bracketed(b, r.lowerBound + 1, r.upperBound),
               after < r.upperBound, b[after] == 0x28, let close = find(b, 0x29, after + 1, r.upperBound),
               close + 1 == r.upperBound {
                w.flush()
                if !alt.isEmpty { w.line(b, alt, image: true) }
                continue
            }
            // Link reference definition "[id]: url".
            if c == 0x5B, let (_, after) = bracketed(b, r.lowerBound, r.upperBound), after < r.upperBound, b[after] == 0x3A {
                continue
            }
            // Block quote marker.
            var start = r.lowerBound
            while start < r.upperBound, b[start] == 0x3E || b[start] == 0x20 { start += 1 }
            if start == r.upperBound { w.flush(); w.blank(); continue }
            // List items stay lines of their own ("* x" and "+ x" become "- x").
            let s0 = b[start]
            if (s0 == 0x2D || s0 == 0x2A || s0 == 0x2B), start + 1 < r.upperBound, b[start + 1] == 0x20 {
                w.flush()
                w.line(b, start + 2..<r.upperBound, bullet: true)
                continue
            }
            if (0x30...0x39).contains(s0) {
                var d = start
                while d < r.upperBound, (0x30...0x39).contains(b[d]) { d += 1 }
                if d + 1 < r.upperBound, b[d] == 0x2E || b[d] == 0x29, b[d + 1] == 0x20 {
                    w.flush()
                    w.line(b, start..<r.upperBound)
                    continue
                }
            }
            w.paragraph(b, start..<r.upperBound)
        }
        w.flush()

        var assembler = ArticleAssembler(w.out, lines: w.lines)
        assembler.warnings = warnings
        return try assembler.assemble(known: known, letters: decoded.letters)
    }

    // MARK: Block helpers

    /// A line of three or more of the same fence character (``` ~~~ ---).
    private static func isFence(_ b: [UInt8], _ r: Range<Int>, _ ch: Character) -> Bool {
        guard r.count >= 3, let a = ch.asciiValue else { return false }
        return b[r.lowerBound] == a && b[r.lowerBound + 1] == a && b[r.lowerBound + 2] == a
    }

    /// "===", "---", "***", "___" (spaces allowed): returns the character.
    private static func ruleChar(_ b: [UInt8], _ r: Range<Int>) -> UInt8? {
        let c = b[r.lowerBound]
        guard c == 0x3D || c == 0x2D || c == 0x2A || c == 0x5F else { return nil }
        var n = 0
        for i in r { if b[i] == c { n += 1 } else if b[i] != 0x20 { return nil } }
        return n >= 3 || (c == 0x3D && n >= 1) ? c : nil
    }

    private static func find(_ b: [UInt8], _ ch: UInt8, _ from: Int, _ end: Int, limit: Int = 2000) -> Int? {
        var i = from
        let stop = min(end, from + limit)
        while i < stop { if b[i] == ch { return i }; i += 1 }
        return nil
    }

    /// "[text]" starting at `open`: the inside range and the index after "]".
    static func bracketed(_ b: [UInt8], _ open: Int, _ end: Int) -> (Range<Int>, Int)? {
        guard open < end, b[open] == 0x5B, let close = find(b, 0x5D, open + 1, end, limit: 1000) else { return nil }
        return (open + 1..<close, close + 1)
    }

    private static func frontMatter(_ b: [UInt8], _ r: Range<Int>, _ known: inout KnownFields, _ warnings: inout [String]) {
        guard let colon = find(b, 0x3A, r.lowerBound, r.upperBound, limit: 64) else { return }
        let key = string(b, r.lowerBound..<colon).trimmingSpaces().lowercased()
        var value = string(b, colon + 1..<r.upperBound).trimmingSpaces()
        if value.count >= 2, let f = value.unicodeScalars.first, let l = value.unicodeScalars.last,
           (f == "\"" && l == "\"") || (f == "'" && l == "'") {
            value = String(value.unicodeScalars.dropFirst().dropLast())
        }
        guard !value.isEmpty else { return }
        switch key {
        case "title", "headline": known.title = value
        case "author", "byline": known.author = value
        case "source", "site", "publisher": known.source = value
        case "url", "link", "canonical_url": known.url = value
        case "date", "published", "published_at", "publishedat", "date_published":
            known.publishedAt = JSONArticleReader.normalizedDate(value, field: key, &warnings)
        case "updated", "updated_at", "updatedat", "date_modified", "modified":
            known.updatedAt = JSONArticleReader.normalizedDate(value, field: key, &warnings)
        default: break
        }
    }

    // MARK: Output

    /// Finds the next "]", ")" or ">" of a line in amortized linear time.
    ///
    /// Inline markup makes many forward searches from increasing positions ("[[[[…" with no "]").
    /// Each search result is remembered: when the next search starts before it, the answer is the
    /// same, so every byte of the line is scanned at most once per character searched for.
    struct NextFinder {
        let end: Int
        private var cached: [UInt8: Int] = [:]

        init(end: Int) { self.end = end }

        /// The first index ≥ `from` and < `limit` holding `ch`, or nil.
        mutating func find(_ b: [UInt8], _ ch: UInt8, from: Int, limit: Int) -> Int? {
            if let c = cached[ch], c >= from {
                return c < limit ? c : nil
            }
            var i = from
            while i < end, b[i] != ch { i += 1 }
            let found = i < end ? i : Int.max
            cached[ch] = found
            return found < limit ? found : nil
        }
    }

    /// Accumulates the logical lines, joining paragraph lines and stripping inline markup.
    private struct Writer {
        var out: [UInt8] = []
        var lines: [SourceLine] = []
        private var paragraphStart = -1
        private(set) var paragraphLines = 0

        init(capacity: Int) { out.reserveCapacity(capacity) }

        mutating func flush() {
            guard paragraphStart >= 0 else { return }
            endLine(from: paragraphStart)
            paragraphStart = -1
            paragraphLines = 0
        }

        mutating func blank() {
            lines.append(SourceLine(range: out.count..<out.count))
        }

        /// Ends the line being written at `from`, trimming a trailing space.
        private mutating func endLine(from: Int, heading: Int = 0, image: Bool = false) {
            while out.count > from, out.last == 0x20 { out.removeLast() }
            if out.count > from { lines.append(SourceLine(range: from..<out.count, heading: heading, image: image)) }
            out.append(0x0A)
        }

        mutating func paragraph(_ b: [UInt8], _ r: Range<Int>) {
            if paragraphStart < 0 {
                paragraphStart = out.count
            } else if out.count > paragraphStart, out.last != 0x20 {
                out.append(0x20)
            }
            inline(b, r)
            paragraphLines += 1
        }

        mutating func promoteParagraph(toHeading level: Int) {
            guard paragraphStart >= 0 else { return }
            endLine(from: paragraphStart, heading: level)
            paragraphStart = -1
            paragraphLines = 0
        }

        mutating func line(_ b: [UInt8], _ r: Range<Int>, heading: Int = 0, image: Bool = false, bullet: Bool = false) {
            let start = out.count
            if bullet { out.append(0x2D); out.append(0x20) }
            inline(b, r)
            if bullet && out.count == start + 2 { out.removeLast(2) }
            endLine(from: start, heading: heading, image: image)
        }

        mutating func literalLine(_ b: [UInt8], _ r: Range<Int>) {
            let start = out.count
            out.append(contentsOf: b[r])
            endLine(from: start)
        }

        @inline(__always)
        private mutating func emit(_ c: UInt8) {
            if c == 0x20, out.isEmpty || out.last == 0x20 || out.last == 0x0A { return }
            out.append(c)
        }

        private static func isBoundary(_ c: UInt8?) -> Bool {
            guard let c else { return true }
            return c < 0x80 && !((0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c))
        }

        /// Copies `r`, dropping emphasis, code and HTML markup and reducing links to their text.
        mutating func inline(_ b: [UInt8], _ r: Range<Int>) {
            var finder = NextFinder(end: r.upperBound)
            inline(b, r, links: true, &finder)
        }

        private mutating func inline(_ b: [UInt8], _ r: Range<Int>, links: Bool, _ finder: inout NextFinder) {
            var i = r.lowerBound
            let end = r.upperBound
            func bracketed(_ open: Int) -> (Range<Int>, Int)? {
                guard open < end, b[open] == 0x5B, let close = finder.find(b, 0x5D, from: open + 1, limit: end) else { return nil }
                return (open + 1..<close, close + 1)
            }
            while i < end {
                let c = b[i]
                switch c {
                case 0x5C:  // backslash escape
                    if i + 1 < end, b[i + 1] > 0x20, Self.isBoundary(b[i + 1]) {
                        emit(b[i + 1]); i += 2
                    } else { emit(c); i += 1 }
                case 0x60, 0x2A:  // ` *
                    i += 1
                case 0x7E where i + 1 < end && b[i + 1] == 0x7E:
                    i += 2
                case 0x5F:  // _ only at a word boundary
                    let prev: UInt8? = i > r.lowerBound ? b[i - 1] : nil
                    let next: UInt8? = i + 1 < end ? b[i + 1] : nil
                    if Self.isBoundary(prev) || Self.isBoundary(next) { i += 1 } else { emit(c); i += 1 }
                case 0x21 where links && i + 1 < end && b[i + 1] == 0x5B:
                    // Inline image: dropped (its alt text is not running text).
                    if let (_, after) = bracketed(i + 1), after < end, b[after] == 0x28,
                       let close = finder.find(b, 0x29, from: after + 1, limit: end) {
                        i = close + 1
                    } else { emit(c); i += 1 }
                case 0x5B where links:
                    if let (text, after) = bracketed(i), after < end {
                        if b[after] == 0x28, let close = finder.find(b, 0x29, from: after + 1, limit: end) {
                            inline(b, text, links: false, &finder); i = close + 1; continue
                        }
                        if b[after] == 0x5B, let (_, after2) = bracketed(after) {
                            inline(b, text, links: false, &finder); i = after2; continue
                        }
                    }
                    emit(c); i += 1
                case 0x3C:  // <tag> or <autolink>
                    if i + 1 < end, let close = finder.find(b, 0x3E, from: i + 1, limit: min(end, i + 300)) {
                        let n = b[i + 1]
                        if (0x41...0x5A).contains(n) || (0x61...0x7A).contains(n) || n == 0x2F || n == 0x21 {
                            let inner = i + 1..<close
                            if string(b, inner).hasPrefix("http") { for k in inner { emit(b[k]) } }
                            else { emit(0x20) }
                            i = close + 1
                            continue
                        }
                    }
                    emit(c); i += 1
                default:
                    emit(c); i += 1
                }
            }
        }
    }
}
