// What each line of an article file is.
//
// Files copied or scraped from news sites keep one paragraph per line, with the page's furniture
// on lines of its own around them. Each line is classified on its own first (`classify`), from
// its shape and its first and last words; `ArticleAssembler` then looks at neighbours to pick the
// headline, the outlet name and the lead.
//
//   صورة توضح رئيس الوزراء …                    → caption (photo label)
//   قوات تابعة للجيش الأمريكي في العراق/ رويترز   → caption, credit "رويترز"
//   - «جدول زمني» لانسحاب التحالف.. هل تهدأ …؟    → related headline
//   — قاسم الاعرجي (@qassimalaraji) December 9, 2021 → embedded post signature
//   تم النشر: 2024/01/25 الساعة 15:41 بتوقيت غرينتش → publication date
//   تم التحديث: …                                 → update date
//   تحميل المزيد                                  → site furniture; what follows is the site's
//   المصدر: الجزيرة · بقلم: فلان                   → source, author
//
// Anything else is text: the headline, the lead, paragraphs, or a short line the assembler
// recognizes as the outlet's name.

/// A line of the file as the classifier receives it.
struct SourceLine {
    var range: Range<Int>
    /// Markdown heading level (1–6), or 0.
    var heading = 0
    /// A Markdown image: the line holds its alt text.
    var image = false
}

/// What a line is.
enum LineKind {
    case blank
    case text
    case heading(Int)
    case published(DateExtractor.Stamp?)
    case updated(DateExtractor.Stamp?)
    case dateOnly(DateExtractor.Stamp)
    case caption(text: Range<Int>, credit: Range<Int>?)
    case related(Range<Int>)
    case relatedHeading
    case boilerplate
    case tailMarker
    case postSignature(PostSignature)
    case byline(Range<Int>)
    case sourceLabel(Range<Int>)
}

/// The "— name (@handle) date" line under an embedded post.
struct PostSignature {
    var author: Range<Int>?
    var handle: Range<Int>
    var date: Range<Int>?
    /// Post text written on the same line before the dash, if any.
    var inlineText: Range<Int>?
}

/// Shape facts about a line, computed once.
struct LineShape {
    var words: Int
    var lastScalar: UInt32
    var secondLastScalar: UInt32

    /// Whether the line contains "@" (a post signature's handle needs one).
    var hasAt: Bool
    var bytes: Int

    init(_ b: [UInt8], _ r: Range<Int>) {
        var spaces = 0
        var at = false
        b.withUnsafeBufferPointer { p in
            for i in r {
                let c = p[i]
                if c == 0x20 { spaces += 1 } else if c == 0x40 { at = true }
            }
        }
        hasAt = at
        bytes = r.count
        words = r.isEmpty ? 0 : spaces + 1
        if r.isEmpty {
            lastScalar = 0; secondLastScalar = 0
        } else {
            let (last, len) = scalar(endingAt: r.upperBound, in: b)
            lastScalar = last
            secondLastScalar = r.upperBound - len > r.lowerBound ? scalar(endingAt: r.upperBound - len, in: b).value : 0
        }
    }

    /// Ends with a sentence's full stop (an ellipsis or ".." does not count).
    var endsWithPeriod: Bool {
        (lastScalar == 0x2E && secondLastScalar != 0x2E) || lastScalar == 0x06D4
    }

    /// Short and not closed by a full stop: how headlines, captions and related links look.
    var isHeadlineLike: Bool {
        words <= 30 && bytes <= 1000 && !endsWithPeriod && lastScalar != 0x3A && lastScalar != 0x060C
    }
}

enum LineClassifier {
    /// Bullet marks that open a related-article line ("- ", "• ").
    static func isBullet(_ s: UInt32) -> Bool {
        s == 0x2D || s == 0x2022 || s == 0x2A || s == 0xB7 || s == 0x2013 || s == 0x25AA || s == 0x25FE
            || s == 0x25A0 || s == 0x25C0 || s == 0x25B6 || s == 0x2014 || s == 0x2023 || s == 0x25CF
    }

    static func classify(_ b: [UInt8], _ line: SourceLine, shape: LineShape) -> LineKind {
        let r = line.range
        if r.isEmpty { return .blank }
        if line.image { return captionWithCredit(b, r, shape: shape) ?? .caption(text: r, credit: nil) }
        if line.heading > 0 { return .heading(line.heading) }

        if shape.hasAt, r.count <= 3000, let sig = postSignature(b, r) { return .postSignature(sig) }

        let head = Tokenizer.tokens(b, r, limit: 8)
        guard let first = head.first else { return .text }

        // Furniture: the whole line is a known phrase, or starts with one.
        if shape.words <= 6 {
            let key = Tokenizer.phraseKey(Tokenizer.tokens(b, r, limit: 24)[...])
            if Lexicon.boilerplate.contains(key) { return .boilerplate }
            if Lexicon.tailMarkers.contains(key) { return .tailMarker }
            if Lexicon.relatedHeadings.contains(key) { return .relatedHeading }
        }
        if first.kind == .punct, first.scalar == 0xA9 { return .boilerplate }
        if shape.words <= 20 {
            var prefix = WordHash.phraseSeed
            var n = 0
            for tok in head where tok.kind != .punct && n < 4 {
                prefix = WordHash.phrase(prefix, tok.kind == .word ? tok.key : UInt64(tok.value) &+ 0xD16_17)
                n += 1
                if Lexicon.boilerplatePrefixes.contains(prefix) { return .boilerplate }
            }
        }

        // "اقرأ أيضا: headline".
        if let colon = head.firstIndex(where: { $0.kind == .punct && $0.scalar == 0x3A }), colon <= 4,
           Lexicon.relatedHeadings.contains(Tokenizer.phraseKey(head[..<colon])) {
            let rest = trimmed(b, head[colon].end..<r.upperBound)
            return rest.isEmpty ? .relatedHeading : .related(rest)
        }

        // Bulleted headline of another article.
        if first.kind == .punct, isBullet(first.scalar), first.start == r.lowerBound, r.lowerBound + (first.end - first.start) < r.upperBound,
           b[first.end] == 0x20 {
            let rest = trimmed(b, first.end..<r.upperBound)
            if shape.words <= 26, !shape.endsWithPeriod, !rest.isEmpty { return .related(rest) }
            return .text
        }

        // Publication and update lines.
        if shape.words <= 24 {
            if let kind = metadata(b, r, head) { return kind }
        }

        // Byline and source label: "بقلم: فلان", "المصدر: الجزيرة".
        if shape.words <= 8, let info = Lexicon.info(first) {
            let hasColon = head.count > 1 && head[1].kind == .punct && head[1].scalar == 0x3A
            let nameStart = hasColon ? head[1].end : first.end
            let name = trimmed(b, nameStart..<r.upperBound)
            if info.flags.contains(.sourceLabel), hasColon, !name.isEmpty { return .sourceLabel(name) }
            if info.flags.contains(.bylineLabel), !name.isEmpty, hasColon || shape.words <= 6,
               hasColon || first.key != Tokenizer.wordKey("كتب") {
                return .byline(name)
            }
        }

        // Captions.
        if shape.words <= 40, !shape.endsWithPeriod, first.kind == .word, Lexicon.has(first, .photoLabel) {
            var textStart = r.lowerBound
            if head.count > 1, head[1].kind == .punct, head[1].scalar == 0x3A || head[1].scalar == 0x2D {
                textStart = head[1].end
            }
            let textRange = trimmed(b, textStart..<r.upperBound)
            if case .caption(let text, let credit)? = captionWithCredit(b, textRange, shape: shape) {
                return .caption(text: text, credit: credit)
            }
            if !textRange.isEmpty { return .caption(text: textRange, credit: nil) }
        }
        if let caption = captionWithCredit(b, r, shape: shape) { return caption }

        // A line that is only a date and a time.
        if shape.words <= 12, isDateOnly(b, r), let stamp = DateExtractor.stamp(b, r) { return .dateOnly(stamp) }
        return .text
    }

    // MARK: Pieces

    /// The range without leading and trailing spaces, colons, dashes and commas.
    static func trimmed(_ b: [UInt8], _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        func junk(_ s: UInt32) -> Bool {
            s == 0x20 || s == 0x3A || s == 0x2D || s == 0x2C || s == 0x060C || s == 0x2013 || s == 0x2014 || s == 0x7C
        }
        while lo < hi {
            let (s, len) = scalar(at: lo, in: b)
            guard junk(s) else { break }
            lo += len
        }
        while hi > lo {
            let (s, len) = scalar(endingAt: hi, in: b)
            guard junk(s) else { break }
            hi -= len
        }
        return lo..<hi
    }

    /// "تم النشر: …" / "تم التحديث: …" (also several on one line, separated by "|").
    private static func metadata(_ b: [UInt8], _ r: Range<Int>, _ head: [Token]) -> LineKind? {
        var key = WordHash.phraseSeed
        var n = 0
        var kind: Int = 0  // 1 published, 2 updated
        var openerEnd = 0
        for (idx, tok) in head.enumerated() where n < 3 {
            if tok.kind == .punct {
                if tok.scalar == 0x3A { break }
                continue
            }
            key = WordHash.phrase(key, tok.kind == .word ? tok.key : UInt64(tok.value) &+ 0xD16_17)
            n += 1
            if Lexicon.updatedOpeners.contains(key) { kind = 2; openerEnd = idx }
            else if Lexicon.publishedOpeners.contains(key) { kind = 1; openerEnd = idx }
        }
        guard kind != 0 else { return nil }
        let hasColon = openerEnd + 1 < head.count && head[openerEnd + 1].kind == .punct && head[openerEnd + 1].scalar == 0x3A
        // Text after the opener, up to a "|" that may start a second stamp.
        var end = r.upperBound
        var i = head[openerEnd].end
        while i < r.upperBound { if b[i] == 0x7C { end = i; break }; i += 1 }
        let stamp = DateExtractor.stamp(b, head[openerEnd].end..<end)
        // Without a colon the opener is only trusted when a bare date follows ("نشر في 25 يناير 2024"),
        // so that a sentence beginning with the verb نشر stays text.
        if !hasColon, stamp == nil || !isDateOnly(b, head[openerEnd].end..<end) { return nil }
        return kind == 2 ? .updated(stamp) : .published(stamp)
    }

    /// Every token a date word, a number or punctuation.
    private static func isDateOnly(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        let t = Tokenizer.tokens(b, r, limit: 40)
        var numbers = 0
        for tok in t {
            switch tok.kind {
            case .number: numbers += 1
            case .punct: continue
            case .word:
                guard let info = Lexicon.info(tok) else { return false }
                let ok: WordInfo.Flags = [.dateLineWord, .weekday, .month, .levantineHalf, .ordinalFirst, .ordinalSecond,
                                          .morning, .evening, .timeOf, .dayMonthConnector]
                if info.flags.isDisjoint(with: ok) && info.zone < 0 { return false }
            }
        }
        return numbers > 0
    }

    /// "text/ رويترز", "text / AFP", "text (رويترز)": a caption with its credit.
    static func captionWithCredit(_ b: [UInt8], _ r: Range<Int>, shape: LineShape) -> LineKind? {
        guard shape.words >= 2, shape.words <= 40, !shape.endsWithPeriod, !r.isEmpty else { return nil }
        // Trailing "(agency)".
        if shape.lastScalar == 0x29 {
            var open = r.upperBound - 1
            let floor = max(r.lowerBound, r.upperBound - 80)
            while open > floor, b[open] != 0x28 { open -= 1 }
            if b[open] == 0x28, open > r.lowerBound {
                let credit = trimmed(b, open + 1..<r.upperBound - 1)
                if !credit.isEmpty, Lexicon.agencies.contains(Tokenizer.phraseKey(Tokenizer.tokens(b, credit, limit: 8)[...])) {
                    let text = trimmed(b, r.lowerBound..<open)
                    if !text.isEmpty { return .caption(text: text, credit: credit) }
                }
            }
        }
        // Trailing "/ credit".
        var slash = r.upperBound - 1
        let floor = max(r.lowerBound, r.upperBound - 80)
        while slash > floor, b[slash] != 0x2F { slash -= 1 }
        guard b[slash] == 0x2F, slash > r.lowerBound, slash + 1 < r.upperBound else { return nil }
        let before = b[slash - 1]
        if (0x30...0x39).contains(before) || before == 0x3A || before == 0x2F || b[slash + 1] == 0x2F { return nil }
        let credit = trimmed(b, slash + 1..<r.upperBound)
        let text = trimmed(b, r.lowerBound..<slash)
        guard !credit.isEmpty, !text.isEmpty else { return nil }
        let ct = Tokenizer.tokens(b, credit, limit: 12)
        guard ct.count <= 8, !ct.contains(where: { $0.kind == .number }),
              !ct.contains(where: { $0.kind == .punct && (ScalarClass.endsSentence($0.scalar) || $0.scalar == 0x2F) }),
              ct.filter({ $0.kind == .word }).count <= 4, DateExtractor.month(ct, 0, b) == nil else { return nil }
        let known = Lexicon.agencies.contains(Tokenizer.phraseKey(ct[...]))
        guard known || b[slash + 1] == 0x20 || before == 0x20 else { return nil }
        guard LineShape(b, text).words >= 2 else { return nil }
        return .caption(text: text, credit: credit)
    }

    /// "— name (@handle) date", "text — name (@handle) date" or "name (@handle) date".
    static func postSignature(_ b: [UInt8], _ r: Range<Int>) -> PostSignature? {
        var p = r.lowerBound
        var found = -1
        while p + 1 < r.upperBound {
            if b[p] == 0x28 && b[p + 1] == 0x40 { found = p; break }
            p += 1
        }
        guard found >= 0 else { return nil }
        var h = found + 2
        while h < r.upperBound, (0x30...0x39).contains(b[h]) || (0x41...0x5A).contains(b[h])
                || (0x61...0x7A).contains(b[h]) || b[h] == 0x5F || b[h] == 0x2E { h += 1 }
        guard h > found + 2, h < r.upperBound, b[h] == 0x29 else { return nil }
        let handle = found + 1..<h
        let rest = trimmed(b, h + 1..<r.upperBound)
        var date: Range<Int>?
        if !rest.isEmpty {
            let t = Tokenizer.tokens(b, rest, limit: 16)
            var matched = false
            for i in t.indices where t[i].kind != .punct {
                if let (_, end) = DateExtractor.match(t, i, b) {
                    date = t[i].start..<t[end - 1].end
                    matched = true
                    break
                }
            }
            if !matched, LineShape(b, rest).words > 6 { return nil }
            if !matched { date = rest }
        }
        // The dash that separates the post text from the author's name.
        let before = r.lowerBound..<found
        var dash = -1
        var i = before.lowerBound
        while i < before.upperBound {
            let (s, len) = scalar(at: i, in: b)
            if s == 0x2014 || s == 0x2013 || s == 0x2D, i + len < before.upperBound, b[i + len] == 0x20,
               i == before.lowerBound || b[i - 1] == 0x20 {
                dash = i
            }
            i += len
        }
        var author: Range<Int>
        var inline: Range<Int>?
        if dash >= 0 {
            author = trimmed(b, scalar(at: dash, in: b).length + dash..<found)
            let text = trimmed(b, before.lowerBound..<dash)
            if !text.isEmpty { inline = text }
        } else {
            author = trimmed(b, before)
            let shared = Array("A post shared by ".utf8)
            if author.count > shared.count, Array(b[author.lowerBound..<author.lowerBound + shared.count]) == shared {
                author = author.lowerBound + shared.count..<author.upperBound
            }
            if LineShape(b, author).words > 6 { return nil }
        }
        if LineShape(b, author).words > 8 { return nil }
        return PostSignature(author: author.isEmpty ? nil : author, handle: handle, date: date, inlineText: inline)
    }
}
