import ArabicText
import Foundation
import Testing

/// One row of `Vectors/lucene-vectors*.tsv` (see `Vectors/README.md`).
struct LuceneVector: Sendable, CustomTestStringConvertible {
    var file: String
    var line: Int
    /// `normalize`, `stem`, `analyzer` or `normalize+stem`.
    var test: String
    var input: String
    var expected: String
    var source: String
    /// `key=value` settings; flags without a value map to "".
    var config: [String: String]

    var testDescription: String { "\(file):\(line) \(source) [\(test)] «\(input)»" }

    /// The input split as the Lucene test splits it: one token with the keyword tokenizer,
    /// otherwise on spaces (split as bytes: a space followed by a haraka is one `Character`).
    var inputWords: [String] {
        guard config["keyword_tokenizer"] == nil else { return [input] }
        return input.utf8.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }

    static func load(_ name: String) -> [LuceneVector] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "tsv", subdirectory: "Vectors"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("cannot read Vectors/\(name).tsv from the test bundle")
            return []
        }
        // Split on bytes, not Characters: a tab or newline next to a combining mark must still split.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var rows: [LuceneVector] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 5 else {
                Issue.record("\(name).tsv:\(index + 1) has \(fields.count) fields")
                continue
            }
            var config: [String: String] = [:]
            for setting in fields[4].split(separator: ";") {
                let parts = setting.split(separator: "=", maxSplits: 1)
                config[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            rows.append(LuceneVector(file: name, line: index + 1, test: fields[0], input: fields[1],
                                     expected: fields[2], source: fields[3], config: config))
        }
        return rows
    }

    static let all = load("lucene-vectors") + load("lucene-vectors-factories")
}

/// The analyzer configuration a vector row asks for, on top of Lucene's chain.
func luceneConfiguration(for vector: LuceneVector) -> ArabicAnalyzer.Configuration {
    var configuration = ArabicAnalyzer.Configuration.luceneCompatible
    switch vector.config["stopwords"] {
    case nil, "default": configuration.stopWords = .lucene
    case "none": configuration.stopWords = .none
    case let list?: configuration.stopWords = ArabicStopWords(list.split(separator: ",").map(String.init),
                                                              normalizedBy: nil)
    }
    if let exclusions = vector.config["stem_exclusion"], exclusions != "none" {
        configuration.stemExclusions = Set(exclusions.split(separator: ",").map(String.init))
    }
    return configuration
}

@Suite("Lucene test vectors")
struct LuceneVectorTests {
    @Test("The vector files hold every row the README announces")
    func rowCounts() {
        let rows = LuceneVector.all
        #expect(rows.filter { $0.file == "lucene-vectors" }.count == 57)
        #expect(rows.filter { $0.file == "lucene-vectors" && $0.test == "normalize" }.count == 15)
        #expect(rows.filter { $0.file == "lucene-vectors" && $0.test == "stem" }.count == 23)
        #expect(rows.filter { $0.file == "lucene-vectors" && $0.test == "analyzer" }.count == 19)
        #expect(rows.filter { $0.file == "lucene-vectors-factories" }.count == 2)
    }

    /// Each row with the component it names, configured as Lucene's test configures it.
    @Test("Lucene vector", arguments: LuceneVector.all)
    func vector(_ vector: LuceneVector) {
        let normalizer = ArabicNormalizer(mode: .lucene)
        let stemmer = ArabicStemmer()
        let keywords = Set(vector.config["keyword"].map { [$0] } ?? [])
        let actual: String
        switch vector.test {
        case "normalize":
            actual = vector.inputWords.map(normalizer.normalize).joined(separator: " ")
        case "stem":
            actual = vector.inputWords.map { keywords.contains($0) ? $0 : stemmer.stem($0) }.joined(separator: " ")
        case "normalize+stem":
            actual = vector.inputWords.map { stemmer.stem(normalizer.normalize($0)) }.joined(separator: " ")
        case "analyzer":
            let analyzer = ArabicAnalyzer(configuration: luceneConfiguration(for: vector))
            actual = analyzer.indexText(vector.input)
            // tokens(in:) must agree with indexText.
            let terms = analyzer.tokens(in: vector.input).filter { !$0.isStopWord }.map(\.term)
            expectExact(terms.joined(separator: " "), vector.expected, "tokens(in:)")
        default:
            Issue.record("unknown test kind \(vector.test)")
            return
        }
        expectExact(actual, vector.expected)
    }

    /// The analyzer rows with Lucene's default settings also hold for Marsad's default analyzer
    /// (extended normalizer, stop words matched after normalization).
    @Test("Lucene analyzer vector, default analyzer",
          arguments: LuceneVector.all.filter { $0.test == "analyzer" && $0.config == ["stopwords": "default"] })
    func vectorWithDefaultAnalyzer(_ vector: LuceneVector) {
        expectExact(ArabicAnalyzer().indexText(vector.input), vector.expected)
    }
}
