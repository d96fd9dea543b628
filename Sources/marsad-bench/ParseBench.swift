import Articles

/// Parses the files repeatedly (at least ~100 MB in all) and prints MB/s.
func parseBench(_ paths: [String]) {
    let files = paths.map { (readFileOrExit($0), ArticleFormat(pathExtension: String($0.split(separator: ".").last ?? "")) ?? .text) }
    let bytes = files.reduce(0) { $0 + $1.0.count }
    guard bytes > 0 else { print("{\"error\":\"no input\"}"); return }
    let rounds = max(1, 100_000_000 / bytes)
    let parser = ArticleParser()
    var sink = 0
    let t = seconds {
        for _ in 0..<rounds {
            for (data, format) in files { sink &+= (try? parser.parse(data, format: format))?.paragraphs.count ?? 0 }
        }
    }
    let mb = Double(bytes * rounds) / 1e6
    print("{\"bench\":\"parse\",\"mb\":\(mb),\"seconds\":\(t),\"mb_per_s\":\(mb / t),\"sink\":\(sink)}")
}
