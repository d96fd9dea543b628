import ArticleIndex
import ArabicText
import Articles
import Foundation
import Stories

/// `marsad-bench story-pairs LABELS ROOT`: the similarity of every pair of a labelled story set
/// (Tests/StorySet/labels.tsv), with document frequencies over the whole set, and the pairwise F1 of the stories
/// that each threshold would give (connected components within the date window): for choosing
/// ``StoryRules/joinThreshold`` and the weights. Not a benchmark of speed.
func storyPairsBench(_ arguments: [String]) {
    guard arguments.count >= 2 else { print("usage: marsad-bench story-pairs LABELS ROOT"); return }
    let lines = (try? String(contentsOfFile: arguments[0], encoding: .utf8))?.split(separator: "\n").dropFirst() ?? []
    let analyzer = ArabicAnalyzer()
    let parser = ArticleParser()
    var files: [String] = [], stories: [String] = [], profiles: [StoryProfile] = []
    for line in lines {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 2, !(fields.count > 2 && !fields[2].isEmpty) else { continue }  // originals only
        var bytes = readFileOrExit(arguments[1] + "/" + fields[0])
        if fields.count > 3, !fields[3].isEmpty, let newline = bytes.firstIndex(of: 0x0A) {
            // As scripts/eval-stories drops it: a publication line after the headline.
            bytes.insert(contentsOf: Array("تم النشر: \(fields[3].replacingOccurrences(of: "-", with: "/"))\n".utf8), at: newline + 1)
        }
        guard let article = try? parser.parse(bytes, format: .text) else { continue }
        files.append(fields[0]); stories.append(fields[1])
        profiles.append(StoryProfile(article: article, titleTerms: analyzer.indexText(article.title),
                                     bodyTerms: analyzer.indexText(article.body), analyzer: analyzer))
    }
    if ProcessInfo.processInfo.environment["ONLINE"] != nil {
        // As the writer weighs them: each article against the document frequencies of those before it.
        var seen: [Int32: Int] = [:]
        var stored: [StoryProfile] = []
        for (i, p) in profiles.enumerated() {
            let n = Double(stored.count)
            let w = p.weighted { t in let d = Double(seen[t] ?? 0); return Foundation.log(1 + (n - d + 0.5) / (d + 0.5)) }
            for (j, q) in stored.enumerated() {
                print(String(format: "online %.3f %@ %@ %@", StoryRules.similarity(w, q), stories[i] == stories[j] ? "same" : "other", files[i], files[j]))
            }
            for k in p.keys { seen[k.term, default: 0] += 1 }
            stored.append(w)
        }
        return
    }
    var df: [Int32: Int] = [:]
    for p in profiles { for k in p.keys { df[k.term, default: 0] += 1 } }
    let n = Double(profiles.count)
    let weighted = profiles.map { $0.weighted { t in df[t].map { Foundation.log(1 + n / Double($0 + 1)) } } }
    let window = StoryRules.defaultWindowDays
    var pairs: [(Double, Bool, Int, Int)] = []
    for i in weighted.indices {
        for j in weighted.indices where j > i {
            if let a = weighted[i].day, let b = weighted[j].day, abs(Int(a) - Int(b)) > window { 
                pairs.append((-1, stories[i] == stories[j], i, j)); continue
            }
            pairs.append((StoryRules.similarity(weighted[i], weighted[j]), stories[i] == stories[j], i, j))
        }
    }
    let same = pairs.filter { $0.1 }.map(\.0).sorted()
    let other = pairs.filter { !$0.1 }.map(\.0).sorted()
    func q(_ xs: [Double], _ f: Double) -> Double { xs.isEmpty ? 0 : xs[min(xs.count - 1, Int(Double(xs.count) * f))] }
    if ProcessInfo.processInfo.environment["PAIRS"] != nil {
        for (s, same, i, j) in pairs { print(String(format: "pair %.3f %d %@ %@", s, same ? 1 : 0, files[i], files[j])) }
    }
    print(String(format: "same-story pairs %d: p10 %.3f p25 %.3f median %.3f; other pairs %d: p99 %.3f p99.9 %.3f max %.3f",
                 same.count, q(same, 0.1), q(same, 0.25), q(same, 0.5), other.count, q(other, 0.99), q(other, 0.999),
                 other.last ?? 0))
    for (s, _, i, j) in pairs.filter({ !$0.1 }).sorted(by: { $0.0 > $1.0 }).prefix(8) {
        print(String(format: "  other %.3f %@ %@", s, files[i], files[j]))
    }
    for threshold in stride(from: 0.10, through: 0.50, by: 0.02) {
        var parent = Array(profiles.indices)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for (s, _, i, j) in pairs where s >= threshold { parent[find(i)] = find(j) }
        var tp = 0, fp = 0, fn = 0
        for (_, same, i, j) in pairs {
            let together = find(i) == find(j)
            if together && same { tp += 1 } else if together { fp += 1 } else if same { fn += 1 }
        }
        let p = Double(tp) / Double(max(1, tp + fp)), r = Double(tp) / Double(max(1, tp + fn))
        print(String(format: "threshold %.2f: P %.3f R %.3f F1 %.3f", threshold, p, r, 2 * p * r / max(1e-9, p + r)))
    }
}

/// `marsad-bench story-assign DB [SAMPLE]`: the time to find the story of an article in this index (re-assigning
/// SAMPLE articles spread over it, rolled back), as JSON: it must not grow with the index.
func storyAssignBench(_ arguments: [String]) async {
    guard let path = arguments.first else { print("usage: marsad-bench story-assign DB [SAMPLE]"); return }
    let sample = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
    do {
        let index = try ArticleIndex(path: path, mapsFile: false)
        defer { try? index.close() }
        let articles = try await index.articleCount()
        _ = try await index.storyAssignmentTimes(sample: min(200, sample))  // warm the page cache
        let times = try await index.storyAssignmentTimes(sample: sample).sorted()
        guard !times.isEmpty else { print("{\"error\":\"no article\"}"); return }
        func q(_ f: Double) -> Double { times[min(times.count - 1, Int(Double(times.count) * f))] * 1e6 }
        let mean = times.reduce(0, +) / Double(times.count) * 1e6
        print("{\"bench\":\"story-assign\",\"articles\":\(articles),\"sample\":\(times.count),"
              + String(format: "\"p50_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f}", q(0.5), q(0.99), mean))
    } catch {
        print("{\"error\":\"\(error)\"}")
    }
}

/// `marsad-bench fingerprints LABELS ROOT`: MinHash and SimHash on the near-duplicates of a labelled set, the
/// figures behind ``BodyFingerprint``'s choice: each labelled copy against its original, and the closest pair
/// of other articles.
func fingerprintsBench(_ arguments: [String]) {
    guard arguments.count >= 2 else { print("usage: marsad-bench fingerprints LABELS ROOT"); return }
    let lines = (try? String(contentsOfFile: arguments[0], encoding: .utf8))?.split(separator: "\n").dropFirst() ?? []
    let analyzer = ArabicAnalyzer()
    let parser = ArticleParser()
    var bodies: [String: String] = [:], original: [String: String] = [:], order: [String] = []
    for line in lines {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard let article = try? parser.parse(readFileOrExit(arguments[1] + "/" + f[0]), format: .text) else { continue }
        bodies[f[0]] = analyzer.indexText(article.body)
        order.append(f[0])
        if f.count > 2, !f[2].isEmpty { original[f[0]] = f[2] }
    }
    // SimHash (Charikar) over the same shingles: 64 bits, each the sign of the sum of the shingles' bits.
    func simhash(_ text: String) -> UInt64 {
        var counts = [Int](repeating: 0, count: 64)
        let terms = text.split(separator: " ")
        for (a, b) in zip(terms, terms.dropFirst()) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in (a + " " + b).utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            h ^= h >> 29; h = h &* 0xBF58_476D_1CE4_E5B9; h ^= h >> 32
            for bit in 0..<64 { counts[bit] += (h >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        return (0..<64).reduce(UInt64(0)) { $0 | (counts[$1] > 0 ? 1 << UInt64($1) : 0) }
    }
    let minhash = bodies.compactMapValues { BodyFingerprint(analyzedBody: $0) }
    let sim = bodies.mapValues(simhash)
    var copyMin = 1.0, copyMaxBits = 0
    for (copy, orig) in original {
        guard let a = minhash[copy], let b = minhash[orig] else { continue }
        copyMin = min(copyMin, a.similarity(to: b))
        copyMaxBits = max(copyMaxBits, (sim[copy]! ^ sim[orig]!).nonzeroBitCount)
    }
    func group(_ f: String) -> String { original[f] ?? f }
    var otherMax = 0.0, otherMinBits = 64, bitsBelow = [Int](repeating: 0, count: 65)
    for (i, a) in order.enumerated() {
        for b in order[(i + 1)...] where group(a) != group(b) {
            if let x = minhash[a], let y = minhash[b] { otherMax = max(otherMax, x.similarity(to: y)) }
            let bits = (sim[a]! ^ sim[b]!).nonzeroBitCount
            otherMinBits = min(otherMinBits, bits)
            bitsBelow[bits] += 1
        }
    }
    let within = bitsBelow.prefix(copyMaxBits + 1).reduce(0, +)
    print("copies against their original (\(original.count)): MinHash similarity ≥ \(String(format: "%.3f", copyMin)), "
          + "SimHash distance ≤ \(copyMaxBits) bits")
    print("other pairs: MinHash similarity ≤ \(String(format: "%.3f", otherMax)), SimHash distance ≥ \(otherMinBits) bits; "
          + "\(within) other pairs are within \(copyMaxBits) bits")
}
