import Foundation
import Testing
@testable import ArabicText

/// `UnicodeInfoData.swift` is generated: the info entry of every BMP scalar, which the tokenizer reads for
/// every scalar it meets. These tests hold it equal to what the standard library and the NFKC data give
/// today, and regenerate it when asked (`scripts/gen-unicode-info`).
@Suite("The generated info table")
struct UnicodeInfoTests {
    static let dataFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/ArabicText/UnicodeInfoData.swift").standardized

    @Test("the committed runs decode to the table computed from the standard library and the NFKC data")
    func runsMatchTheComputedTable() throws {
        let computed = UnicodeTables.computeInfo()
        if ProcessInfo.processInfo.environment["MARSAD_WRITE_UNICODE_INFO"] == "1" {
            try Self.source(UnicodeTables.encode(computed)).write(to: Self.dataFile, atomically: true, encoding: .utf8)
        }
        let decoded = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x1_0000)
        defer { decoded.deallocate() }
        UnicodeTables.decode(unicodeInfoRuns, into: decoded)
        let differing = (0..<0x1_0000).filter { decoded[$0] != computed[$0] }
        #expect(differing.count == 0, """
            \(differing.count) scalars differ, the first \(differing.prefix(10).map { String(format: "U+%04X", $0) }): \
            the toolchain's Unicode data or the rules changed; regenerate with scripts/gen-unicode-info and review the diff \
            (a change of the analysis also needs a new ArabicAnalyzer.version)
            """)
        #expect(UnicodeTables.shared.info[0x627] == computed[0x627])
    }

    @Test("runs round-trip, whatever the first and last entries")
    func encodeDecode() {
        var table = [UInt16](repeating: 7, count: 0x1_0000)
        table[0] = 1
        table[0xFFFF] = 2
        for cp in 0x600..<0x700 { table[cp] = UInt16(cp & 3) }
        let runs = UnicodeTables.encode(table)
        let decoded = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x1_0000)
        defer { decoded.deallocate() }
        UnicodeTables.decode(runs, into: decoded)
        #expect((0..<0x1_0000).allSatisfy { decoded[$0] == table[$0] })
        #expect(runs.first == 1 && runs.last == 0xFFFF_0002)
    }

    /// The file's text: the runs, eight to a line, under a header that says where they come from.
    static func source(_ runs: [UInt32]) -> String {
        let newest = (0..<UInt32(0x11_0000)).compactMap { Unicode.Scalar($0)?.properties.age }
            .max { ($0.major, $0.minor) < ($1.major, $1.minor) }
        let version = newest.map { "\($0.major).\($0.minor)" } ?? "?"
        var lines = ["""
            // GENERATED FILE — do not edit by hand. Regenerate with scripts/gen-unicode-info.
            //
            // The info entry of every BMP scalar (see ``UnicodeTables``) as runs: a run's first scalar in the high
            // 16 bits, the entry of every scalar up to the next run's first in the low 16 bits. Computed by
            // `UnicodeTables.computeInfo()` from the standard library's Unicode \(version) properties and the NFKC data of
            // CompatibilityData.swift; `UnicodeInfoTests` holds the two equal.

            /// The runs of the info table, \(runs.count) of them.
            let unicodeInfoRuns: [UInt32] = [
            """]
        for start in stride(from: 0, to: runs.count, by: 8) {
            lines.append("    " + runs[start..<min(start + 8, runs.count)]
                .map { "0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 8) + "," }.joined(separator: " "))
        }
        lines.append("]\n")
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
