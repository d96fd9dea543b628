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

/// Turns text into index terms. Documents and queries go through the same analyzer, so that
/// a query word finds every spelling of it that the analyzer maps to the same term.
///
/// The analyzer chains four steps, each available on its own:
///
/// 1. ``ArabicTokenizer`` splits the text into words (after NFKC), keeping their byte offsets.
/// 2. ``ArabicNormalizer`` folds spellings: أحمد → احمد, فاطمة → فاطمه, ٢٠٢٤ → 2024, harakat removed.
/// 3. ``ArabicStopWords`` flags the words too frequent to index (في، من، أن…), matched on the
///    normalized word.
/// 4. ``ArabicStemmer`` (light10) removes one prefix and common suffixes: والكتاب → كتاب.
///
/// ```swift
/// let analyzer = ArabicAnalyzer()
/// analyzer.indexText("أعلنت الحكومةُ أنّ المفاوضات ستُستأنف")
/// // "اعلنت حكوم مفاوض ستستانف"   (أنّ is a stop word)
/// analyzer.term(for: "والحكومة")   // "حكوم"
/// analyzer.term(for: "في")         // nil: a stop word
/// ```
///
/// ## Documents and queries
///
/// - ``indexText(_:)`` is the ingest path: the terms of a whole article, stop words left out,
///   joined by spaces. It works on UTF-8 bytes with lookup tables and builds a single `String`.
/// - ``tokens(in:)`` gives every token with its offsets and both forms, for snippets and highlighting.
/// - ``term(for:)`` and ``prefixTerm(for:)`` turn one query word into the term to look up.
/// - ``analyzeWord(_:)`` is the word-at-a-time path (`marsad analyze --stem-only`).
///
/// ## Lucene compatibility
///
/// The default analyzer follows Lucene's `ArabicAnalyzer` with two deliberate differences: the
/// normalizer is the extended one (see ``ArabicNormalizer/Mode/extended``), and stop words are
/// matched after normalization (see ``ArabicStopWords``). ``Configuration/luceneCompatible``
/// reproduces Lucene exactly — lowercase and digit folding, then the verbatim stop list, then
/// Lucene's normalizer, then the stemmer — which is what the Lucene test vectors check.
///
/// Whenever any output of the analyzer changes, ``version`` changes, and an index built with
/// another version must be rebuilt.
public struct ArabicAnalyzer: Sendable {
    /// Changes whenever any output of the analyzer changes; an index built with another version is rebuilt.
    ///
    /// - 1: the first, crude analyzer.
    /// - 2: Lucene's light10 stemmer and stop list, extended normalizer, NFKC-aware tokenizer.
    /// - 3: one term for every way of writing a number: `5.4`, `5,4` and `٥٫٤` are `5٫4`; `1,350`,
    ///   `١٬٣٥٠` and `1 350` are `1350` (see "Numbers" in ``ArabicTokenizer``).
    public static let version = 3

    /// What an analyzer does besides tokenizing.
    public struct Configuration: Sendable {
        /// How tokens are normalized. Default: ``ArabicNormalizer/Mode/extended``.
        public var normalizer: ArabicNormalizer
        /// The stop words. Default: ``ArabicStopWords/default``.
        public var stopWords: ArabicStopWords
        /// When stop words are matched. Default: ``StopWordMatching/afterNormalization``.
        public var stopWordMatching: StopWordMatching
        /// Words that are normalized but not stemmed (Lucene's stem exclusion set). They are
        /// normalized as tokens are before use, so any spelling will do. Default: none.
        public var stemExclusions: Set<String>

        public init(normalizer: ArabicNormalizer = ArabicNormalizer(),
                    stopWords: ArabicStopWords = .default,
                    stopWordMatching: StopWordMatching = .afterNormalization,
                    stemExclusions: Set<String> = []) {
            self.normalizer = normalizer
            self.stopWords = stopWords
            self.stopWordMatching = stopWordMatching
            self.stemExclusions = stemExclusions
        }

        /// Marsad's analyzer: the extended normalizer and the normalized Lucene stop list.
        public static var `default`: Configuration { Configuration() }

        /// Lucene's `ArabicAnalyzer`, step for step: tokens are lowercased and their digits
        /// folded, Lucene's verbatim stop list is checked, then Lucene's normalizer and the
        /// stemmer run. (The tokenizer is still this package's, not Lucene's StandardTokenizer.)
        public static var luceneCompatible: Configuration {
            Configuration(normalizer: ArabicNormalizer(mode: .lucene), stopWords: .lucene,
                          stopWordMatching: .beforeNormalization)
        }
    }

    /// When the analyzer checks a token against the stop words.
    public enum StopWordMatching: Sendable, Hashable {
        /// On the normalized token (the stop words must be normalized too). Catches every spelling.
        case afterNormalization
        /// On the lowercased, digit-folded token, before the Arabic rules, as Lucene does.
        case beforeNormalization
    }

    /// The configuration this analyzer was made with.
    public let configuration: Configuration

    /// How the scanner folds tokens: everything at once, or only case and digits when stop words
    /// are matched before normalization or Lucene's rules are wanted.
    private let scanMode: FoldMode
    /// The Arabic rules applied after the scan, when ``scanMode`` is only ``FoldMode/base``.
    private let laterRules: ArabicNormalizer.Mode?
    private let stopTable: StopWordTable
    private let stemExclusions: Set<String>

    /// Marsad's default analyzer.
    public init() {
        self.init(configuration: .default)
    }

    /// An analyzer with the given configuration.
    public init(configuration: Configuration) {
        self.configuration = configuration
        if configuration.normalizer.mode == .extended && configuration.stopWordMatching == .afterNormalization {
            scanMode = .extended
            laterRules = nil
        } else {
            scanMode = .base
            laterRules = configuration.normalizer.mode
        }
        stopTable = configuration.stopWords.table
        // Normalized as tokens are (lowercased too, in the Lucene configuration).
        stemExclusions = Set(configuration.stemExclusions.map { [scanMode, laterRules] word in
            withUTF8Bytes(of: word) { bytes in
                var writer = ByteWriter(capacity: bytes.count + 8)
                Self.normalizeWhole(bytes, into: &writer, scanMode: scanMode, laterRules: laterRules)
                return writer.string(0..<writer.count)
            }
        })
    }

    // MARK: Whole texts

    /// Every token of `text`, stop words included (flagged), with offsets into `text`'s UTF-8.
    ///
    /// Tokens whose normalized form is empty (a lone tatweel) are left out.
    public func tokens(in text: String) -> [AnalyzedToken] {
        withUTF8Bytes(of: text) { bytes in
            var writer = ByteWriter(capacity: 64)
            var sink = TokenCollector(analyzer: self)
            sink.tokens.reserveCapacity(bytes.count / 8)
            TokenScanner(mode: scanMode).scan(bytes, into: &writer, sink: &sink)
            return sink.tokens
        }
    }

    /// The index terms of `text` (stop words left out), joined by single spaces.
    ///
    /// This is the ingest hot path. It makes no `String` or array per token: each token is
    /// written into one byte buffer, checked against the stop words there, stemmed in place, and
    /// the buffer becomes the result at the end.
    public func indexText(_ text: String) -> String {
        withUTF8Bytes(of: text) { bytes in
            var writer = ByteWriter(capacity: bytes.count + 16)
            var sink = IndexTextSink(analyzer: self)
            TokenScanner(mode: scanMode).scan(bytes, into: &writer, sink: &sink)
            return writer.string(0..<Swift.max(writer.count - 1, 0))  // without the last space
        }
    }

    // MARK: Query words

    /// The index term of one query word, or nil when the word is a stop word or has no letters.
    ///
    /// If `word` holds several tokens (كوفيد-19), the first that is not a stop word is used;
    /// call ``tokens(in:)`` to get them all.
    public func term(for word: String) -> String? {
        withUTF8Bytes(of: word) { bytes in
            var writer = ByteWriter(capacity: bytes.count + 8)
            var sink = FirstTermSink(analyzer: self)
            TokenScanner(mode: scanMode).scan(bytes, into: &writer, sink: &sink)
            return sink.term
        }
    }

    /// The term to look up for a prefix query such as `انسحا*` (pass the word without the `*`),
    /// or nil when the word has no letters or digits.
    ///
    /// The word is normalized and loses at most one of light10's prefixes, but no suffix: the
    /// user typed the beginning of a word, and its end is not a suffix. Stop words are not
    /// dropped (في* may well be meant to find فيروس).
    ///
    /// The prefix is removed whenever at least one character remains, not only when light10's
    /// minimum word lengths hold. The indexed words that a prefix query should find are longer
    /// than what was typed, so light10 did strip their prefix: الح* must become ح* to find
    /// الحسن, indexed as حسن. The price is that a short word the index kept whole is missed
    /// (الف* becomes ف* and does not find the three-letter الف); search the full word for that.
    public func prefixTerm(for word: String) -> String? {
        withUTF8Bytes(of: word) { bytes in
            var writer = ByteWriter(capacity: bytes.count + 8)
            var sink = FirstTermSink(analyzer: self, forPrefixQuery: true)
            TokenScanner(mode: scanMode).scan(bytes, into: &writer, sink: &sink)
            return sink.term
        }
    }

    // MARK: Single words

    /// The normalized form of `word`, as this analyzer normalizes tokens (not split, not stemmed).
    public func normalize(_ word: String) -> String {
        withUTF8Bytes(of: word) { bytes in
            var writer = ByteWriter(capacity: bytes.count + 8)
            normalizeWhole(bytes, into: &writer)
            return writer.string(0..<writer.count)
        }
    }

    /// The light10 stem of a word that is already normalized (stem exclusions respected).
    public func stem(_ normalizedWord: String) -> String {
        stemExclusions.contains(normalizedWord) ? normalizedWord : ArabicStemmer().stem(normalizedWord)
    }

    /// The normalized form and the stem of one word, in one pass and with two small strings:
    /// the word-at-a-time path behind `marsad analyze --stem-only`.
    ///
    /// The word is not split and stop words are not dropped.
    ///
    /// ```swift
    /// ArabicAnalyzer().analyzeWord("والمشروبات")   // (normalized: "والمشروبات", stem: "مشروب")
    /// ```
    public func analyzeWord(_ word: String) -> (normalized: String, stem: String) {
        withUTF8Bytes(of: word) { bytes in
            var writer = ByteWriter(capacity: bytes.count + 8)
            normalizeWhole(bytes, into: &writer)
            let normalized = writer.string(0..<writer.count)
            let (start, end) = stemRange(writer.base, writer.count, normalized: normalized)
            let stem = start == 0 && end == writer.count ? normalized : writer.string(start..<end)
            return (normalized, stem)
        }
    }

    // MARK: The steps on bytes

    /// Writes the normalized form of the unsplit word `bytes` at the start of `writer`.
    private func normalizeWhole(_ bytes: UnsafeBufferPointer<UInt8>, into writer: inout ByteWriter) {
        Self.normalizeWhole(bytes, into: &writer, scanMode: scanMode, laterRules: laterRules)
    }

    private static func normalizeWhole(_ bytes: UnsafeBufferPointer<UInt8>, into writer: inout ByteWriter,
                                       scanMode: FoldMode, laterRules: ArabicNormalizer.Mode?) {
        var sink = WholeOutputSink()
        TokenScanner(mode: scanMode, splits: false).scan(bytes, into: &writer, sink: &sink)
        if let laterRules {
            writer.count = ArabicNormalizer.applyRules(laterRules, writer.base, writer.count)
        }
    }

    /// Finishes normalizing the scanned token `writer[start...]` and tells whether it is a stop word.
    @inline(__always)
    fileprivate func normalizeToken(_ writer: inout ByteWriter, from start: Int) -> Bool {
        guard let laterRules else { return stopTable.contains(writer.base + start, writer.count - start) }
        let before = configuration.stopWordMatching == .beforeNormalization
            && stopTable.contains(writer.base + start, writer.count - start)
        writer.count = start + ArabicNormalizer.applyRules(laterRules, writer.base + start, writer.count - start)
        return before || configuration.stopWordMatching == .afterNormalization
            && stopTable.contains(writer.base + start, writer.count - start)
    }

    /// The stem of the normalized word `p[0..<count]`, as a byte range of it.
    @inline(__always)
    fileprivate func stemRange(_ p: UnsafePointer<UInt8>, _ count: Int, normalized: String? = nil) -> (Int, Int) {
        if !stemExclusions.isEmpty,
           stemExclusions.contains(normalized ?? String(decoding: UnsafeBufferPointer(start: p, count: count),
                                                        as: UTF8.self)) {
            return (0, count)
        }
        return ArabicStemmer.stem(p, count)
    }
}

// MARK: - Sinks

/// Builds the output of ``ArabicAnalyzer/indexText(_:)`` in the scanner's own buffer: each kept
/// term is left in place, followed by a space.
private struct IndexTextSink: TokenSink {
    let analyzer: ArabicAnalyzer

    @inline(__always)
    mutating func token(original: Range<Int>, outputStart start: Int, writer: inout ByteWriter) {
        if analyzer.normalizeToken(&writer, from: start) || writer.count == start {
            writer.count = start
            return
        }
        let (stemStart, stemEnd) = analyzer.stemRange(writer.base + start, writer.count - start)
        writer.count = start + stemEnd
        writer.remove(start..<start + stemStart)
        writer.append(0x20)
    }
}

/// Collects ``AnalyzedToken``s.
private struct TokenCollector: TokenSink {
    let analyzer: ArabicAnalyzer
    var tokens: [AnalyzedToken] = []

    mutating func token(original: Range<Int>, outputStart start: Int, writer: inout ByteWriter) {
        let isStopWord = analyzer.normalizeToken(&writer, from: start)
        defer { writer.count = start }
        guard writer.count > start else { return }
        let normalized = writer.string(start..<writer.count)
        let (stemStart, stemEnd) = analyzer.stemRange(writer.base + start, writer.count - start, normalized: normalized)
        let term = stemStart == 0 && start + stemEnd == writer.count
            ? normalized : writer.string(start + stemStart..<start + stemEnd)
        tokens.append(AnalyzedToken(term: term, normalized: normalized, utf8Range: original, isStopWord: isStopWord))
    }
}

/// Keeps the term of the first token that is not a stop word (for a prefix query: of the first
/// token, with only a prefix removed).
private struct FirstTermSink: TokenSink {
    let analyzer: ArabicAnalyzer
    var forPrefixQuery = false
    var term: String?

    mutating func token(original: Range<Int>, outputStart start: Int, writer: inout ByteWriter) {
        let isStopWord = analyzer.normalizeToken(&writer, from: start)
        defer { writer.count = start }
        let count = writer.count - start
        guard term == nil, count > 0 else { return }
        let p = writer.base + start
        if forPrefixQuery {
            let (prefixEnd, _) = ArabicStemmer.removePrefix(p, 0, count, ArabicStemmer.utf16Length(p, count),
                                                           minimumLeft: 1)
            term = writer.string(start + prefixEnd..<writer.count)
        } else if !isStopWord {
            let (stemStart, stemEnd) = analyzer.stemRange(p, count)
            term = writer.string(start + stemStart..<start + stemEnd)
        }
    }
}
