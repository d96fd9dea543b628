import ArticleIndex
import Foundation

/// `marsad-bench load DB QUERIES-FILE CONCURRENCY SECONDS`: the query mix of `/api/search` run in-process by
/// CONCURRENCY tasks for SECONDS, each search followed by the facet count the API adds, as `marsad serve` does
/// per request. Prints throughput and latency percentiles: the in-process side of the serve benchmark.
func loadBench(_ arguments: [String]) async {
    guard arguments.count == 4, let text = try? String(contentsOfFile: arguments[1], encoding: .utf8),
          let concurrency = Int(arguments[2]), let seconds = Double(arguments[3]) else {
        print("{\"error\":\"usage: marsad-bench load DB QUERIES-FILE CONCURRENCY SECONDS\"}")
        return
    }
    guard let index = try? IndexBackend.open(arguments[0], mode: .readOnly) else {
        print("{\"error\":\"cannot open \(arguments[0])\"}")
        return
    }
    let queries = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { try? SearchQuery(String($0)) }
    let clock = ContinuousClock()
    let end = clock.now + .milliseconds(Int64(seconds * 1000))
    let times = await withTaskGroup(of: [Double].self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var times: [Double] = []
                var k = worker
                while clock.now < end {
                    let query = queries[k % queries.count]
                    k += concurrency
                    let elapsed = await clock.measure {
                        let options = SearchOptions(limit: 10, timeout: .seconds(2))
                        if let results = try? await index.search(query, options: options), results.total > 0 {
                            _ = try? await index.facets(query, options: options, limit: 2_000)
                        }
                    }
                    times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
                return times
            }
        }
        var all: [Double] = []
        for await part in group { all += part }
        return all.sorted()
    }
    func pct(_ p: Double) -> Double { times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * p))] }
    print("{\"bench\":\"load\",\"concurrency\":\(concurrency),\"requests\":\(times.count),"
          + "\"per_second\":\(Double(times.count) / seconds),\"p50_ms\":\(pct(0.5)),\"p99_ms\":\(pct(0.99))}")
}

/// `marsad-bench percolate DB QUERIES-FILE ALERTS ARTICLES`: ALERTS saved searches (the query file's lines,
/// cycled) matched against the newest ARTICLES articles of the index. Prints the cost per article of reading
/// and analyzing it, and of matching it against every saved search.
func percolateBench(_ arguments: [String]) async {
    guard arguments.count == 4, let text = try? String(contentsOfFile: arguments[1], encoding: .utf8),
          let alerts = Int(arguments[2]), let count = Int(arguments[3]) else {
        print("{\"error\":\"usage: marsad-bench percolate DB QUERIES-FILE ALERTS ARTICLES\"}")
        return
    }
    guard let index = try? IndexBackend.open(arguments[0], mode: .readOnly),
          let latest = try? await index.latestArticleID() else {
        print("{\"error\":\"cannot open \(arguments[0])\"}")
        return
    }
    let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
    var percolator = Percolator<Int>()
    for k in 0..<alerts { if let query = try? SearchQuery(lines[k % lines.count]) { percolator.insert(query, for: k) } }
    let clock = ContinuousClock()
    var articles: [AnalyzedArticle] = []
    let read = await clock.measure {
        var cursor = max(0, latest - Int64(count))
        while articles.count < count, let page = try? await index.analyzedArticles(after: cursor, limit: 200),
              let last = page.last {
            articles += page
            cursor = last.id
        }
    }
    var matches = 0
    let match = clock.measure {
        for article in articles { matches += percolator.matches(article).count }
    }
    func microseconds(_ d: Duration) -> Double {
        (Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12) / Double(max(articles.count, 1))
    }
    print("{\"bench\":\"percolate\",\"alerts\":\(percolator.count),\"articles\":\(articles.count),"
          + "\"read_and_analyze_us_per_article\":\(microseconds(read)),\"match_us_per_article\":\(microseconds(match)),"
          + "\"matches\":\(matches)}")
}
