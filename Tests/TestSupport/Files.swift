import Foundation

/// A fresh temporary directory for `body`, removed afterwards (also when `body` throws).
public func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("marsad-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

/// The package's `seeds/`: five real Arabic news articles.
public let seedsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("seeds").path

/// The seed files, in name order.
public func seedPaths() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: seedsDirectory).filter { $0.hasSuffix(".txt") }.sorted()
        .map { seedsDirectory + "/" + $0 }
}

/// Runs a command the way a user would (`cp`, `mv`, `mkfifo`, `ln`); throws naming it when it fails.
@discardableResult
public func sh(_ command: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "sh", code: Int(process.terminationStatus),
                      userInfo: [NSLocalizedDescriptionKey: "failed (\(process.terminationStatus)): \(command)"])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Writes `bytes` to `path` in one go.
public func write(_ path: String, _ bytes: [UInt8]) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
