import ArgumentParser
import Articles
import Ingestion

struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse one file and print the article, without touching the index.")

    @Argument(help: "The file.")
    var file: String

    @Flag(help: "Print the article as JSON.")
    var json = false

    func run() async throws {
        let read: ArticleFile
        do { read = try ArticleFile.read(file) } catch { throw CLIError("\(file): \(error.description)") }
        let article: Article
        do {
            article = try ArticleParser().parse(read.bytes, format: ArticlePreparer.format(of: file),
                                               contentSHA256: ContentHash.sha256Hex(read.bytes))
        } catch { throw CLIError("\(file): \(error.description)") }
        if json { return try Output.printJSON(article) }
        print(Output.bold(article.title) + (article.titleDerived ? " (derived)" : ""))
        print(Output.dim([article.source, article.publishedAt, article.language, article.encoding]
            .compactMap { $0 }.joined(separator: " · ")))
        print()
        print(article.body)
        for w in article.warnings { print(Output.dim("warning: \(w)")) }
    }
}
