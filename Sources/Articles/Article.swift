/// A news article as the parser understands it.
public struct Article: Sendable, Hashable, Codable {
    public var title: String
    public var titleDerived: Bool
    public var lead: String
    public var paragraphs: [String]
    public var source: String?
    public var publishedAt: String?
    public var updatedAt: String?
    public var captions: [Caption]
    public var related: [String]
    public var embeddedPosts: [EmbeddedPost]
    public var quotes: [Quote]
    public var datesMentioned: [DateMention]
    public var author: String?
    public var url: String?
    public var language: String
    public var encoding: String
    public var contentSHA256: String
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
