import ArgumentParser
import ArticleIndex
import Foundation

struct StoriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stories",
        abstract: "List stories: the articles of any outlets that report one event, newest first.",
        discussion: """
            Marsad gives every article a story as it indexes it: the earlier articles published within a few days \
            of it (4 either side by default) that share its most distinctive words, quoted speakers and dates. \
            Each story is printed with its id (for `marsad show --story ID`), its headline (that of its most \
            central article), when it was first and last reported, how many articles and outlets tell it, and \
            its most distinctive words.

            --rebuild forgets every story and near-duplicate mark and finds them again in arrival order \
            (with --window N, a new window of N days either side). --off stops finding stories in this index \
            and forgets them; --on finds them all again.
            """)

    @OptionGroup var index: IndexOptions

    @Option(help: "Only stories reported on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(help: "Only stories reported on or before this date (YYYY-MM-DD).")
    var until: String?

    @Option(help: "Only stories this outlet told.")
    var source: String?

    @Option(help: "How many stories to print.")
    var limit: Int = 20

    @Option(help: "Skip this many stories (paging).")
    var offset: Int = 0

    @Flag(help: "Find every story again (writes to the index).")
    var rebuild = false

    @Option(help: "With --rebuild: candidates come from this many days either side of an article's date.")
    var window: Int?

    @Flag(name: .customLong("off"), help: "Stop finding stories in this index (and forget those found).")
    var turnOff = false

    @Flag(name: .customLong("on"), help: "Find stories again (after --off): every article's story is found anew.")
    var turnOn = false

    @Flag(help: "Print the stories as JSON.")
    var json = false

    func validate() throws {
        if let window, !(0...365).contains(window) {
            throw ValidationError("--window must be 0 to 365 days, not \(window)")
        }
        if window != nil && !rebuild { throw ValidationError("--window goes with --rebuild") }
        if turnOff && (turnOn || rebuild) { throw ValidationError("--off goes alone, without --on or --rebuild") }
        if limit < 0 || offset < 0 { throw ValidationError("--limit and --offset cannot be negative") }
    }

    func run() async throws {
        if turnOff || turnOn {
            let store = try index.open(.readWrite, mapsFile: false)
            let bar = Output.ProgressBar(label: "finding stories")
            let tty = Output.stderrIsTerminal
            do {
                try await store.setStoriesEnabled(turnOn) { done, total in if tty { bar.update(done, total) } }
            } catch { throw CLIError(error.description) }
            try store.close()
            if turnOff { print("stories are off in \(store.location)"); return }
        }
        if rebuild {
            let store = try index.open(.readWrite, mapsFile: false)
            let bar = Output.ProgressBar(label: "finding stories")
            let tty = Output.stderrIsTerminal
            do {
                try await store.rebuildStories(windowDays: window) { done, total in if tty { bar.update(done, total) } }
            } catch { throw CLIError(error.description) }
            try store.close()
        }
        let store = try index.open(.readOnly)
        let stories: [StorySummary]
        do {
            stories = try await store.stories(StoryFilter(since: since, until: until, source: source, limit: limit,
                                                          offset: offset))
        } catch { throw CLIError(error.description) }
        if json { return try Output.printJSON(stories) }
        if stories.isEmpty { print("no story in \(store.location)"); return }
        for story in stories {
            print(Output.bold(story.title))
            let outlets = story.outlets.isEmpty ? "" : " · \(story.outlets.count) outlet\(story.outlets.count == 1 ? "" : "s"): \(story.outlets.joined(separator: "، "))"
            let copies = story.nearDuplicateCount > 0 ? " (\(story.nearDuplicateCount) near-duplicate\(story.nearDuplicateCount == 1 ? "" : "s"))" : ""
            print(Output.dim("   story \(story.id) · \(story.articleCount) article\(story.articleCount == 1 ? "" : "s")\(copies)\(outlets)"))
            print(Output.dim("   \(Self.span(story.firstAt, story.lastAt))"))
            if !story.terms.isEmpty { print("   " + story.terms.joined(separator: " · ")) }
            print()
        }
    }

    /// "2024-01-25 – 2024-01-27", or one date.
    static func span(_ first: String, _ last: String) -> String {
        let a = String(first.prefix(10)), b = String(last.prefix(10))
        return a == b ? a : "\(a) – \(b)"
    }
}
