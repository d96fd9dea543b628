// From classified lines to an `Article`.
//
// `LineClassifier` says what each line looks like on its own; here the lines are read in order
// and in context:
//
// 1. **Site sections.** After "اقرأ أيضا" short lines are related headlines; after "تحميل المزيد"
//    or "الأكثر قراءة" short lines belong to the site, not the article.
// 2. **Embedded posts.** The paragraph just above a "— name (@handle) date" line is the post's text.
// 3. **Outlet.** A short line above the lead is the outlet's name when it is a known outlet or
//    sits next to the publication line ("عربي بوست" above "تم النشر: …").
// 4. **Headline.** The first text line, when it is short and not a finished sentence. Otherwise
//    the file opens with its lead, and the title is the lead's first clause (`title_derived`).
// 5. **Body.** The remaining text lines, in order: the first is the lead. A scraped page whose
//    whole body is one block of more than 100 words gets its first sentence as the lead.
// 6. **Quotes and dates** are read from the body (and the embedded posts, for dates).

/// Facts a container format (JSON fields, Markdown front matter) states outright.
struct KnownFields {
    var title: String?
    var source: String?
    var url: String?
    var author: String?
    var publishedAt: String?
    var updatedAt: String?
}

struct ArticleAssembler {
    let b: [UInt8]
    let lines: [SourceLine]
    private var kinds: [LineKind] = []
    private var roles: [Role] = []
    private var shapes: [LineShape] = []
    var warnings: [String] = []

    private enum Role { case none, title, source, postText, dropped }

    init(_ b: [UInt8], lines: [SourceLine]) {
        self.b = b
        self.lines = lines
    }

    mutating func assemble(known: KnownFields, letters: LetterCounts) throws(ArticleParseError) -> Article {
        shapes = lines.map { LineShape(b, $0.range) }
        kinds = zip(lines, shapes).map { LineClassifier.classify(b, $0, shape: $1) }
        roles = Array(repeating: .none, count: lines.count)
        markSiteSections()
        let posts = collectPosts()

        // Outlet.
        var source = known.source
        if source == nil {
            for k in kinds { if case .sourceLabel(let r) = k { source = string(b, r); break } }
        }
        if source == nil, let i = outletLine() {
            roles[i] = .source
            source = string(b, lines[i].range)
        }

        // Headline.
        var title = known.title
        var titleLine: Int?
        if let t = title {
            if let first = firstText(), string(b, lines[first].range) == t { roles[first] = .dropped }
        } else if let h = kinds.firstIndex(where: { if case .heading(1) = $0 { return true } else { return false } }) {
            roles[h] = .title
            titleLine = h
            title = string(b, lines[h].range)
        } else if let first = firstText(), shapes[first].isHeadlineLike, firstText(after: first) != nil {
            roles[first] = .title
            titleLine = first
            title = string(b, lines[first].range)
        }

        // Body.
        var body: [Range<Int>] = []
        var leadIndex: Int?
        for (i, k) in kinds.enumerated() where roles[i] == .none {
            switch k {
            case .text:
                if leadIndex == nil { leadIndex = body.count }
                body.append(lines[i].range)
            case .heading: body.append(lines[i].range)
            default: break
            }
        }
        var lead: Range<Int>?
        if let li = leadIndex {
            lead = body.remove(at: li)
            if let l = lead, LineShape(b, l).words > 100, let cut = firstSentenceEnd(l) {
                lead = l.lowerBound..<cut
                body.insert(LineClassifier.trimmed(b, cut..<l.upperBound), at: li)
                warnings.append("The body is a single block of text; its first sentence was taken as the lead.")
            }
        }

        var titleDerived = false
        if title?.isEmpty ?? true {
            guard let from = lead ?? body.first, let derived = derivedTitle(from) else { throw .noText }
            title = derived
            titleDerived = true
            warnings.append("The file has no headline; the title was derived from the lead's first clause.")
        } else if lead == nil && body.isEmpty {
            warnings.append("The file has a headline but no body text.")
        }
        return try finish(title: title ?? "", derived: titleDerived, lead: lead, body: body, source: source,
                          known: known, posts: posts, titleLine: titleLine, letters: letters)
    }

    private mutating func finish(title: String, derived: Bool, lead: Range<Int>?, body: [Range<Int>], source: String?,
                                 known: KnownFields, posts: [(EmbeddedPost, Int, [Range<Int>])], titleLine: Int?,
                                 letters: LetterCounts) throws(ArticleParseError) -> Article {
        guard !title.isEmpty else { throw .noText }
        var article = Article(title: title, titleDerived: derived)
        article.lead = lead.map { string(b, $0) } ?? ""
        article.paragraphs = body.map { string(b, $0) }
        article.source = source

        // Dates of publication and update.
        var published = known.publishedAt, updated = known.updatedAt
        var unreadable = false
        var noZone = false
        for k in kinds {
            switch k {
            case .published(let s):
                if let s { if published == nil { published = s.iso; noZone = s.hasTime && !s.zoneKnown } } else { unreadable = true }
            case .updated(let s):
                if let s { if updated == nil { updated = s.iso } } else { unreadable = true }
            case .dateOnly(let s):
                if published == nil { published = s.iso; noZone = s.hasTime && !s.zoneKnown }
            default: break
            }
        }
        article.publishedAt = published
        article.updatedAt = updated
        if unreadable { warnings.append("A publication or update line has a date the parser could not read.") }
        if noZone { warnings.append("The publication time states no time zone; it is given as local time.") }

        // Captions, related headlines, author.
        var captionSeen = Set<Caption>()
        var relatedSeen = Set<String>()
        for k in kinds {
            switch k {
            case .caption(let text, let credit):
                let c = Caption(text: string(b, text), credit: credit.map { string(b, $0) })
                if captionSeen.insert(c).inserted { article.captions.append(c) }
            case .related(let r):
                let s = string(b, r)
                if relatedSeen.insert(s).inserted { article.related.append(s) }
            case .byline(let r):
                if article.author == nil { article.author = string(b, r) }
            default: break
            }
        }
        if let a = known.author { article.author = a }
        article.url = known.url
        article.embeddedPosts = posts.map(\.0)

        // Quotes (body only) and dates (headline, body, posts), in document order.
        var quotes = QuoteExtractor()
        var dates: [DateMention] = []
        var seenDates = Set<DateMention>()
        var tokens: [Token] = []
        if let tl = titleLine {
            tokens.removeAll(keepingCapacity: true)
            Tokenizer.tokenize(b, lines[tl].range, into: &tokens)
            DateExtractor.collect(b, tokens, into: &dates, seen: &seenDates)
        }
        var postCursor = 0
        let bodyRanges = (lead.map { [$0] } ?? []) + body
        for r in bodyRanges {
            // Posts that come before this paragraph in the file.
            while postCursor < posts.count, posts[postCursor].1 < r.lowerBound {
                for pr in posts[postCursor].2 {
                    tokens.removeAll(keepingCapacity: true)
                    Tokenizer.tokenize(b, pr, into: &tokens)
                    DateExtractor.collect(b, tokens, into: &dates, seen: &seenDates)
                }
                postCursor += 1
            }
            tokens.removeAll(keepingCapacity: true)
            Tokenizer.tokenize(b, r, into: &tokens)
            quotes.add(b, r, tokens: tokens)
            DateExtractor.collect(b, tokens, into: &dates, seen: &seenDates)
        }
        while postCursor < posts.count {
            for pr in posts[postCursor].2 {
                tokens.removeAll(keepingCapacity: true)
                Tokenizer.tokenize(b, pr, into: &tokens)
                DateExtractor.collect(b, tokens, into: &dates, seen: &seenDates)
            }
            postCursor += 1
        }
        article.quotes = quotes.quotes
        article.datesMentioned = dates
        if quotes.unbalancedParagraphs > 0 {
            warnings.append("\(quotes.unbalancedParagraphs) paragraph(s) have an unclosed quotation mark.")
        }
        article.language = LanguageGuesser.guess(letters, b)
        article.warnings = warnings
        return article
    }

    // MARK: Steps

    /// Related headlines after "اقرأ أيضا", site furniture after "تحميل المزيد".
    private mutating func markSiteSections() {
        var relatedMode = false
        var tailMode = false
        for i in kinds.indices {
            switch kinds[i] {
            case .relatedHeading: relatedMode = true; tailMode = false
            case .tailMarker: tailMode = true; relatedMode = false
            case .text:
                let short = shapes[i].words <= 26 && !shapes[i].endsWithPeriod
                if relatedMode {
                    if short { kinds[i] = .related(lines[i].range) } else { relatedMode = false }
                } else if tailMode {
                    if short { kinds[i] = .boilerplate } else { tailMode = false }
                }
            default: break
            }
        }
    }

    /// Embedded posts, with the line index of their signature and the ranges that hold their
    /// text and date (for the date scan).
    private mutating func collectPosts() -> [(EmbeddedPost, Int, [Range<Int>])] {
        var posts: [(EmbeddedPost, Int, [Range<Int>])] = []
        for i in kinds.indices {
            guard case .postSignature(let sig) = kinds[i] else { continue }
            var textRange = sig.inlineText
            if textRange == nil, let j = previousNonBlank(i), case .text = kinds[j], roles[j] == .none {
                roles[j] = .postText
                textRange = lines[j].range
            }
            if textRange == nil { warnings.append("An embedded post signature has no post text above it.") }
            var date: String?
            if let d = sig.date {
                let t = Tokenizer.tokens(b, d, limit: 16)
                if !t.isEmpty, t[0].kind != .punct, let (cd, _) = DateExtractor.match(t, 0, b) { date = cd.iso }
                else { date = string(b, d) }
            }
            let post = EmbeddedPost(author: sig.author.map { string(b, $0) }, handle: string(b, sig.handle), date: date,
                                    text: textRange.map { string(b, $0) } ?? "")
            var ranges: [Range<Int>] = []
            if let t = textRange { ranges.append(t) }
            if let d = sig.date { ranges.append(d) }
            posts.append((post, textRange?.lowerBound ?? lines[i].range.lowerBound, ranges))
        }
        return posts
    }

    private func previousNonBlank(_ i: Int) -> Int? {
        var j = i - 1
        while j >= 0 { if case .blank = kinds[j] { j -= 1 } else { return j } }
        return nil
    }

    private func nextNonBlank(_ i: Int) -> Int? {
        var j = i + 1
        while j < kinds.count { if case .blank = kinds[j] { j += 1 } else { return j } }
        return nil
    }

    private func firstText(after: Int = -1) -> Int? {
        var i = after + 1
        while i < kinds.count {
            if case .text = kinds[i], roles[i] == .none { return i }
            i += 1
        }
        return nil
    }

    private func isDateLine(_ i: Int?) -> Bool {
        guard let i else { return false }
        switch kinds[i] {
        case .published, .updated, .dateOnly: return true
        default: return false
        }
    }

    /// A short line above the lead naming the outlet.
    private func outletLine() -> Int? {
        guard let first = firstText() else { return nil }
        var i = first
        while i < kinds.count {
            if case .text = kinds[i], roles[i] == .none {
                // The first text line may be the headline: look past it, not at its length.
                if shapes[i].words > 12, i != first || !shapes[i].isHeadlineLike { return nil }  // reached the body
                if shapes[i].words <= 5, shapes[i].isHeadlineLike {
                    let key = Tokenizer.phraseKey(Tokenizer.tokens(b, lines[i].range, limit: 16)[...])
                    if Lexicon.outlets.contains(key) { return i }
                    if i != first, isDateLine(previousNonBlank(i)) || isDateLine(nextNonBlank(i)) { return i }
                }
            }
            i += 1
        }
        return nil
    }

    /// The end of the first sentence of a long block (at least five words on each side).
    private func firstSentenceEnd(_ r: Range<Int>) -> Int? {
        var i = r.lowerBound
        var words = 0
        var inQuote = false
        var straight = false
        while i < r.upperBound {
            let (s, len) = scalar(at: i, in: b)
            switch s {
            case 0x20: words += 1
            case 0x201C, 0x00AB: inQuote = true
            case 0x201D, 0x00BB: inQuote = false
            case 0x22: straight.toggle()
            default:
                if ScalarClass.endsSentence(s), !inQuote, !straight, words >= 5, i + len < r.upperBound, b[i + len] == 0x20 {
                    let cut = i + len
                    return LineShape(b, cut..<r.upperBound).words >= 5 ? cut : nil
                }
            }
            i += len
        }
        return nil
    }

    /// The lead's first clause (at least four words, at most twenty words or 300 bytes), as a stand-in headline.
    private func derivedTitle(_ r: Range<Int>) -> String? {
        var i = r.lowerBound
        var words = 1
        var end = r.upperBound
        var cutShort = false
        while i < r.upperBound {
            let (s, len) = scalar(at: i, in: b)
            if i - r.lowerBound >= 300 { end = i; cutShort = true; break }
            if s == 0x20 {
                words += 1
                if words > 20 { end = i; cutShort = true; break }
            } else if (s == 0x060C || s == 0x2C || s == 0x061B || s == 0x3B || s == 0x3A || ScalarClass.endsSentence(s)),
                      words >= 4 {
                end = i
                break
            }
            i += len
        }
        let t = LineClassifier.trimmed(b, r.lowerBound..<end)
        guard !t.isEmpty else { return nil }
        let s = string(b, t)
        return cutShort ? s + "…" : s
    }
}

/// The language of the text, from the letters the normalizer counted.
enum LanguageGuesser {
    static func guess(_ c: LetterCounts, _ b: [UInt8]) -> String {
        let total = c.arabic + c.latin + c.hebrew + c.cyrillic + c.greek + c.other
        guard total > 0 else { return "und" }
        if c.arabic * 2 > total {
            if c.urdu * 100 >= c.arabic * 2 { return "ur" }
            if c.persian * 100 >= c.arabic * 2 { return "fa" }
            return "ar"
        }
        if c.latin * 2 > total { return latin(b) }
        if c.hebrew * 2 > total { return "he" }
        if c.greek * 2 > total { return "el" }
        return "und"
    }

    private static let stopWords: [(String, Set<UInt64>)] = [
        ("en", Set("the and of to in is that for with was on said it are by".split(separator: " ").map { Tokenizer.wordKey(String($0)) })),
        ("fr", Set("le la les des et est une du dans que pour sur au pas qui".split(separator: " ").map { Tokenizer.wordKey(String($0)) })),
        ("es", Set("el los las del y que por una con para es se al como".split(separator: " ").map { Tokenizer.wordKey(String($0)) })),
        ("de", Set("der die das und ist nicht mit den ein eine zu von sich auf".split(separator: " ").map { Tokenizer.wordKey(String($0)) })),
    ]

    /// Latin-script text: the language whose common words occur most (first 4,000 words).
    private static func latin(_ b: [UInt8]) -> String {
        let t = Tokenizer.tokens(b, 0..<b.count, limit: 8000)
        var scores = Array(repeating: 0, count: stopWords.count)
        for tok in t where tok.kind == .word && tok.scalar < 0x80 {
            for (i, (_, set)) in stopWords.enumerated() where set.contains(tok.key) { scores[i] += 1 }
        }
        guard let best = scores.indices.max(by: { scores[$0] < scores[$1] }), scores[best] > 0 else { return "und" }
        return stopWords[best].0
    }
}
