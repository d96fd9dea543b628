public import Articles
import Foundation
public import ArabicText

/// What the ledger knows of a file on disk, without its contents.
public struct FileStamp: Sendable, Hashable, Codable {
    public var byteSize: Int64
    /// Modification time, seconds since 1970.
    public var mtime: Double
    public var device: UInt64
    public var inode: UInt64

    public init(byteSize: Int64, mtime: Double, device: UInt64 = 0, inode: UInt64 = 0) {
        self.byteSize = byteSize
        self.mtime = mtime
        self.device = device
        self.inode = inode
    }
}

/// A parsed article made ready for the index: its text analyzed into terms.
///
/// Analysis is the expensive part of indexing, so it happens here, on whichever task builds the document
/// (ingest workers run many at once), and the single database writer only inserts rows.
public struct IndexDocument: Sendable {
    public var path: String
    public var stamp: FileStamp
    public var article: Article
    let titleTerms: String
    let bodyTerms: String
    let captionTerms: String
    let stored: StoredText
    let detailsJSON: String

    public init(path: String, stamp: FileStamp, article: Article, analyzer: ArabicAnalyzer = ArabicAnalyzer()) {
        self.path = path
        self.stamp = stamp
        self.article = article
        stored = StoredText(article: article)
        (titleTerms, bodyTerms, captionTerms) = stored.terms(analyzer)
        detailsJSON = ArticleDetails(article).json()
    }
}

/// The three searchable texts of an article as stored in `articles` (title, body, captions).
struct StoredText: Sendable {
    var title: String
    var body: String
    var captions: String

    init(title: String, body: String, captions: String) {
        self.title = title
        self.body = body
        self.captions = captions
    }

    init(article: Article) {
        self.init(title: article.title, body: article.body,
                  captions: article.captions.map(\.text).joined(separator: "\n"))
    }

    func terms(_ analyzer: ArabicAnalyzer) -> (String, String, String) {
        (analyzer.indexText(title), analyzer.indexText(body), analyzer.indexText(captions))
    }
}

/// The structured fields of an article that have no column of their own, stored as JSON in `articles.details`.
struct ArticleDetails: Codable {
    var captions: [Caption]
    var related: [String]
    var embeddedPosts: [EmbeddedPost]
    var quotes: [Quote]
    var datesMentioned: [DateMention]
    var warnings: [String]

    init(_ a: Article) {
        captions = a.captions
        related = a.related
        embeddedPosts = a.embeddedPosts
        quotes = a.quotes
        datesMentioned = a.datesMentioned
        warnings = a.warnings
    }

    enum CodingKeys: String, CodingKey {
        case captions, related, embeddedPosts = "embedded_posts", quotes
        case datesMentioned = "dates_mentioned", warnings
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    static func decode(_ json: String) -> ArticleDetails? {
        try? JSONDecoder().decode(ArticleDetails.self, from: Data(json.utf8))
    }
}
