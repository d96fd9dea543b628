import ArgumentParser

@main
struct Marsad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marsad",
        abstract: "Marsad (مرصد) indexes Arabic news articles dropped into a folder and searches them.",
        discussion: """
            Every command takes --db PATH. Without it the index is $MARSAD_DB, else $STATE_DIRECTORY/marsad.db \
            when systemd sets STATE_DIRECTORY, else ./marsad.db.
            """,
        subcommands: [Ingest.self, Search.self, Show.self, Status.self, Parse.self, Analyze.self, Reindex.self])
}
