// swift-tools-version:5.4
// libFuzzer target for the Marsad article parser. Not part of the main package: having its own
// Package.swift makes SwiftPM skip this folder when building the top level.
//
// Why tools version 5.4: from 5.5 on, SwiftPM renames an executable's entry point to
// `<Module>_main` and links it with `--defsym main=ArticleFuzz_main`. A libFuzzer target has no
// entry point of its own (`-parse-as-library`; libFuzzer supplies `main`), so that alias cannot
// resolve and linking fails. With 5.4 SwiftPM leaves `main` alone. The Articles code itself is
// still compiled by the main package's rules (Swift 6 mode), as a dependency.
// Build and run: see README.md.
import PackageDescription

let package = Package(
    name: "ArticleFuzz",
    dependencies: [
        .package(name: "Marsad", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "ArticleFuzz",
            dependencies: [.product(name: "Articles", package: "Marsad")]),
    ]
)
