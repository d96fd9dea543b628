import ArabicText

// Splits a byte range of the working text into words, numbers and punctuation marks.
//
// The quote, speaker and date extractors all reason about the same tokens, so they agree on
// what a "word" is. Tokens carry their byte range (to cut phrases out of the original text
// exactly as written) and a hash of their folded spelling (to look them up in the `Lexicon`
// without building a `String` per word).

/// What a token is.
enum TokenKind: UInt8 {
    /// A run of letters and marks ("الحكومة", "December", "لـ").
    case word
    /// A run of decimal digits in any of the three digit sets ("2024", "٢٥").
    case number
    /// One scalar of anything else: punctuation, quotation marks, symbols.
    case punct
}

/// One token of the working text.
struct Token {
    /// Byte range in the working buffer.
    var start: Int
    var end: Int
    var kind: TokenKind
    /// Punctuation: the scalar itself. Words: the first folded scalar.
    var scalar: UInt32
    /// Words: hash of the folded spelling. Numbers: the digit count.
    var key: UInt64
    /// Numbers: their value (capped at 9 digits; longer numbers keep the digit count in `key`).
    var value: Int
    /// Words: what the `Lexicon` knows about the word (empty when nothing).
    var info = WordInfo()
    /// Words: speech-verb flags, also found through the word without a leading و/ف ("وقال").
    var speech: WordInfo.Flags = []

    var range: Range<Int> { start..<end }
    var digits: Int { Int(key) }
}

enum Tokenizer {
    /// Appends the tokens of `range` in `b` to `tokens`, stopping after `limit` tokens.
    ///
    /// Linear in the range's length: every byte is visited once, and every word costs one probe
    /// of the lexicon (two for words starting with و/ف). Runs over an unsafe view of the buffer
    /// for speed; every read is still checked against the range's end.
    static func tokenize(_ b: [UInt8], _ range: Range<Int>, into tokens: inout [Token], limit: Int = .max) {
        precondition(range.lowerBound >= 0 && range.upperBound <= b.count)
        b.withUnsafeBufferPointer { p in
            tokenize(p, range, into: &tokens, limit: limit)
        }
    }

    @inline(__always)
    private static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int) {
        UTF8Scalars.decode(p, i, end: end)
    }

    private static func tokenize(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into tokens: inout [Token],
                                 limit: Int) {
        var i = range.lowerBound
        let end = range.upperBound
        var produced = 0
        let table = Lexicon.words
        while i < end, produced < limit {
            let (s, len) = decode(p, i, end)
            if s == 0x20 || s == 0x0A { i += len; continue }
            produced += 1
            if let _ = ScalarClass.digitValue(s) {
                let start = i
                var value = 0
                var count: UInt64 = 0
                while i < end {
                    let (d, dl) = decode(p, i, end)
                    guard let v = ScalarClass.digitValue(d) else { break }
                    if count < 9 { value = value * 10 + v }
                    count += 1
                    i += dl
                }
                tokens.append(Token(start: start, end: i, kind: .number, scalar: 0, key: count, value: value))
            } else if ScalarClass.isWordScalar(s) {
                let start = i
                var h = WordHash.seed
                var rest = WordHash.seed
                var first: UInt32 = 0
                var letters = 0
                while i < end {
                    let (w, wl) = decode(p, i, end)
                    let f: UInt32
                    // Fast path: the plain Arabic letters fold to themselves except ة ى and the alefs.
                    if w >= 0x0624 && w <= 0x064A && w != 0x0625 && w != 0x0629 && w != 0x0640 && w != 0x0649 {
                        f = w
                    } else {
                        guard ScalarClass.isWordScalar(w) else { break }
                        guard let g = foldForMatching(w) else { i += wl; continue }
                        f = g
                    }
                    h = WordHash.mix(h, f)
                    if letters == 0 { first = f } else { rest = WordHash.mix(rest, f) }
                    letters += 1
                    i += wl
                }
                var tok = Token(start: start, end: i, kind: .word, scalar: first, key: h, value: 0)
                if let info = table[h] {
                    tok.info = info
                    tok.speech = info.flags.intersection([.speechVerb, .speechParticiple])
                }
                if letters > 2 && (first == 0x0648 || first == 0x0641), let info = table[rest] {
                    tok.speech.formUnion(info.flags.intersection([.speechVerb, .speechParticiple]))
                }
                tokens.append(tok)
            } else {
                tokens.append(Token(start: i, end: i + len, kind: .punct, scalar: s, key: 0, value: 0))
                i += len
            }
        }
    }

    /// The tokens of a whole range.
    static func tokens(_ b: [UInt8], _ range: Range<Int>, limit: Int = .max) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(min(limit, max(4, range.count / 5)))
        tokenize(b, range, into: &out, limit: limit)
        return out
    }

    /// Hash of a single word written as a string literal, folded like the tokenizer folds.
    static func wordKey(_ word: String) -> UInt64 {
        var h = WordHash.seed
        for u in word.unicodeScalars { if let f = foldForMatching(u.value) { h = WordHash.mix(h, f) } }
        return h
    }

    /// Hash of a phrase: the word and number tokens of `text`, punctuation ignored.
    static func phraseKey(_ text: String) -> UInt64 {
        let b = Array(text.utf8)
        return phraseKey(tokens(b, 0..<b.count)[...])
    }

    /// Hash of a run of tokens (words and numbers; punctuation ignored).
    static func phraseKey(_ tokens: ArraySlice<Token>) -> UInt64 {
        var h = WordHash.phraseSeed
        for t in tokens where t.kind != .punct {
            h = WordHash.phrase(h, t.kind == .word ? t.key : UInt64(t.value) &+ 0xD16_17)
        }
        return h
    }
}
