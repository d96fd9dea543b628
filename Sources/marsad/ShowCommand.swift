import ArgumentParser
import ArticleIndex

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print one article as stored.")

    @OptionGroup var index: IndexOptions

    @Argument(help: "An article id (as printed by search) or a file path.")
    var article: String

    @Flag(help: "Print the article as JSON.")
    var json = false

    func run() async throws {
        let store = try index.open(.readOnly)
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
}
