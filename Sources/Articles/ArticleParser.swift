
/// The kinds of file the parser reads, chosen by file extension.
public enum ArticleFormat: String, Sendable, CaseIterable, Codable {
    case text, markdown, json

    /// The format for a file extension (without the dot, any case), or nil when it is not an article format.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "json": self = .json
        default: return nil
        }
    }
}

/// Why a file could not be parsed. `description` is one line meant for people.
public enum ArticleParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file has no bytes at all.
    case empty
    /// The bytes are not text; the reason names what they look like instead.
    case binary(String)
    /// Text in an encoding the parser cannot identify or does not support.
    case undecodable(String)
    /// A `.json` file that is not a usable article object.
    case invalidJSON(String)
    /// Decoded fine, but there is nothing to read: only whitespace, or only site furniture.
    case noText

    public var description: String {
        switch self {
        case .empty: "the file is empty"
        case .binary(let why): "not a text file (\(why))"
        case .undecodable(let why): "cannot decode the text (\(why))"
        case .invalidJSON(let why): "not a usable JSON article (\(why))"
        case .noText: "the file has no article text (it is blank or holds only page furniture)"
        }
    }

    /// A short stable name of the reason, for metrics labels.
    public var kind: String {
        switch self {
        case .empty: "empty"
        case .binary: "binary"
        case .undecodable: "undecodable"
        case .invalidJSON: "invalid_json"
        case .noText: "no_text"
        }
    }
}

/// Turns the bytes of a dropped file into an ``Article``. Pure: no I/O, no shared state.
///
/// The work is done in stages, each in its own file:
///
/// 1. `TextDecoder` identifies the encoding (UTF-8 with or without BOM, UTF-16 LE/BE, Windows-1256),
///    refuses binary content, and normalizes line ends and spaces into one UTF-8 buffer.
/// 2. The format reader turns that buffer into lines: plain text as is, `MarkdownReader` for
///    `.md` (headings, emphasis, links, images), `JSONArticleReader` for scraper JSON.
/// 3. `LineClassifier` says what each line is (caption, related link, publication date…).
/// 4. `ArticleAssembler` picks headline, outlet, lead and paragraphs, and runs
///    `QuoteExtractor` and `DateExtractor` over the body.
///
/// Every stage is linear in the input, so a 2 MB single-line file parses in milliseconds.
public struct ArticleParser: Sendable {
    /// Changes whenever the parser's output changes; older articles are re-parsed.
    public static let version = 3

    public init() {}

    /// - Parameter contentSHA256: the bytes' hash, which the article carries (the ingest pipeline computes it
    ///   where it reads the file, with Ingestion's `ContentHash`); the parser itself hashes nothing.
    public func parse(_ bytes: [UInt8], format: ArticleFormat, contentSHA256: String = "")
        throws(ArticleParseError) -> Article
    {
        let decoded = try TextDecoder.decode(bytes)
        guard decoded.utf8.contains(where: { $0 != 0x0A }) else { throw .noText }
        var article: Article
        switch format {
        case .text:
            var assembler = ArticleAssembler(decoded.utf8, lines: Self.lines(decoded.utf8))
            article = try assembler.assemble(known: KnownFields(), letters: decoded.letters)
        case .markdown:
            article = try MarkdownReader.read(decoded)
        case .json:
            article = try JSONArticleReader.read(decoded)
        }
        article.encoding = decoded.encoding
        article.contentSHA256 = contentSHA256
        article.warnings = decoded.warnings + article.warnings
        return article
    }

    /// One `SourceLine` per LF-separated line of the normalized text.
    static func lines(_ b: [UInt8]) -> [SourceLine] {
        var out: [SourceLine] = []
        var start = 0
        for i in b.indices where b[i] == 0x0A {
            out.append(SourceLine(range: start..<i))
            start = i + 1
        }
        if start < b.count { out.append(SourceLine(range: start..<b.count)) }
        return out
    }
}
