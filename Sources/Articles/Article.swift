/// A news article as the parser understands it.
///
/// Encoded as JSON with snake_case keys (`title_derived`, `published_at`, `content_sha256`…);
/// optional fields are left out when unknown. Every string is trimmed, single-spaced text.
public struct Article: Sendable, Hashable, Codable {
    /// The headline; when the file has none, the lead's first clause (see `titleDerived`).
    public var title: String
    /// True when `title` was derived from the lead rather than read from the file.
    public var titleDerived: Bool
    /// The first paragraph of the body.
    public var lead: String
    /// The rest of the body, in order, without captions, related links, embedded posts or page furniture.
    public var paragraphs: [String]
    /// The outlet, when the file names it ("عربي بوست").
    public var source: String?
    /// ISO 8601: "2024-01-25T15:41:00Z" with the stated zone, "2024-01-25T15:41:00" when the file
    /// gives no zone (with a warning), "2024-01-25" for a date alone.
    public var publishedAt: String?
    /// Same format as `publishedAt`.
    public var updatedAt: String?
    /// Photo captions, each once, with the credit split off.
    public var captions: [Caption]
    /// Headlines of other articles the page links to.
    public var related: [String]
    /// Social-media posts quoted in the article.
    public var embeddedPosts: [EmbeddedPost]
    /// Quotations in the body, each once, in order.
    public var quotes: [Quote]
    /// Absolute dates in the headline, body and embedded posts, in order, each (date, phrase) once.
    public var datesMentioned: [DateMention]
    public var author: String?
    public var url: String?
    /// "ar" when Arabic letters dominate (or "fa"/"ur" for Persian/Urdu letters); "en", "fr", "es",
    /// "de" for Latin-script text by its common words; "he", "el"; otherwise "und".
    public var language: String
    /// "utf-8", "utf-8-bom", "utf-16le", "utf-16be" or "windows-1256".
    public var encoding: String
    /// Lower-case hex SHA-256 of the file's raw bytes.
    public var contentSHA256: String
    /// What the parser was unsure about, as short English sentences.
    public var warnings: [String]

    /// The searchable body: the lead and the paragraphs, separated by blank lines.
    public var body: String {
        ([lead] + paragraphs).filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    public init(title: String, titleDerived: Bool = false, lead: String = "", paragraphs: [String] = [],
                source: String? = nil, publishedAt: String? = nil, updatedAt: String? = nil,
                captions: [Caption] = [], related: [String] = [], embeddedPosts: [EmbeddedPost] = [],
                quotes: [Quote] = [], datesMentioned: [DateMention] = [], author: String? = nil,
                url: String? = nil, language: String = "ar", encoding: String = "utf-8",
                contentSHA256: String = "", warnings: [String] = []) {
        self.title = title
        self.titleDerived = titleDerived
        self.lead = lead
        self.paragraphs = paragraphs
        self.source = source
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.captions = captions
        self.related = related
        self.embeddedPosts = embeddedPosts
        self.quotes = quotes
        self.datesMentioned = datesMentioned
        self.author = author
        self.url = url
        self.language = language
        self.encoding = encoding
        self.contentSHA256 = contentSHA256
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case title, titleDerived = "title_derived", lead, paragraphs, source
        case publishedAt = "published_at", updatedAt = "updated_at", captions, related
        case embeddedPosts = "embedded_posts", quotes, datesMentioned = "dates_mentioned"
        case author, url, language, encoding, contentSHA256 = "content_sha256", warnings
    }
}

/// A photo caption, with its credit ("رويترز") split off.
public struct Caption: Sendable, Hashable, Codable {
    public var text: String
    public var credit: String?
    public init(text: String, credit: String? = nil) { self.text = text; self.credit = credit }
}

/// A social-media post embedded in the article.
public struct EmbeddedPost: Sendable, Hashable, Codable {
    public var author: String?
    public var handle: String?
    public var date: String?
    public var text: String
    public init(author: String? = nil, handle: String? = nil, date: String? = nil, text: String) {
        self.author = author; self.handle = handle; self.date = date; self.text = text
    }
}

/// A quotation and, when the text names one, its speaker.
public struct Quote: Sendable, Hashable, Codable {
    public var text: String
    public var speaker: String?
    public init(text: String, speaker: String? = nil) { self.text = text; self.speaker = speaker }
}

/// An absolute date written in the text, normalized to ISO 8601, with the phrase it came from.
public struct DateMention: Sendable, Hashable, Codable {
    public var date: String
    public var phrase: String
    public init(date: String, phrase: String) { self.date = date; self.phrase = phrase }
}
