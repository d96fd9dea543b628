import ArabicText
import ArgumentParser
import Foundation

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how the analyzer splits, normalizes and stems text (like Elasticsearch's _analyze).")

    @Argument(help: "The text (default: standard input).")
    var text: String?

    @Flag(help: "Print the tokens as JSON.")
    var json = false

    struct TokenOut: Encodable {
        var token: String
        var normalized: String
        var stem: String
        var start: Int
        var end: Int
        var stopWord: Bool
        enum CodingKeys: String, CodingKey { case token, normalized, stem, start, end, stopWord = "stop_word" }
    }

    struct AnalyzeOut: Encodable {
        var analyzerVersion: Int
        var tokens: [TokenOut]
        enum CodingKeys: String, CodingKey { case analyzerVersion = "analyzer_version", tokens }
    }

    func run() async throws {
        let input = text ?? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let utf8 = Array(input.utf8)
        let tokens = ArabicAnalyzer().tokens(in: input).map {
            TokenOut(token: String(decoding: utf8[$0.utf8Range], as: UTF8.self), normalized: $0.normalized,
                     stem: $0.term, start: $0.utf8Range.lowerBound, end: $0.utf8Range.upperBound,
                     stopWord: $0.isStopWord)
        }
        if json { return try Output.printJSON(AnalyzeOut(analyzerVersion: ArabicAnalyzer.version, tokens: tokens)) }
        for t in tokens {
            print("\(t.token)\t\(t.normalized)\t\(t.stem)\t\(t.start)-\(t.end)\(t.stopWord ? "\tstop" : "")")
        }
    }
}
