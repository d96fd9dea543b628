import Alerts
import ArgumentParser
import CoreMetrics
import Daemon
import Foundation
import Logging
import Prometheus
import Server
import ServiceLifecycle
import SystemdSupport

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API over the index (read-only, beside `marsad run`), until SIGTERM or SIGINT.",
        discussion: """
            Binds loopback by default. Prints "listening on ADDRESS" once the socket is bound (port 0 picks a \
            free port). With --token-file, every /api and /feeds request needs "Authorization: Bearer TOKEN" \
            (the file's first line). Settings also come from the [serve] table of the --config file; flags win. \
            See README.md "The HTTP API" and deploy/openapi.yaml.
            """)

    @OptionGroup var index: IndexOptions

    @Option(help: "A TOML configuration file; serve reads its [serve] table (and db).")
    var config: String?

    @Option(help: "HOST:PORT, [IPv6]:PORT, or unix:PATH (config: serve.listen; default 127.0.0.1:8080).")
    var listen: String?

    @Option(help: "A file whose first line is the bearer token that /api and /feeds require (config: serve.token_file).")
    var tokenFile: String?

    @Option(help: "Where serve keeps its saved searches, alerts.db (config: serve.state_dir; default: the index's folder).")
    var stateDir: String?

    @Option(help: "Seconds a search may run before it is stopped with a 503 (config: serve.query_timeout; default 2).")
    var queryTimeout: Double?

    @Option(help: "Most /api/stream clients at once; more get 503 (config: serve.max_streams; default 1000).")
    var maxStreams: Int?

    @Option(help: "The URL clients use, for links in feeds (config: serve.public_url; default: the request's Host).")
    var publicURL: String?

    @Option(help: "Where logs go: auto (journald under systemd, else standard error), journald, console.")
    var logTarget: LogTarget = .auto

    func validate() throws {
        if let queryTimeout, !(queryTimeout > 0 && queryTimeout <= 600) {
            throw ValidationError("--query-timeout must be from 0 to 600 seconds")
        }
        if let maxStreams, maxStreams < 0 { throw ValidationError("--max-streams cannot be negative") }
    }

    func run() async throws {
        var file = DaemonConfiguration()
        if let config {
            do { file = try DaemonConfiguration.load(file: config) } catch { throw CLIError(error.description) }
        }
        let settings = file.serve
        let listenText = listen ?? settings.listen ?? ListenAddress.loopback.description
        let address: ListenAddress
        do { address = try ListenAddress(parsing: listenText) } catch {
            throw CLIError((listen == nil && settings.listen != nil ? "serve.listen: " : "--listen: ") + error.description)
        }
        var token: String?
        if let tokenFile = tokenFile ?? settings.tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw CLIError("cannot read the token file \(tokenFile)")
            }
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard line.utf8.count >= 16 else {
                throw CLIError("the token in \(tokenFile) is shorter than 16 bytes; use a long random one "
                               + "(e.g. openssl rand -hex 32)")
            }
            token = line
        }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw CLIError("--public-url must begin with http:// or https://")
        }
        LogLevelControl.shared.bootstrap(level: Logger.Level(rawValue: index.logLevel) ?? .notice, target: logTarget)
        let logger = Logger(label: "marsad.serve")
        if !address.isLocalOnly && token == nil {
            logger.warning("serving \(address) beyond this machine without --token-file: anyone who can reach it can search the index")
        }
        let database = IndexOptions.resolveDatabasePath(flag: index.db ?? file.database,
                                                        environment: ProcessInfo.processInfo.environment)
        let timeout = queryTimeout ?? settings.queryTimeout
        let server = MarsadServer(
            configuration: .init(database: database, listen: address, token: token,
                                 queryTimeout: .milliseconds(Int64((timeout * 1000).rounded(.up))),
                                 maxStreams: maxStreams ?? settings.maxStreams,
                                 publicURL: publicURL ?? settings.publicURL,
                                 stateDirectory: stateDir ?? settings.stateDirectory),
            logger: logger)
        // Whatever a library reports through swift-metrics lands in serve's own registry, beside its figures.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: server.metrics.registry))
        let services = server.services { bound in
            logger.notice("listening on \(bound)", metadata: ["event": "listening", "http_listen": "\(bound)"])
            FileHandle.standardOutput.write(Data("listening on \(bound)\n".utf8))
        }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await server.index.close()
    }
}

/// `marsad alerts`: the saved searches that `marsad serve` matches every new article against.
struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Add, list and remove saved searches (alerts) in serve's state folder.",
        discussion: """
            A running `marsad serve` with the same --state-dir picks changes up at its next article. Matches \
            are at GET /api/alerts/ID/matches, /feeds/alerts/ID.atom and /api/alerts/stream.
            """,
        subcommands: [Add.self, List.self, Remove.self])

    struct Location: ParsableArguments {
        @Option(help: "Serve's state folder (default: the index's folder).")
        var stateDir: String?

        @Option(name: .long, help: ArgumentHelp("The index file, whose folder is the default state folder.", valueName: "path"))
        var db: String?

        func open() throws -> AlertStore {
            let directory = stateDir ?? {
                let database = IndexOptions.resolveDatabasePath(flag: db, environment: ProcessInfo.processInfo.environment)
                let folder = (database as NSString).deletingLastPathComponent
                return folder.isEmpty ? "." : folder
            }()
            do { return try AlertStore(directory: directory) } catch { throw CLIError(error.description) }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Save a search: NAME and QUERY (the search syntax).")
        @OptionGroup var location: Location
        @Argument var name: String
        @Argument var query: String
        @Option(help: "An http(s) URL that gets a POST of JSON for each match.")
        var webhook: String?
        @Flag(help: "Print the saved search as JSON.")
        var json = false

        func run() async throws {
            let alert: Alert
            do { alert = try await location.open().add(name: name, query: query, webhook: webhook) } catch let error as AlertError {
                throw CLIError(error.description)
            }
            if json { try printJSON(alert) } else { print("saved alert #\(alert.id): \(alert.name) — \(alert.query)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the saved searches.")
        @OptionGroup var location: Location
        @Flag(help: "Print JSON (an array of saved searches).")
        var json = false

        func run() async throws {
            let (alerts, counts) = try await Self.read(location.open())
            if json { return try printJSON(alerts) }
            if alerts.isEmpty { print("no saved searches") }
            for alert in alerts {
                let hook = alert.webhook.map { " → \($0)" } ?? ""
                print("#\(alert.id)  \(alert.name)  «\(alert.query)»  \(counts[alert.id] ?? 0) match(es)\(hook)")
            }
        }

        static func read(_ store: AlertStore) async throws -> ([Alert], [Int64: Int]) {
            do { return (try await store.alerts(), try await store.matchCounts()) } catch { throw CLIError(error.description) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a saved search (and its matches) by id.")
        @OptionGroup var location: Location
        @Argument var id: Int64

        func run() async throws {
            let removed: Bool
            do { removed = try await location.open().remove(id: id) } catch let error as AlertError { throw CLIError(error.description) }
            guard removed else { throw CLIError("no alert #\(id)") }
            print("removed alert #\(id)")
        }
    }
}

private func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
}
