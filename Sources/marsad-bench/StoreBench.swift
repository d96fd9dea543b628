import ArticleIndex
import Articles
import Foundation
import Ingestion

/// The single writer alone: parses and analyzes the files first (untimed, in memory), then times committing them
/// to a fresh index at `db` in batches of `batch`. Shows how much of a burst is the serial database work.
func storeBench(_ arguments: [String]) async {
    guard arguments.count >= 2 else { print("usage: marsad-bench store DB FILE-LIST [BATCH]"); return }
    let db = arguments[0]
    let list = (try? String(contentsOfFile: arguments[1], encoding: .utf8)) ?? ""
    let batchSize = arguments.count > 2 ? Int(arguments[2]) ?? 256 : 256
    let paths = list.split(separator: "\n").map(String.init)
    let parser = ArticleParser()
    var docs: [IndexDocument] = []
    var bytes = 0
    for (i, path) in paths.enumerated() {
        let data = readFileOrExit(path)
        bytes += data.count
        guard let article = try? parser.parse(data, format: .text, contentSHA256: ContentHash.sha256Hex(data))
        else { continue }
        docs.append(IndexDocument(path: path, stamp: FileStamp(byteSize: Int64(data.count), mtime: 0, inode: UInt64(i)),
                                  article: article))
    }
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    do {
        let index = try ArticleIndex(path: db)
        let cpu0 = cpuSeconds()
        let start = ContinuousClock.now
        var next = 0
        while next < docs.count {
            let end = min(docs.count, next + batchSize)
            _ = try await index.store(Array(docs[next..<end]))
            next = end
        }
        let elapsed = ContinuousClock.now - start
        let t = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let cpu = cpuSeconds() - cpu0
        try index.close()
        print("{\"bench\":\"store\",\"cpu_seconds\":\(cpu),\"articles\":\(docs.count),\"mb\":\(Double(bytes) / 1e6),\"batch\":\(batchSize),"
              + "\"seconds\":\(t),\"articles_per_s\":\(Double(docs.count) / t)}")
    } catch {
        print("{\"error\":\"\(error)\"}")
    }
}

/// User + system CPU time of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}
