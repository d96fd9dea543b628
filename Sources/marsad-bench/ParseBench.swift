import Articles

/// Parses the files repeatedly (at least ~100 MB in all) and prints MB/s.
///
/// One untimed warm-up pass first (it also initializes the parser's word tables and reports
/// files that do not parse), then the timed rounds. The format comes from each file's extension.
func parseBench(_ paths: [String]) {
    let files = paths.map { path -> ([UInt8], ArticleFormat) in
        let ext = path.split(separator: "/").last.flatMap { $0.split(separator: ".").count > 1 ? $0.split(separator: ".").last : nil }
        return (readFileOrExit(path), ext.flatMap { ArticleFormat(pathExtension: String($0)) } ?? .text)
    }
    let bytes = files.reduce(0) { $0 + $1.0.count }
    guard bytes > 0 else { print("{\"error\":\"no input\"}"); return }
    let parser = ArticleParser()
    var failed = 0
    for (data, format) in files where (try? parser.parse(data, format: format)) == nil { failed += 1 }
    let rounds = max(1, 100_000_000 / bytes)
    var sink = 0
    let t = seconds {
        for _ in 0..<rounds {
            for (data, format) in files { sink &+= (try? parser.parse(data, format: format))?.paragraphs.count ?? 0 }
        }
    }
    let mb = Double(bytes * rounds) / 1e6
    print("{\"bench\":\"parse\",\"parser_version\":\(ArticleParser.version),\"files\":\(files.count),\"failed\":\(failed),"
          + "\"mb\":\(mb),\"seconds\":\(t),\"mb_per_s\":\(mb / t),\"sink\":\(sink)}")
}
