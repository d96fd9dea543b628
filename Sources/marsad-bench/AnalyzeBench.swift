import ArabicText

/// Analyzes the files' text repeatedly (at least ~200 MB in all) and prints MB/s of `indexText`.
///
/// Options before the files:
/// - `--tokens`: one more line, MB/s of `tokens(in:)` on the same text (at least ~100 MB).
/// - `--words`: one more line, words/s of the single-word path `analyzeWord(_:)` over every
///   whitespace-separated word of the files (at least 2,000,000 words).
/// - `--scale=F`: multiplies those amounts by F (e.g. 0.05 under valgrind).
func analyzeBench(_ arguments: [String]) {
    let options = Set(arguments.filter { $0.hasPrefix("--") })
    let paths = arguments.filter { !$0.hasPrefix("--") }
    let scale = options.lazy.compactMap { $0.hasPrefix("--scale=") ? Double($0.dropFirst(8)) : nil }.first ?? 1
    let texts = paths.map { String(decoding: readFileOrExit($0), as: UTF8.self) }
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    guard bytes > 0 else { print("{\"error\":\"no input\"}"); return }
    let analyzer = ArabicAnalyzer()
    _ = analyzer.indexText("تهيئة")  // build the lookup tables outside the timed loop

    var rounds = max(1, Int(200_000_000 * scale) / bytes)
    var sink = 0
    var t = seconds {
        for _ in 0..<rounds { for text in texts { sink &+= analyzer.indexText(text).utf8.count } }
    }
    var mb = Double(bytes * rounds) / 1e6
    print("{\"bench\":\"analyze\",\"mb\":\(mb),\"seconds\":\(t),\"mb_per_s\":\(mb / t),\"sink\":\(sink)}")

    if options.contains("--tokens") {
        rounds = max(1, Int(100_000_000 * scale) / bytes)
        sink = 0
        t = seconds {
            for _ in 0..<rounds { for text in texts { sink &+= analyzer.tokens(in: text).count } }
        }
        mb = Double(bytes * rounds) / 1e6
        print("{\"bench\":\"analyze-tokens\",\"mb\":\(mb),\"seconds\":\(t),\"mb_per_s\":\(mb / t),\"sink\":\(sink)}")
    }

    if options.contains("--words") {
        let words = texts.flatMap { text in
            text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A }).map { String(decoding: $0, as: UTF8.self) }
        }
        guard !words.isEmpty else { return }
        rounds = max(1, Int(2_000_000 * scale) / words.count)
        sink = 0
        t = seconds {
            for _ in 0..<rounds { for word in words { sink &+= analyzer.analyzeWord(word).stem.utf8.count } }
        }
        let count = words.count * rounds
        print("{\"bench\":\"analyze-words\",\"words\":\(count),\"seconds\":\(t),\"words_per_s\":\(Double(count) / t),\"sink\":\(sink)}")
    }
}
