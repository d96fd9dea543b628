import ArgumentParser
import ArticleIndex
import Foundation
import Logging

/// Options every command that touches the index shares.
struct IndexOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The index file.", valueName: "path"))
    var db: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "notice"

    /// --db, else $MARSAD_DB, else $STATE_DIRECTORY/marsad.db, else ./marsad.db.
    var databasePath: String {
        Self.resolveDatabasePath(flag: db, environment: ProcessInfo.processInfo.environment)
    }

    static func resolveDatabasePath(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment["MARSAD_DB"], !env.isEmpty { return env }
        if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !state.isEmpty {
            return state + "/marsad.db"
        }
        return "marsad.db"
    }

    func bootstrapLogging() {
        LogLevelControl.shared.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .notice)
    }

    /// Opens the index; `mapsFile: false` for commands that write and never search (see `ArticleIndex.init`).
    func open(_ mode: ArticleIndex.Mode, mapsFile: Bool = true) throws -> any ArticleStore {
        bootstrapLogging()
        do { return try IndexBackend.open(databasePath, mode: mode, mapsFile: mapsFile) } catch {
            throw CLIError(error.description)
        }
    }
}

/// An error whose message is printed as is, after `marsad: `.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
