import Foundation
import Crypto

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
    case empty
    case binary(String)
    case undecodable(String)
    case invalidJSON(String)
    case noText

    public var description: String {
        switch self {
        case .empty: "the file is empty"
        case .binary(let why): "not a text file (\(why))"
        case .undecodable(let why): "cannot decode the text (\(why))"
        case .invalidJSON(let why): "not a usable JSON article (\(why))"
        case .noText: "the file has no text"
        }
    }
}

/// Turns the bytes of a dropped file into an ``Article``. Pure: no I/O.
public struct ArticleParser: Sendable {
    /// Changes whenever the parser's output changes; older articles are re-parsed.
    public static let version = 1

    public init() {}

    public func parse(_ bytes: [UInt8], format: ArticleFormat) throws(ArticleParseError) -> Article {
        guard !bytes.isEmpty else { throw .empty }
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.contains(0) { throw .binary("it contains NUL bytes") }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .undecodable("it is not valid UTF-8")
        }
        var article: Article
        switch format {
        case .json: article = try parseJSON(Data(body))
        case .text, .markdown: article = try parsePlain(text, markdown: format == .markdown)
        }
        article.contentSHA256 = sha
        return article
    }

    private func parsePlain(_ text: String, markdown: Bool) throws(ArticleParseError) -> Article {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw .noText }
        var title = lines.removeFirst()
        if markdown { title = String(title.drop(while: { $0 == "#" })).trimmingCharacters(in: .whitespaces) }
        let lead = lines.isEmpty ? "" : lines.removeFirst()
        return Article(title: title, lead: lead, paragraphs: lines)
    }

    private func parseJSON(_ data: Data) throws(ArticleParseError) -> Article {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalidJSON("\(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else { throw .invalidJSON("the top level is not an object") }
        let body = (dict["body"] as? String) ?? (dict["text"] as? String) ?? ""
        let paragraphs = body.split(whereSeparator: \.isNewline).map { String($0) }.filter { !$0.isEmpty }
        guard let title = dict["title"] as? String ?? paragraphs.first else { throw .noText }
        return Article(title: title, lead: paragraphs.first ?? "", paragraphs: Array(paragraphs.dropFirst()),
                       source: dict["source"] as? String, publishedAt: dict["published_at"] as? String,
                       author: dict["author"] as? String, url: dict["url"] as? String)
    }
}
