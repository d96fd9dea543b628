import Foundation
import Testing
@testable import Articles
import Crypto

/// Helpers shared by the article tests.
enum Fixtures {
    /// The package root, found from this file's path (Tests/ArticlesTests/Support.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let seedNames = [
        "000_0bc6245a09814656.txt", "001_acc821ad5b268313.txt", "002_9bb42edd3776e544.txt",
        "003_931eb2a5a6a3a8f9.txt", "004_294b61a1675897da.txt",
    ]

    static func seed(_ name: String) throws -> [UInt8] {
        let url = packageRoot.appendingPathComponent("seeds").appendingPathComponent(name)
        return [UInt8](try Data(contentsOf: url))
    }

    static func golden(_ name: String) throws -> Article? {
        guard let url = Bundle.module.url(forResource: "Golden/\(name)", withExtension: "json")
                ?? Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Golden") else { return nil }
        return try JSONDecoder().decode(Article.self, from: Data(contentsOf: url))
    }

    static func encode(_ article: Article) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(article)
    }

    /// Parses text given as a Swift string (UTF-8).
    static func parse(_ text: String, _ format: ArticleFormat = .text) throws -> Article {
        try ArticleParser().parse(Array(text.utf8), format: format)
    }

    /// The error thrown for `bytes`, or nil when parsing succeeded.
    static func error(_ bytes: [UInt8], _ format: ArticleFormat = .text) -> ArticleParseError? {
        do { _ = try ArticleParser().parse(bytes, format: format); return nil } catch { return error }
    }
}

/// A deterministic random generator (SplitMix64), so randomized tests repeat exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The content hash the pipeline computes (Ingestion's `ContentHash`), for tests that check it is carried.
func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}
