import Foundation
public import Ingestion
public import Logging
import TOMLKit

/// Everything `marsad run` can be told, from the TOML file and the command line (flags win).
///
/// Each property documents its TOML key and default; `deploy/marsad.toml` shows them all.
public struct DaemonConfiguration: Sendable, Hashable {
    /// What happens to a file once its article is committed.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// The index follows the tree: files stay; deleting one removes its article.
        case mirror
        /// Files leave the inbox once committed: to `archive_dir`, or `failed_dir` with a `.reason` file.
        case consume
    }

    /// `inbox`: the folder watched (required).
    public var inbox: String = ""
    /// `db`: the index file (default: the CLI's --db resolution).
    public var database: String?
    /// `mode`: `mirror` (default) or `consume`.
    public var mode: Mode = .mirror
    /// `archive_dir`: consume mode, where committed files go (default: `<inbox>/../archive`).
    public var archiveDirectory: String?
    /// `failed_dir`: consume mode, where failed files go (default: `<inbox>/../failed`).
    public var failedDirectory: String?
    /// `extensions`: article file extensions (default `["txt", "md", "json"]`).
    public var extensions: Set<String> = FileFilter.defaultExtensions
    /// `include`: file-name patterns taken whatever their extension (default none).
    public var include: [String] = []
    /// `exclude`: file-name patterns never taken (default none; temporary names are always skipped).
    public var exclude: [String] = []
    /// `workers`: files parsed at once; 0 means the number of cores (default 0).
    public var workers: Int = 0
    /// `batch_size`: most articles committed in one transaction (default 256).
    public var batchSize: Int = 256
    /// `max_file_size`: larger files are refused (bytes, default 10 MiB).
    public var maxFileSize: Int64 = ArticleFile.defaultSizeLimit
    /// `poll_interval`: seconds between scans of subtrees that inotify cannot watch (default 30).
    public var pollInterval: Double = 30
    /// `force_polling`: poll the whole inbox instead of using inotify (default false).
    public var forcePolling: Bool = false
    /// `reconcile_interval`: seconds between full reconciles of the tree against the index; 0 = never (default 600).
    public var reconcileInterval: Double = 600
    /// `parse_timeout`: seconds one file may take to parse before it is failed (default 30).
    public var parseTimeout: Double = 30
    /// `log_level`: trace, debug, info, notice, warning, error, critical (default info).
    public var logLevel: Logger.Level = .info
    /// The `[serve]` table: `marsad serve`'s settings.
    public var serve = ServeConfiguration()

    public init(inbox: String = "") {
        self.inbox = inbox
    }

    /// The workers to run: `workers`, or the number of cores when it is 0.
    public var effectiveWorkers: Int {
        workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount
    }

    public var fileFilter: FileFilter {
        FileFilter(extensions: extensions, include: include, exclude: exclude)
    }

    public var effectiveArchiveDirectory: String {
        archiveDirectory ?? (inbox as NSString).deletingLastPathComponent + "/archive"
    }

    public var effectiveFailedDirectory: String {
        failedDirectory ?? (inbox as NSString).deletingLastPathComponent + "/failed"
    }

    /// Reads a TOML configuration file over the defaults.
    public static func load(file path: String) throws(ConfigurationError) -> DaemonConfiguration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(file: path, reason: error.localizedDescription)
        }
        do { return try parse(text) } catch {
            throw error.in(file: path)
        }
    }

    /// Reads a TOML configuration (TOMLKit, which is toml++) over the defaults. Unknown keys are errors,
    /// named with their table (a typo must not pass silently); so are values of the wrong type.
    public static func parse(_ text: String) throws(ConfigurationError) -> DaemonConfiguration {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw .syntax(file: nil, line: error.source.begin.line, column: error.source.begin.column,
                          reason: error.description)
        } catch {
            throw .syntax(file: nil, line: 0, column: 0, reason: "\(error)")
        }
        var c = DaemonConfiguration()
        for (key, value) in table.sorted(by: { $0.0 < $1.0 }) {
            let field = Field(key: key, value: value)
            switch key {
            case "inbox": c.inbox = try field.string()
            case "db": c.database = try field.string()
            case "mode":
                guard let mode = Mode(rawValue: try field.string()) else {
                    throw field.invalid("must be \"mirror\" or \"consume\"")
                }
                c.mode = mode
            case "archive_dir": c.archiveDirectory = try field.string()
            case "failed_dir": c.failedDirectory = try field.string()
            case "extensions": c.extensions = Set(try field.strings())
            case "include": c.include = try field.strings()
            case "exclude": c.exclude = try field.strings()
            case "workers": c.workers = Int(try field.number())
            case "batch_size": c.batchSize = max(1, Int(try field.number()))
            case "max_file_size": c.maxFileSize = Int64(try field.number())
            case "poll_interval": c.pollInterval = max(0.1, try field.number())
            case "force_polling": c.forcePolling = try field.boolean()
            case "reconcile_interval": c.reconcileInterval = max(0, try field.number())
            case "parse_timeout": c.parseTimeout = max(0.1, try field.number())
            case "log_level":
                guard let level = Logger.Level(rawValue: try field.string()) else {
                    throw field.invalid("must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                c.logLevel = level
            case "serve":
                guard let serve = value.table else { throw field.invalid("must be a table ([serve])") }
                c.serve = try ServeConfiguration.parse(serve)
            default:
                let isTable = value.table.map { !$0.inline } ?? false
                throw .unknownKey(file: nil, key: isTable ? "[\(key)]" : key)
            }
        }
        return c
    }

}

/// The `[serve]` table of the configuration file: what `marsad serve` is told (its flags win).
public struct ServeConfiguration: Sendable, Hashable {
    /// `listen`: `HOST:PORT`, `[IPv6]:PORT` or `unix:PATH` (default `127.0.0.1:8080`).
    public var listen: String?
    /// `token_file`: a file whose first line is the bearer token `/api` and `/feeds` require (default none).
    public var tokenFile: String?
    /// `state_dir`: where serve keeps its own state, the saved searches (default: beside the index).
    public var stateDirectory: String?
    /// `query_timeout`: seconds a search may run before it is stopped and answered 503 (default 2).
    public var queryTimeout: Double = 2
    /// `max_streams`: `/api/stream` clients connected at once; more get 503 (default 1000).
    public var maxStreams: Int = 1_000
    /// `public_url`: the address clients use, for links in feeds (default: from each request's Host).
    public var publicURL: String?

    public init() {}

    static func parse(_ table: TOMLTable) throws(ConfigurationError) -> ServeConfiguration {
        var c = ServeConfiguration()
        for (key, value) in table.sorted(by: { $0.0 < $1.0 }) {
            let field = DaemonConfiguration.Field(key: "serve.\(key)", value: value)
            switch key {
            case "listen": c.listen = try field.string()
            case "token_file": c.tokenFile = try field.string()
            case "state_dir": c.stateDirectory = try field.string()
            case "query_timeout":
                let seconds = try field.number()
                guard seconds > 0, seconds <= 600 else { throw field.invalid("must be from 0 to 600 seconds") }
                c.queryTimeout = seconds
            case "max_streams":
                let n = try field.number()
                guard n >= 0, n <= 1_000_000, n == n.rounded() else { throw field.invalid("must be a whole number from 0 to 1000000") }
                c.maxStreams = Int(n)
            case "public_url":
                let url = try field.string()
                guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    throw field.invalid("must begin with http:// or https://")
                }
                c.publicURL = url
            default:
                throw .unknownKey(file: nil, key: "serve.\(key)")
            }
        }
        return c
    }
}

extension DaemonConfiguration {
    /// One key's value, read as the type its setting needs.
    fileprivate struct Field {
        let key: String
        let value: any TOMLValueConvertible

        func invalid(_ reason: String) -> ConfigurationError {
            .invalid(file: nil, key: key, reason: reason)
        }

        func string() throws(ConfigurationError) -> String {
            guard let s = value.string else { throw invalid("must be a string, not \(value.type.description)") }
            return s
        }

        func number() throws(ConfigurationError) -> Double {
            if let n = value.int { return Double(n) }
            if let d = value.double { return d }
            throw invalid("must be a number, not \(value.type.description)")
        }

        func boolean() throws(ConfigurationError) -> Bool {
            guard let b = value.bool else { throw invalid("must be true or false, not \(value.type.description)") }
            return b
        }

        func strings() throws(ConfigurationError) -> [String] {
            guard let array = value.array else {
                throw invalid("must be an array of strings, not \(value.type.description)")
            }
            var out: [String] = []
            for item in array {
                guard let s = item.string else { throw invalid("must hold strings, not \(item.type.description)") }
                out.append(s)
            }
            return out
        }
    }
}

/// Why a configuration was refused: the file, the line or the key, and the reason. `description` is one line.
public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The text is not TOML (toml++'s reason, at a line and column).
    case syntax(file: String?, line: Int, column: Int, reason: String)
    /// A key Marsad does not know (a typo must not pass silently).
    case unknownKey(file: String?, key: String)
    /// A known key with a value it cannot take.
    case invalid(file: String?, key: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "cannot read the configuration \(file): \(reason)"
        case .syntax(let file, let line, let column, let reason):
            prefix(file) + "line \(line), column \(column): \(reason)"
        case .unknownKey(let file, let key):
            prefix(file) + "unknown key \(key)"
        case .invalid(let file, let key, let reason):
            prefix(file) + "\(key) \(reason)"
        }
    }

    private func prefix(_ file: String?) -> String {
        file.map { "configuration \($0): " } ?? ""
    }

    /// The same error, naming the file it came from.
    func `in`(file: String) -> ConfigurationError {
        switch self {
        case .unreadable: self
        case .syntax(_, let line, let column, let reason): .syntax(file: file, line: line, column: column, reason: reason)
        case .unknownKey(_, let key): .unknownKey(file: file, key: key)
        case .invalid(_, let key, let reason): .invalid(file: file, key: key, reason: reason)
        }
    }
}
