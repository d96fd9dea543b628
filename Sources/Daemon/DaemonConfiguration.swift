import Foundation
public import Ingestion
public import Logging

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

    /// Why a configuration file was refused.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads a TOML configuration file over the defaults.
    public static func load(file path: String) throws(Error) -> DaemonConfiguration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Error(description: "cannot read the configuration \(path): \(error.localizedDescription)")
        }
        do { return try parse(text, origin: path) } catch {
            throw Error(description: "configuration \(path): \(error.description)")
        }
    }

    /// Reads a TOML configuration over the defaults. Unknown keys are errors (a typo must not pass silently).
    public static func parse(_ text: String, origin: String = "configuration") throws(Error) -> DaemonConfiguration {
        let values: [String: TOMLValue]
        do { values = try TOMLReader.parse(text) } catch { throw Error(description: error.description) }
        var c = DaemonConfiguration()
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            func string() throws(Error) -> String {
                guard case .string(let s) = value else { throw Error(description: "\(key) must be a string") }
                return s
            }
            func number() throws(Error) -> Double {
                switch value {
                case .integer(let n): return Double(n)
                case .float(let d): return d
                default: throw Error(description: "\(key) must be a number")
                }
            }
            func strings() throws(Error) -> [String] {
                guard case .array(let items) = value else { throw Error(description: "\(key) must be an array of strings") }
                var out: [String] = []
                for item in items {
                    guard case .string(let s) = item else { throw Error(description: "\(key) must hold strings") }
                    out.append(s)
                }
                return out
            }
            switch key {
            case "inbox": c.inbox = try string()
            case "db": c.database = try string()
            case "mode":
                guard let mode = Mode(rawValue: try string()) else {
                    throw Error(description: "mode must be \"mirror\" or \"consume\"")
                }
                c.mode = mode
            case "archive_dir": c.archiveDirectory = try string()
            case "failed_dir": c.failedDirectory = try string()
            case "extensions": c.extensions = Set(try strings())
            case "include": c.include = try strings()
            case "exclude": c.exclude = try strings()
            case "workers": c.workers = Int(try number())
            case "batch_size": c.batchSize = max(1, Int(try number()))
            case "max_file_size": c.maxFileSize = Int64(try number())
            case "poll_interval": c.pollInterval = max(0.1, try number())
            case "force_polling":
                guard case .boolean(let b) = value else { throw Error(description: "force_polling must be true or false") }
                c.forcePolling = b
            case "reconcile_interval": c.reconcileInterval = max(0, try number())
            case "parse_timeout": c.parseTimeout = max(0.1, try number())
            case "log_level":
                guard let level = Logger.Level(rawValue: try string()) else {
                    throw Error(description: "log_level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                c.logLevel = level
            default:
                throw Error(description: "unknown key \(key)")
            }
        }
        return c
    }
}
