import Foundation

/// Reads a whole file, or exits with a message naming it.
func readFileOrExit(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("marsad-bench: cannot read \(path)\n".utf8))
        exit(2)
    }
    return [UInt8](data)
}

/// Seconds taken by `body`, on the monotonic clock.
func seconds(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let elapsed = clock.measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
