import ArgumentParser
import ArticleIndex

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one article as stored.")

    @OptionGroup var index: IndexOptions

    @Argument(help: "An article id (as printed by search) or a file path.")
    var article: String?

    @Option(help: "Print a story instead: its articles in time order, near-duplicates marked.")
    var story: Int64?

    @Flag(help: "Print the article as JSON.")
    var json = false

    func validate() throws {
        if (article == nil) == (story == nil) { throw ValidationError("give an article or --story ID, one of them") }
    }

    func run() async throws {
        let store = try index.open(.readOnly)
        if let story { return try await showStory(story, store) }
        guard let article else { return }
        var found = try await store.article(id: nil, path: article)
        if found == nil, let id = Int64(article.hasPrefix("#") ? String(article.dropFirst()) : article) {
            found = try await store.article(id: id, path: nil)
        }
        guard let stored = found else { throw CLIError("no article \(article) in \(store.location)") }
        if json { return try Output.printJSON(stored) }
        let a = stored.article
        print(Output.bold(a.title) + (a.titleDerived ? Output.dim("  (title derived from the lead)") : ""))
        var facts = ["#\(stored.id)", stored.path]
        if let s = a.source { facts.append(s) }
        if let p = a.publishedAt { facts.append("published \(p)") }
        if let u = a.updatedAt { facts.append("updated \(u)") }
        print(Output.dim(facts.joined(separator: " · ")))
        for path in stored.duplicatePaths { print(Output.dim("same content: \(path)")) }
        if let original = stored.nearDuplicateOf { print(Output.dim("near-duplicate of #\(original)")) }
        if !stored.nearDuplicates.isEmpty {
            print(Output.dim("near-duplicates: " + stored.nearDuplicates.map { "#\($0)" }.joined(separator: " ")))
        }
        if let story = stored.storyID { print(Output.dim("story \(story) (marsad show --story \(story))")) }
        print()
        if !a.lead.isEmpty { print(a.lead + "\n") }
        for p in a.paragraphs { print(p + "\n") }
        func section(_ name: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            print(Output.bold(name))
            for line in lines { print("  • " + line) }
            print()
        }
        section("Captions", a.captions.map { $0.text + ($0.credit.map { " / \($0)" } ?? "") })
        section("Related", a.related)
        section("Embedded posts", a.embeddedPosts.map {
            "\($0.text) — \($0.author ?? "") \($0.handle.map { "(@\($0))" } ?? "") \($0.date ?? "")"
        })
        section("Quotes", a.quotes.map { "«\($0.text)»" + ($0.speaker.map { " — \($0)" } ?? "") })
        section("Dates", a.datesMentioned.map { "\($0.date)  \($0.phrase)" })
        section("Warnings", a.warnings)
        print(Output.dim("""
            \(Output.formatBytes(stored.byteSize)) · \(a.language) · \(a.encoding) · sha256 \(a.contentSHA256.prefix(16))… \
            · ingested \(stored.ingestedAt) · parser v\(stored.parserVersion)
            """))
    }

    func showStory(_ id: Int64, _ store: any ArticleStore) async throws {
        let found: StoryDetail?
        do { found = try await store.story(id: id) } catch { throw CLIError(error.description) }
        guard let detail = found else { throw CLIError("no story \(id) in \(store.location)") }
        if json { return try Output.printJSON(detail) }
        let story = detail.story
        print(Output.bold(story.title))
        var line = "story \(story.id)"
        if let merged = detail.mergedFrom { line += " (story \(merged) was merged into it)" }
        line += " · \(story.articleCount) article\(story.articleCount == 1 ? "" : "s") · \(story.outlets.count) outlet\(story.outlets.count == 1 ? "" : "s")"
        line += " · " + StoriesCommand.span(story.firstAt, story.lastAt)
        print(Output.dim(line))
        if !story.terms.isEmpty { print(story.terms.joined(separator: " · ")) }
        print()
        for member in detail.articles {
            let time = member.publishedAt ?? "indexed \(member.ingestedAt)"
            let mark = member.nearDuplicateOf.map { Output.dim("  (near-duplicate of #\($0))") } ?? ""
            print("\(time)  \(member.source ?? "—")  #\(member.id)  \(member.title)\(mark)")
        }
    }
}
