import ArabicText

/// Analyzes the files' text repeatedly (at least ~200 MB in all) and prints MB/s.
func analyzeBench(_ paths: [String]) {
    let texts = paths.map { String(decoding: readFileOrExit($0), as: UTF8.self) }
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    guard bytes > 0 else { print("{\"error\":\"no input\"}"); return }
    let rounds = max(1, 200_000_000 / bytes)
    let analyzer = ArabicAnalyzer()
    var sink = 0
    let t = seconds {
        for _ in 0..<rounds { for text in texts { sink &+= analyzer.indexText(text).utf8.count } }
    }
    let mb = Double(bytes * rounds) / 1e6
    print("{\"bench\":\"analyze\",\"mb\":\(mb),\"seconds\":\(t),\"mb_per_s\":\(mb / t),\"sink\":\(sink)}")
}
