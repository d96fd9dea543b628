// swift-tools-version: 6.1
// Marsad — an Arabic news drop-folder indexer for Linux.
//
// Targets depend one way only:
//   FilePaths, ArabicText → Articles → Stories → ArticleIndex → Ingestion → InboxWatcher → Daemon → Server → marsad
//   (Alerts, on ArticleIndex alone, feeds Server; SystemdSupport, a leaf beside them, is glued to the daemon in marsad)
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Marsad",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "marsad", targets: ["marsad"]),
        .library(name: "ArabicText", targets: ["ArabicText"]),
        .library(name: "Articles", targets: ["Articles"]),
        .library(name: "ArticleIndex", targets: ["ArticleIndex"]),
        .library(name: "Ingestion", targets: ["Ingestion"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // Byte-exact paths: keys that compare bytes (NFC and NFD names are two files), names that are not
        // UTF-8 kept losslessly, and the one rule for temporary names. Standard library only.
        .target(name: "FilePaths", swiftSettings: strict),
        // statfs and pthread_setname_np, which Swift's Glibc module does not import.
        .target(name: "CLinux"),
        // Arabic text analysis: tokenizer, normalizer, stemmer, stop words. Standard library only.
        .target(name: "ArabicText", swiftSettings: strict),
        // Turns the bytes of a dropped file into a structured `Article`. No I/O.
        .target(
            name: "Articles",
            dependencies: ["ArabicText"],
            swiftSettings: strict),
        // Near-duplicate fingerprints (MinHash) and story profiles, and the rules that group articles into
        // stories. No I/O: the index stores what these compute.
        .target(
            name: "Stories",
            dependencies: ["ArabicText", "Articles"],
            swiftSettings: strict),
        // libzstd from Debian's libzstd-dev: the index stores article text compressed.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // The index behind the `ArticleStore` protocols, and its SQLite backend (GRDB, FTS5).
        .target(
            name: "ArticleIndex",
            dependencies: [
                "ArabicText", "Articles", "CZstd", "FilePaths", "Stories",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The one ingest pipeline: reading files, the work queue, the workers, the single writer, the reconciler.
        .target(
            name: "Ingestion",
            dependencies: [
                "Articles", "ArticleIndex", "FilePaths",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strict),
        // Watches a directory tree with inotify and reports what changed in it.
        .target(
            name: "InboxWatcher",
            dependencies: [
                "CLinux", "FilePaths",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict),
        // The long-running service: the watcher and the timers feeding the pipeline, its state, configuration.
        .target(
            name: "Daemon",
            dependencies: [
                "ArticleIndex", "FilePaths", "Ingestion", "InboxWatcher",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        // Saved searches, their matches and their webhook calls, in serve's own SQLite file.
        .target(
            name: "Alerts",
            dependencies: [
                "ArticleIndex",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // The HTML pages: templates (swift-mustache) and static files, embedded by scripts/gen-web-assets.
        .target(
            name: "WebPages",
            dependencies: [
                "Alerts", "ArticleIndex",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["Templates", "Static"],
            swiftSettings: strict),
        // `marsad serve`: the HTTP API (Hummingbird 2) over a read-only index, and the pages.
        .target(
            name: "Server",
            dependencies: [
                "Alerts", "ArabicText", "WebPages", "ArticleIndex", "Articles", "Daemon", "FilePaths", "Ingestion",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // libsystemd (sd_journal_sendv, sd_notify) from Debian's libsystemd-dev.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // systemd and journald glue, a leaf that knows nothing of the daemon: journal and console log
        // handlers, sd_notify readiness, status and watchdog.
        .target(
            name: "SystemdSupport",
            dependencies: [
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The thin command-line front end.
        .executableTarget(
            name: "marsad",
            dependencies: [
                "Alerts", "ArabicText", "Articles", "ArticleIndex", "FilePaths", "Ingestion", "Daemon", "Server",
                "SystemdSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),

        // Micro-benchmarks run by scripts/bench-* in a release build (not tests).
        .executableTarget(
            name: "marsad-bench",
            dependencies: ["ArabicText", "Articles", "ArticleIndex", "Ingestion", "Stories"],
            swiftSettings: strict),

        .testTarget(name: "FilePathsTests", dependencies: ["FilePaths"], swiftSettings: strict),
        .testTarget(name: "ArabicTextTests", dependencies: ["ArabicText"],
                    resources: [.copy("Vectors")], swiftSettings: strict),
        .testTarget(name: "ArticlesTests", dependencies: ["Articles", .product(name: "Crypto", package: "swift-crypto")],
                    resources: [.copy("Golden")], swiftSettings: strict),
        .testTarget(name: "StoriesTests", dependencies: ["Stories", "Articles", "ArabicText"], swiftSettings: strict),
        .testTarget(name: "ArticleIndexTests",
                    dependencies: ["ArticleIndex", "Articles", "ArabicText", "FilePaths",
                                   .product(name: "GRDB", package: "GRDB.swift"),
                                   .product(name: "Crypto", package: "swift-crypto")],
                    swiftSettings: strict),
        // What the test targets share: temp folders, the seeds, shell commands, a store with faults on cue,
        // and an in-process daemon on swift-service-lifecycle's test kit.
        .target(
            name: "TestSupport",
            dependencies: [
                "ArticleIndex", "Daemon", "FilePaths", "Ingestion",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict),
        .testTarget(name: "IngestionTests",
                    dependencies: ["Ingestion", "ArticleIndex", "Articles", "FilePaths", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "InboxWatcherTests", dependencies: ["InboxWatcher", "FilePaths"], swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "ArticleIndex", "Ingestion", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "ServerTests",
                    dependencies: ["Alerts", "Server", "WebPages", "ArticleIndex", "Ingestion", "TestSupport",
                                   .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "HTTPTypes", package: "swift-http-types"),
                                   .product(name: "Logging", package: "swift-log"),
                                   .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")],
                    swiftSettings: strict),
        .testTarget(name: "SystemdSupportTests", dependencies: ["SystemdSupport"], swiftSettings: strict),
        .testTarget(name: "MarsadCLITests", dependencies: ["marsad"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
