import ArabicText
import ArgumentParser
import Foundation

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show how the analyzer splits, normalizes and stems text (like Elasticsearch's _analyze).")

    @Argument(help: "The text (default: standard input).")
    var text: String?

    @Flag(help: "Print the tokens as JSON.")
    var json = false

    @Flag(help: "Read one word a line on standard input; print word<TAB>normalized<TAB>stem a line.")
    var stemOnly = false

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
        if stemOnly { return stemWords() }
        let input = text ?? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let utf8 = Array(input.utf8)
        let tokens = ArabicAnalyzer().tokens(in: input).map {
            TokenOut(token: String(decoding: utf8[$0.utf8Range], as: UTF8.self), normalized: $0.normalized,
                     stem: $0.term, start: $0.utf8Range.lowerBound, end: $0.utf8Range.upperBound,
                     stopWord: $0.isStopWord)
        }
        if json { return try Output.printJSON(AnalyzeOut(analyzerVersion: ArabicAnalyzer.version, tokens: tokens)) }
        let header = "token\tnormalized\tstem\tbytes\tstop word"
        if Output.stdoutIsTerminal { print(Output.dim(header)) }
        for t in tokens {
            print("\(t.token)\t\(t.normalized)\t\(t.stem)\t\(t.start)-\(t.end)\(t.stopWord ? "\tstop" : "")")
        }
    }
}

extension Analyze {
    /// The word-list path: reads all of standard input, writes through one buffer (100,000 words in well under a
    /// second), so lists can be diffed against other implementations.
    func stemWords() {
        let analyzer = ArabicAnalyzer()
        let data = FileHandle.standardInput.readDataToEndOfFile()
        var out = [UInt8]()
        out.reserveCapacity(data.count * 3)
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var bytes = line
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            let word = String(decoding: bytes, as: UTF8.self)
            if word.isEmpty { continue }
            let (normalized, stem) = analyzer.analyzeWord(word)
            out += bytes
            out.append(UInt8(ascii: "\t"))
            out += normalized.utf8
            out.append(UInt8(ascii: "\t"))
            out += stem.utf8
            out.append(UInt8(ascii: "\n"))
            if out.count > 1 << 20 {
                FileHandle.standardOutput.write(Data(out))
                out.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(out))
    }
}
