/// A token found by ``ArabicAnalyzer``: where it stands in the original text and what the index stores for it.
public struct AnalyzedToken: Sendable, Hashable {
    /// The index term: the normalized and stemmed form.
    public var term: String
    /// The normalized form, before stemming.
    public var normalized: String
    /// Byte offsets of the token in the UTF-8 of the analyzed text.
    public var utf8Range: Range<Int>
    /// Whether the token is a stop word (stop words are not indexed).
    public var isStopWord: Bool

    public init(term: String, normalized: String, utf8Range: Range<Int>, isStopWord: Bool) {
        self.term = term
        self.normalized = normalized
        self.utf8Range = utf8Range
        self.isStopWord = isStopWord
    }
}

/// Turns text into index terms. Documents and queries go through the same analyzer.
public struct ArabicAnalyzer: Sendable {
    /// Changes whenever any output of the analyzer changes; an index built with another version is rebuilt.
    public static let version = 1

    public init() {}

    /// Every token of `text`, stop words included (flagged), with offsets into `text`'s UTF-8.
    public func tokens(in text: String) -> [AnalyzedToken] {
        var result: [AnalyzedToken] = []
        var start: Int? = nil
        var offset = 0
        var word = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            if Self.isWordScalar(scalar) {
                if start == nil { start = offset }
                word.append(scalar)
            } else if let s = start {
                result.append(makeToken(String(word), s..<offset))
                word = String.UnicodeScalarView()
                start = nil
            }
            offset += width
        }
        if let s = start { result.append(makeToken(String(word), s..<offset)) }
        return result
    }

    /// The index terms of `text` (stop words left out), joined by single spaces.
    public func indexText(_ text: String) -> String {
        tokens(in: text).lazy.filter { !$0.isStopWord && !$0.term.isEmpty }.map(\.term).joined(separator: " ")
    }

    /// The index term of one query word, or nil when the word is a stop word or has no letters.
    public func term(for word: String) -> String? {
        let t = tokens(in: word)
        guard t.count == 1, !t[0].isStopWord, !t[0].term.isEmpty else { return nil }
        return t[0].term
    }

    private func makeToken(_ word: String, _ range: Range<Int>) -> AnalyzedToken {
        let normalized = Self.normalize(word)
        return AnalyzedToken(term: normalized, normalized: normalized, utf8Range: range,
                             isStopWord: Self.stopWords.contains(normalized))
    }

    static func isWordScalar(_ s: UnicodeScalar) -> Bool {
        s.properties.isAlphabetic || s.properties.numericType != nil
            || s.properties.generalCategory == .nonspacingMark || s.value == 0x0640
    }

    static func normalize(_ word: String) -> String {
        var out = String.UnicodeScalarView()
        for s in word.unicodeScalars {
            switch s.value {
            case 0x0622, 0x0623, 0x0625: out.append("\u{0627}")
            case 0x0649: out.append("\u{064A}")
            case 0x0629: out.append("\u{0647}")
            case 0x0640, 0x064B...0x0652: continue
            case 0x41...0x5A: out.append(UnicodeScalar(s.value + 32)!)
            default: out.append(s)
            }
        }
        return String(out)
    }

    static let stopWords: Set<String> = ["في", "من", "علي", "الي", "عن", "ان", "او", "و"]
}
