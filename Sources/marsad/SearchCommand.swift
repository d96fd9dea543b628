import ArgumentParser
import ArticleIndex



struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; prints ranked hits with highlighted snippets.",
        discussion: """
            The query is analyzed like the articles, so a word finds its other forms: انسحاب finds الانسحاب, \
            وانسحابها and بالانسحاب, and spellings with harakat, tatweel or another alef form match the plain one.

            Query syntax:
              انسحاب القوات          the words: articles with all of them first, then those missing one, \
            down to half of them (--match best, the default; --match all requires every word, --match any \
            goes down to one); bm25 ranks within, title matches weigh more
              +انسحاب                 a word that is required in every mode
              "التحالف الدولي"        an exact phrase (also «…» and “…”)
              واشنطن OR بغداد         either word
              -داعش   or  NOT داعش    leave out articles with the word
              انسحا*                  words starting with a prefix
              title:انسحاب            in titles only (also title:"a phrase")

            Exit status: 0 whether or not anything matched; 1 on an error (a malformed query, no index).
            """)

    @OptionGroup var index: IndexOptions

    @Argument(parsing: .allUnrecognized, help: "The query (several arguments are joined with spaces).")
    var query: [String]

    @Option(help: "How many hits to print.")
    var limit: Int = 10

    @Option(help: "Skip this many hits (paging).")
    var offset: Int = 0

    @Option(help: "Only articles published on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(help: "Only articles published on or before this date (YYYY-MM-DD).")
    var until: String?

    @Option(help: "Only articles from this outlet.")
    var source: String?

    @Option(help: "How the plain words combine: all (every word required), best (all first, then fewer, down to half), any.")
    var match: MatchMode = .best

    @Option(help: .hidden)  // tiers | coordination: for scripts/eval-search, which compares them
    var ranking: SearchOptions.LooseRanking = .tiers

    @Option(help: "Fold the hits: story (one per story) or near (near-duplicates into their original).")
    var collapse: Collapse?

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() async throws {
        let store = try index.open(.readOnly)
        let parsed: SearchQuery
        do { parsed = try SearchQuery(query.joined(separator: " "), mode: match) } catch { throw CLIError(error.description) }
        var options = SearchOptions(limit: max(0, limit), offset: max(0, offset), since: since, until: until,
                                    source: source)
        options.looseRanking = ranking
        options.collapse = collapse
        let results: SearchResults
        do {
            results = try await store.search(parsed, options: options)
        } catch IndexError.needsReindex {
            try store.close()
            try await Reindex.rebuild(index)
            results = try await index.open(.readOnly).search(parsed, options: options)
        } catch {
            throw CLIError("\(error)")
        }
        if json { return try Output.printJSON(results) }
        if results.total == 0 {
            print("no article matches «\(results.query)»")
            return
        }
        let shown = results.hits.isEmpty ? "" : "\(options.offset + 1)–\(options.offset + results.hits.count) of "
        let count = results.totalIsExact ? "\(results.total)" : "more than \(results.total)"
        let ranked = results.ranked < results.total || !results.totalIsExact
            ? " (the newest \(results.ranked) ranked)" : ""
        let loosened = parsed.isLoosened
            ? " (\(match == .any ? "any word" : "best match"): at least \(results.minimumMatch) of its \(parsed.optionalUnits.count) words)" : ""
        print("\(shown)\(count) article\(results.total == 1 ? "" : "s") match «\(results.query)»\(loosened)\(ranked)\n")
        for (n, hit) in results.hits.enumerated() {
            print("\(options.offset + n + 1). \(Output.bold(hit.title))")
            var line = "   \(hit.path) · #\(hit.id) · score \(String(format: "%.3g", hit.score))"
            if let source = hit.source { line += " · \(source)" }
            if let date = hit.publishedAt { line += " · \(date)" }
            print(Output.dim(line))
            let missing = parsed.units.filter { !(hit.matchedTerms ?? parsed.units).contains($0) }
            if !missing.isEmpty { print(Output.dim("   لا تحتوي على: " + missing.joined(separator: "، "))) }
            if let folded = hit.collapsed {
                let outlets = folded.outlets.isEmpty ? "" : " from \(folded.outlets.count) outlet\(folded.outlets.count == 1 ? "" : "s")"
                print(Output.dim("   +\(folded.count) more\(outlets)" + (hit.storyID.map { " · marsad show --story \($0)" } ?? "")))
            }
            print("   " + Output.highlight(hit.snippet, hit.highlights) + "\n")
        }
    }
}
