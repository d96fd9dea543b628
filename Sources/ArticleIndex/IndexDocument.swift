public import Articles
import Foundation
public import ArabicText
import GRDB
import Stories

/// A parsed article made ready for the index: its text analyzed into terms.
///
/// Analysis is the expensive part of indexing, so it happens here, on whichever task builds the document
/// (ingest workers run many at once), and the single database writer only inserts rows.
public struct IndexDocument: Sendable {
    public var path: String
    public var stamp: FileStamp
    public var article: Article
    /// The analyzed terms and their short prefixes, for the full-text tables.
    let fullText: FullTextRow
    /// `articles.body`, `captions` and `details` as stored (compressed: see ``StoredColumn``).
    let storedBody: DatabaseValue
    let storedCaptions: DatabaseValue
    let storedDetails: DatabaseValue
    /// What story assignment compares (see ``StoryTables``).
    let storyProfile: StoryProfile
    /// The body's MinHash signature, nil for a body too short to have one.
    let fingerprint: BodyFingerprint?

    public init(path: String, stamp: FileStamp, article: Article, analyzer: ArabicAnalyzer = ArabicAnalyzer()) {
        self.path = path
        self.stamp = stamp
        self.article = article
        let stored = StoredText(article: article)
        fullText = FullTextRow(terms: stored.terms(analyzer))
        storedBody = StoredColumn.value(for: stored.body)
        storedCaptions = StoredColumn.value(for: stored.captions)
        storedDetails = StoredColumn.value(for: ArticleDetails(article).json())
        storyProfile = StoryProfile(article: article, titleTerms: fullText.title, bodyTerms: fullText.body,
                                    analyzer: analyzer)
        fingerprint = BodyFingerprint(analyzedBody: fullText.body)
    }

    /// What the story tables need, with `now` (seconds since 1970) as the time of an undated article.
    func storyInput(now: Double) -> StoryTables.Input {
        StoryTables.Input(profile: storyProfile, fingerprint: fingerprint, time: article.publishedAt ?? iso8601(now),
                          dated: article.publishedAt != nil)
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

    /// The texts of a row of `articles` (with `title`, `body` and `captions`, as stored).
    init(_ row: Row) throws {
        try self.init(title: row["title"], body: StoredColumn.text(row, "body"),
                      captions: StoredColumn.text(row, "captions"))
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

    /// The JSON stored in `articles.details`, written by hand: it runs once per article on the ingest path,
    /// where Foundation's `JSONEncoder` cost more than parsing the article. `decode` reads it back.
    func json() -> String {
        var w = JSONWriter()
        w.open("{")
        w.key("captions"); w.open("[")
        for c in captions { w.open("{"); w.field("credit", c.credit); w.field("text", c.text); w.close("}") }
        w.close("]")
        w.key("dates_mentioned"); w.open("[")
        for d in datesMentioned { w.open("{"); w.field("date", d.date); w.field("phrase", d.phrase); w.close("}") }
        w.close("]")
        w.key("embedded_posts"); w.open("[")
        for p in embeddedPosts {
            w.open("{")
            w.field("author", p.author); w.field("date", p.date); w.field("handle", p.handle); w.field("text", p.text)
            w.close("}")
        }
        w.close("]")
        w.key("quotes"); w.open("[")
        for q in quotes { w.open("{"); w.field("speaker", q.speaker); w.field("text", q.text); w.close("}") }
        w.close("]")
        w.key("related"); w.open("[")
        for r in related { w.string(r) }
        w.close("]")
        w.key("warnings"); w.open("[")
        for x in warnings { w.string(x) }
        w.close("]")
        w.close("}")
        return w.result
    }

    static func decode(_ json: String) -> ArticleDetails? {
        try? JSONDecoder().decode(ArticleDetails.self, from: Data(json.utf8))
    }
}

/// A minimal JSON writer: objects, arrays and strings, escaped as RFC 8259 requires.
struct JSONWriter {
    private var out: [UInt8] = []
    private var needsComma = false

    var result: String { String(decoding: out, as: UTF8.self) }

    /// Opens an object (`{`) or an array (`[`).
    mutating func open(_ bracket: Character) {
        separator()
        out.append(bracket.asciiValue!)
        needsComma = false
    }

    /// Closes an object (`}`) or an array (`]`).
    mutating func close(_ bracket: Character) {
        out.append(bracket.asciiValue!)
        needsComma = true
    }

    mutating func key(_ name: String) {
        separator()
        appendQuoted(name)
        out.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A key and its string value; nothing when the value is nil.
    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func string(_ value: String) {
        separator()
        appendQuoted(value)
        needsComma = true
    }

    private mutating func separator() {
        if needsComma { out.append(UInt8(ascii: ",")) }
    }

    private mutating func appendQuoted(_ value: String) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
