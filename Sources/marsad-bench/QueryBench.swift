import ArticleIndex
import Foundation

/// Runs each query of the file (one a line) against the index, warm, and prints latency percentiles in ms.
/// Lines starting with `#` name a group (`# words`, `# phrase`, `# prefix`); each group gets its own line.
/// A third argument chooses how the words combine (`all`, the default, `best` or `any`).
func queryBench(_ arguments: [String]) async {
    guard (2...3).contains(arguments.count), let text = try? String(contentsOfFile: arguments[1], encoding: .utf8),
          let mode = MatchMode(rawValue: arguments.count == 3 ? arguments[2] : "all") else {
        print("{\"error\":\"usage: marsad-bench query DB QUERIES-FILE [all|best|any]\"}")
        return
    }
    guard let index = try? IndexBackend.open(arguments[0], mode: .readOnly) else {
        print("{\"error\":\"cannot open \(arguments[0])\"}")
        return
    }
    var groups: [(String, [String])] = []
    for line in text.split(separator: "\n") {
        if line.hasPrefix("#") { groups.append((line.dropFirst().trimmingCharacters(in: .whitespaces), [])) }
        else if !groups.isEmpty { groups[groups.count - 1].1.append(String(line)) }
    }
    let clock = ContinuousClock()
    for (name, queries) in groups where !queries.isEmpty {
        // Warm up: each query once.
        for q in queries { _ = try? await index.search(SearchQuery(q, mode: mode), options: SearchOptions(limit: 10)) }
        var times: [Double] = []
        var slowest: [(ms: Double, query: String, hits: Int)] = []
        var totalHits = 0
        for q in queries {
            guard let query = try? SearchQuery(q, mode: mode) else { continue }
            var hits = 0
            let elapsed = await clock.measure {
                hits = (try? await index.search(query, options: SearchOptions(limit: 10)))?.total ?? 0
            }
            totalHits += hits
            let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            times.append(ms)
            slowest = Array((slowest + [(ms, q, hits)]).sorted { $0.ms > $1.ms }.prefix(3))
        }
        // The slowest queries go to stderr, to see what a p99 is made of.
        for s in slowest {
            FileHandle.standardError.write(Data("slowest \(name): \(s.query) — \(Int(s.ms)) ms, \(s.hits) hits\n".utf8))
        }
        times.sort()
        func pct(_ p: Double) -> Double { times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * p))] }
        print("{\"bench\":\"query\",\"match\":\"\(mode.rawValue)\",\"group\":\"\(name)\",\"queries\":\(times.count),\"p50_ms\":\(pct(0.5)),"
              + "\"p99_ms\":\(pct(0.99)),\"max_ms\":\(times.last ?? 0),\"mean_hits\":\(times.isEmpty ? 0 : totalHits / times.count)}")
    }
}
