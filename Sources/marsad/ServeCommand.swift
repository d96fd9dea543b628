import ArgumentParser
import Foundation
import Logging
import Server
import ServiceLifecycle
import SystemdSupport

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API over the index (read-only, beside `marsad run`), until SIGTERM or SIGINT.",
        discussion: """
            Binds loopback by default. Prints "listening on ADDRESS" once the socket is bound (port 0 picks a \
            free port). With --token-file, every /api and /feeds request needs "Authorization: Bearer TOKEN" \
            (the file's first line). See README.md "The HTTP API" and deploy/openapi.yaml.
            """)

    @OptionGroup var index: IndexOptions

    @Option(help: "HOST:PORT, [IPv6]:PORT, or unix:PATH.")
    var listen: String = ListenAddress.loopback.description

    @Option(help: "A file whose first line is the bearer token that /api and /feeds require.")
    var tokenFile: String?

    @Option(help: "Where logs go: auto (journald under systemd, else standard error), journald, console.")
    var logTarget: LogTarget = .auto

    func run() async throws {
        let address: ListenAddress
        do { address = try ListenAddress(parsing: listen) } catch { throw CLIError(error.description) }
        var token: String?
        if let tokenFile {
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
        LogLevelControl.shared.bootstrap(level: Logger.Level(rawValue: index.logLevel) ?? .notice, target: logTarget)
        let logger = Logger(label: "marsad.serve")
        if !address.isLocalOnly && token == nil {
            logger.warning("serving \(address) beyond this machine without --token-file: anyone who can reach it can search the index")
        }
        let server = MarsadServer(configuration: .init(database: index.databasePath, listen: address, token: token),
                                  logger: logger)
        let services = server.services { bound in
            logger.notice("listening on \(bound)", metadata: ["event": "listening"])
            FileHandle.standardOutput.write(Data("listening on \(bound)\n".utf8))
        }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await server.index.close()
    }
}
