// Quotations in the body, and who said them.
//
// **Marks.** Three styles are paired within a paragraph: curly “…” (also ”…“ and ”…”, since
// right-to-left typing often mirrors them), guillemets «…», and straight "…". Inside one style the
// others are ordinary characters. A mark left open at the end of a paragraph is dropped and
// counted, so the parser can warn.
//
// **What counts as a quotation.** Arabic news puts names and terms in quotes as often as speech
// ("داعش", "العربي الجديد", «انتقال»). A quoted span is kept when it has at least four words, or
// when it has at least two and directly follows "إن/أن" or a colon — the two ways Arabic
// introduces reported speech. A single quoted word (وصفتها بأنها «انتقال») is a term, not a quote.
//
// **Speakers.** Found with the patterns Arabic newswriting uses, in this order:
//
// 1. A verb of saying earlier in the same sentence: `قال X إن "…"`, `وأضاف X: "…"`,
//    `أكد X "…"`. X is the words after the verb up to إن/أن, a colon, a time word (يوم الأحد,
//    الخميس), an audience (لوسائل إعلام, للصحافة, لـ"…"), "في بيان", إلى, أيضاً…
//    Commas inside X are kept: "المتحدث باسم الحكومة العراقية، باسم العوادي".
//    `وكان X قد أكد` and `أما X، فقد لفت` put X before the verb.
//    A verb with no subject of its own (`وأضاف:`, `وتابع أن`) and a participle (`مضيفاً أن`,
//    `مشيراً إلى`) refer to the current speaker: the last one named, even in an earlier paragraph.
//    "في بيان" after a clause's subject names a speaker too: `فيما توخى [الوزير] في بيان الحذر`.
// 2. A verb right after the quotation: `"…"، صرح السوداني`, `"…"، قال` (current speaker).
// 3. A short name before a colon with no verb: `السوداني: "…"`.
// 4. A quotation that opens a sentence right after another quotation continues it:
//    `قال X إن "…". "…"` — both are X's.
// Otherwise the speaker is left out rather than guessed.
//
// Every scan is bounded (a name is at most 14 words; look-backs stop at the sentence start or a
// fixed number of tokens), so the whole pass is linear in the text.

struct QuoteExtractor {
    private(set) var quotes: [Quote] = []
    private(set) var unbalancedParagraphs = 0
    /// Hashes of the quote texts already kept (a quote repeated verbatim is listed once).
    private var seen: Set<UInt64> = []
    /// The last speaker named by a verb of saying (byte range in the working text).
    private var currentSpeaker: Range<Int>?

    /// A quoted span: token indices of its marks and the number of words inside.
    private struct Span { var open: Int; var close: Int; var words: Int }

    /// One unit of a paragraph for the speaker rules: a token outside quotes, or a whole quoted span.
    private struct Item {
        var token: Int  // token index, or the opening mark's index for a span
        var span: Int   // span index, or -1
        var isQuote: Bool { span >= 0 }
    }

    static let maxSpeakerWords = 14

    /// Processes one paragraph (paragraphs must be given in document order).
    mutating func add(_ b: [UInt8], _ range: Range<Int>, tokens t: [Token]) {
        let spans = pairMarks(t)
        guard !spans.isEmpty else {
            trackSpeakers(b, t, spans: [])
            return
        }
        trackSpeakers(b, t, spans: spans)
    }

    /// Pairs quotation marks within one paragraph.
    private mutating func pairMarks(_ t: [Token]) -> [Span] {
        var spans: [Span] = []
        var open = -1
        var style: UInt8 = 0  // 1 curly, 2 guillemet, 3 straight
        var words = 0
        for (i, tok) in t.enumerated() {
            if tok.kind != .punct {
                if open >= 0 { words += 1 }
                continue
            }
            let s = tok.scalar
            if open < 0 {
                switch s {
                case 0x201C, 0x201D, 0x201E: open = i; style = 1; words = 0
                case 0x00AB: open = i; style = 2; words = 0
                case 0x22: open = i; style = 3; words = 0
                default: break
                }
            } else {
                let closes = (style == 1 && (s == 0x201C || s == 0x201D)) || (style == 2 && s == 0x00BB)
                    || (style == 3 && s == 0x22)
                if closes {
                    spans.append(Span(open: open, close: i, words: words))
                    open = -1
                }
            }
        }
        if open >= 0 { unbalancedParagraphs += 1 }
        return spans
    }

    private mutating func trackSpeakers(_ b: [UInt8], _ t: [Token], spans: [Span]) {
        // Build the item list: tokens outside quotes, one item per quoted span.
        var items: [Item] = []
        items.reserveCapacity(t.count)
        var s = 0
        var i = 0
        while i < t.count {
            if s < spans.count, spans[s].open == i {
                items.append(Item(token: i, span: s))
                i = spans[s].close + 1
                s += 1
            } else {
                items.append(Item(token: i, span: -1))
                i += 1
            }
        }

        var sentence = 0
        var sentenceStart = 0
        var lastVerb: (sentence: Int, speaker: Range<Int>?)?
        var previousQuote: Range<Int>??  // .some(speaker) once a quote was kept in this paragraph
        var lastContent = -1  // index of the last word, number or quote item seen

        for (k, item) in items.enumerated() {
            defer { if item.isQuote || t[item.token].kind != .punct { lastContent = k } }
            if item.isQuote {
                let span = spans[item.span]
                let introduced = k > 0 && introducesSpeech(items[k - 1], t)
                guard span.words >= 4 || (introduced && span.words >= 2) else { continue }
                var speaker: Range<Int>?
                var resolved = false
                if let v = lastVerb, v.sentence == sentence {
                    speaker = v.speaker; resolved = true
                }
                if !resolved, let after = speakerAfter(quoteItem: k, items, t, spans) {
                    speaker = after; resolved = true
                }
                if !resolved, k > 0, isPunct(items[k - 1], t, 0x3A) {
                    speaker = nameBeforeColon(colonItem: k - 1, sentenceStart: sentenceStart, items, t, spans)
                    resolved = speaker != nil
                }
                // Opens its sentence: nothing but punctuation since the sentence began.
                if !resolved, let prev = previousQuote, lastContent < sentenceStart {
                    speaker = prev
                }
                let textStart = t[span.open].end
                let textEnd = t[span.close].start
                let inner = LineClassifier.trimmed(b, textStart..<max(textStart, textEnd))
                if !inner.isEmpty {
                    var h = WordHash.seed
                    for i in inner { h = WordHash.mix(h, UInt32(b[i])) }
                    if seen.insert(h).inserted {
                        let speakerText = speaker.map { string(b, $0).trimmingSpaces() }
                        quotes.append(Quote(text: string(b, inner), speaker: speakerText))
                    }
                }
                previousQuote = .some(speaker)
                continue
            }
            let tok = t[item.token]
            if tok.kind == .punct {
                if ScalarClass.endsSentence(tok.scalar) {
                    sentence += 1
                    sentenceStart = k + 1
                }
                continue
            }
            let speech = Lexicon.speechFlags(tok)
            if speech.isEmpty {
                // "توخى وزير الدفاع لويد أوستن في بيان …": "in a statement" makes the clause's subject a speaker.
                if Lexicon.has(tok, .preposition), k + 1 < items.count, !items[k + 1].isQuote,
                   Lexicon.has(t[items[k + 1].token], .statementNoun),
                   let named = subjectBeforeStatement(k, sentenceStart: sentenceStart, items, t) {
                    currentSpeaker = named
                    lastVerb = (sentence, named)
                }
                continue
            }
            if speech.contains(.speechVerb) {
                let named: Range<Int>?
                if Lexicon.has(tok, .latinVerb) {
                    named = wordsBefore(k, floor: max(sentenceStart, k - 8), items, t) ?? subjectAfter(verbItem: k, items, t, spans)
                } else {
                    named = subjectBefore(verbItem: k, sentenceStart: sentenceStart, items, t, spans)
                        ?? subjectAfter(verbItem: k, items, t, spans)
                }
                if let named { currentSpeaker = named }
                lastVerb = (sentence, named ?? currentSpeaker)
            } else {
                lastVerb = (sentence, currentSpeaker)
            }
        }
    }

    // MARK: Pieces of the rules

    private func isPunct(_ item: Item, _ t: [Token], _ scalar: UInt32) -> Bool {
        !item.isQuote && t[item.token].kind == .punct && t[item.token].scalar == scalar
    }

    private func isComma(_ item: Item, _ t: [Token]) -> Bool {
        isPunct(item, t, 0x060C) || isPunct(item, t, 0x2C)
    }

    /// إن/أن or a colon right before a quotation.
    private func introducesSpeech(_ item: Item, _ t: [Token]) -> Bool {
        if item.isQuote { return false }
        let tok = t[item.token]
        if tok.kind == .punct { return tok.scalar == 0x3A }
        return Lexicon.has(tok, .thatParticle)
    }

    private func words(_ item: Item, _ t: [Token], _ spans: [Span]) -> Int {
        item.isQuote ? spans[item.span].words : (t[item.token].kind == .punct ? 0 : 1)
    }

    private func bytes(_ item: Item, _ t: [Token], _ spans: [Span]) -> Range<Int> {
        item.isQuote ? t[spans[item.span].open].start..<t[spans[item.span].close].end : t[item.token].range
    }

    /// The speaker named right after a verb of saying: "قال [المتحدث باسم الحكومة] إن".
    private func subjectAfter(verbItem v: Int, _ items: [Item], _ t: [Token], _ spans: [Span]) -> Range<Int>? {
        var j = v + 1
        guard j < items.count else { return nil }
        let first = items[j]
        if first.isQuote {
            if spans[first.span].words >= 4 { return nil }
        } else {
            let tok = t[first.token]
            if tok.kind == .punct { return nil }
            if Lexicon.has(tok, .preposition) || Lexicon.has(tok, .subjectStop) { return nil }
        }
        var last = -1
        var count = 0
        while j < items.count, j - v <= 40 {
            let item = items[j]
            if item.isQuote {
                if spans[item.span].words >= 4 { break }
                count += spans[item.span].words
            } else {
                let tok = t[item.token]
                if tok.kind == .punct {
                    if isComma(item, t) || isJoiner(j, items, t) { j += 1; continue }
                    break
                }
                if tok.kind == .word {
                    if Lexicon.has(tok, .subjectStop) || !Lexicon.speechFlags(tok).isEmpty { break }
                    if Lexicon.has(tok, .preposition), j + 1 < items.count, !items[j + 1].isQuote,
                       Lexicon.has(t[items[j + 1].token], .statementNoun) {
                        break
                    }
                }
                count += 1
            }
            if count > Self.maxSpeakerWords { return nil }
            last = j
            j += 1
        }
        guard last > v else { return nil }
        return bytes(items[v + 1], t, spans).lowerBound..<bytes(items[last], t, spans).upperBound
    }

    /// The speaker named before "قد + verb": "وكان [المتحدث …]، قد أكد", "أما [عضو حركة …]، فقد لفت".
    private func subjectBefore(verbItem v: Int, sentenceStart: Int, _ items: [Item], _ t: [Token],
                               _ spans: [Span]) -> Range<Int>? {
        guard v >= 2, !items[v - 1].isQuote, Lexicon.has(t[items[v - 1].token], .qad) else { return nil }
        var k = v - 2
        let floor = max(sentenceStart, v - 30)
        while k >= floor {
            let item = items[k]
            if !item.isQuote, Lexicon.has(t[item.token], .subjectOpener) { break }
            k -= 1
        }
        guard k >= floor else { return nil }
        var first = k + 1
        var last = v - 2
        while first <= last, !items[first].isQuote, t[items[first].token].kind == .punct { first += 1 }
        while last >= first, !items[last].isQuote, t[items[last].token].kind == .punct { last -= 1 }
        guard first <= last else { return nil }
        var count = 0
        for m in first...last { count += words(items[m], t, spans) }
        guard count >= 1, count <= Self.maxSpeakerWords else { return nil }
        return bytes(items[first], t, spans).lowerBound..<bytes(items[last], t, spans).upperBound
    }

    /// "فيما توخى [وزير الدفاع الأمريكي لويد أوستن] في بيان": the words between the clause's first
    /// word (taken to be its verb) and "في بيان", when the clause has no verb of saying of its own.
    private func subjectBeforeStatement(_ k: Int, sentenceStart: Int, _ items: [Item], _ t: [Token]) -> Range<Int>? {
        var m = k - 1
        let floor = max(sentenceStart, k - 10)
        while m >= floor {
            let item = items[m]
            if item.isQuote { return nil }
            let tok = t[item.token]
            if tok.kind == .punct || Lexicon.has(tok, .clauseOpener) { break }
            if !Lexicon.speechFlags(tok).isEmpty { return nil }
            m -= 1
        }
        guard m >= floor || m < sentenceStart else { return nil }
        let first = m + 2  // skip the clause opener (or boundary) and the verb
        guard first <= k - 1 else { return nil }
        for n in first..<k where items[n].isQuote || t[items[n].token].kind != .word { return nil }
        let count = k - first
        guard count >= 1, count <= 6 else { return nil }
        return t[items[first].token].start..<t[items[k - 1].token].end
    }

    /// A hyphen, apostrophe or period written inside a name ("al-Awadi", "Iraq's", "St.John").
    private func isJoiner(_ m: Int, _ items: [Item], _ t: [Token]) -> Bool {
        guard m > 0, m + 1 < items.count, !items[m].isQuote, !items[m - 1].isQuote, !items[m + 1].isQuote else { return false }
        let p = t[items[m].token]
        guard p.kind == .punct, p.scalar == 0x2D || p.scalar == 0x27 || p.scalar == 0x2019 || p.scalar == 0x2E else { return false }
        return t[items[m - 1].token].end == p.start && t[items[m + 1].token].start == p.end
            && t[items[m - 1].token].kind == .word && t[items[m + 1].token].kind == .word
    }

    /// English: the words right before a verb ("the minister said"), at most eight, not a pronoun.
    private func wordsBefore(_ v: Int, floor: Int, _ items: [Item], _ t: [Token]) -> Range<Int>? {
        var m = v - 1
        while m >= floor, !items[m].isQuote,
              (t[items[m].token].kind == .word && !Lexicon.has(t[items[m].token], .pronoun)) || isJoiner(m, items, t) {
            m -= 1
        }
        guard m + 1 < v, !isJoiner(m + 1, items, t) else { return nil }
        return t[items[m + 1].token].start..<t[items[v - 1].token].end
    }

    /// A verb of saying right after the quotation: `"…"، صرح السوداني` → السوداني;
    /// in English also `"…," the minister said`.
    private func speakerAfter(quoteItem q: Int, _ items: [Item], _ t: [Token], _ spans: [Span]) -> Range<Int>?? {
        var j = q + 1
        if j < items.count, isComma(items[j], t) { j += 1 }
        var v = j
        while v < items.count, v - j < 5, !items[v].isQuote, t[items[v].token].kind == .word,
              !Lexicon.has(t[items[v].token], .latinVerb) { v += 1 }
        if v > j, v < items.count, !items[v].isQuote, Lexicon.has(t[items[v].token], .latinVerb) {
            if let name = wordsBefore(v, floor: j, items, t) { return .some(name) }
            return .some(currentSpeaker)
        }
        guard j < items.count, !items[j].isQuote, Lexicon.speechFlags(t[items[j].token]).contains(.speechVerb) else {
            return nil
        }
        return .some(subjectAfter(verbItem: j, items, t, spans) ?? currentSpeaker)
    }

    /// `السوداني: "…"`: a short name (at most six words, no verb) from the sentence start to a colon.
    private func nameBeforeColon(colonItem c: Int, sentenceStart: Int, _ items: [Item], _ t: [Token],
                                 _ spans: [Span]) -> Range<Int>? {
        guard c > sentenceStart, c - sentenceStart <= 8 else { return nil }
        var count = 0
        for m in sentenceStart..<c {
            let item = items[m]
            if item.isQuote { return nil }
            let tok = t[item.token]
            if tok.kind == .punct { return nil }
            count += 1
        }
        guard count >= 1, count <= 6 else { return nil }
        return bytes(items[sentenceStart], t, spans).lowerBound..<bytes(items[c - 1], t, spans).upperBound
    }

}

extension String {
    /// The string without leading and trailing spaces and commas (ASCII and Arabic).
    func trimmingSpaces() -> String {
        let u = unicodeScalars
        var start = u.startIndex
        var end = u.endIndex
        func trim(_ v: UInt32) -> Bool { v == 0x20 || v == 0x2C || v == 0x060C || v == 0x0A }
        while start < end, trim(u[start].value) { start = u.index(after: start) }
        while end > start, trim(u[u.index(before: end)].value) { end = u.index(before: end) }
        return String(u[start..<end])
    }
}
