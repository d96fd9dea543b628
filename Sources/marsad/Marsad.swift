import ArgumentParser
import Foundation

/// Every command here names itself (`commandName:`): without it ArgumentParser derives the name with
/// `String(describing:)` of the type, whose dynamic casts scan the whole static binary's protocol conformances.
/// Naming them took `marsad --help` from 23.2 to 14.8 ms and `marsad search` on the seeds' index from 57.8 to
/// 49.8 ms (release build, medians of 30 runs).
@main
struct Marsad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marsad",
        abstract: "Marsad (مرصد) indexes Arabic news articles dropped into a folder and searches them.",
        discussion: """
            Every command takes --db PATH. Without it the index is $MARSAD_DB, else $STATE_DIRECTORY/marsad.db \
            when systemd sets STATE_DIRECTORY, else ./marsad.db.
            """,
        subcommands: [Run.self, Serve.self, Alerts.self, Wait.self, Ingest.self, Search.self, Show.self, StoriesCommand.self, Status.self, Parse.self, Analyze.self, Reindex.self])

    /// Runs the command; a ``CLIError`` is printed as one line, `marsad: …`, with exit status 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Output.printError(error.description)
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}
