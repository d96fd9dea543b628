import Foundation
import ArticleIndex
import Articles
import Crypto

/// A fresh temporary directory, removed when the value is released by `withTemporaryDirectory`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("marsad-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

/// The package's `seeds/` folder.
let seedsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("seeds").path

func seedPaths() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: seedsDirectory).filter { $0.hasSuffix(".txt") }.sorted()
        .map { seedsDirectory + "/" + $0 }
}

/// An analyzed document for `text` parsed as a plain-text article, stored under `path`.
func document(_ path: String, _ text: String, mtime: Double = 1) throws -> IndexDocument {
    let article = try ArticleParser().parse(Array(text.utf8), format: .text, contentSHA256: sha256Hex(Array(text.utf8)))
    return IndexDocument(path: path, stamp: FileStamp(byteSize: Int64(text.utf8.count), mtime: mtime),
                         article: article)
}

func seedDocument(_ path: String) throws -> IndexDocument {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let article = try ArticleParser().parse(bytes, format: .text, contentSHA256: sha256Hex(bytes))
    return IndexDocument(path: path, stamp: FileStamp(byteSize: Int64(bytes.count), mtime: 1), article: article)
}

/// The content hash the pipeline computes (Ingestion's `ContentHash`).
func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

extension ArticleIndex {
    /// Paths of the hits for `query`, in rank order.
    func paths(_ query: String, limit: Int = 50) async throws -> [String] {
        try await search(SearchQuery(query), options: SearchOptions(limit: limit)).hits.map(\.path)
    }
}
