import ArgumentParser
import ArticleIndex
import Foundation

struct Reindex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Rebuild the full-text index from the stored articles with the current analyzer.",
        discussion: "Needed after an upgrade that changes the analyzer; search and the daemon run it on their own.")

    @OptionGroup var index: IndexOptions

    func run() async throws {
        try await Self.rebuild(index)
    }

    static func rebuild(_ options: IndexOptions) async throws {
        let store = try options.open(.readWrite)
        let from = try await store.builtAnalyzerVersion().map(String.init) ?? "none"
        FileHandle.standardError.write(Data("marsad: rebuilding \(store.location) (analyzer \(from) → current)\n".utf8))
        let bar = Output.ProgressBar(label: "reindexing")
        let tty = Output.stderrIsTerminal
        do {
            try await store.reindex(batchSize: 500) { done, total in if tty { bar.update(done, total) } }
        } catch { throw CLIError(error.description) }
        try store.close()
    }
}
