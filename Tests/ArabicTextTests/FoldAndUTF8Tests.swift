import Foundation
import Testing
@testable import ArabicText

@Suite("The one Arabic fold and the one UTF-8 decoder")
struct FoldAndUTF8Tests {
    /// For every Arabic-block scalar that NFKC leaves alone, the fold and the normalizer (extended rules) give
    /// the same letter: the parser's matching and the index's analysis agree on what is one word. (The fold does
    /// no NFKC: U+0675–U+0678, the high-hamza letters, decompose under NFKC and are kept whole by the fold.)
    @Test func foldAgreesWithTheNormalizer() {
        let normalizer = ArabicNormalizer()
        var disagreements: [String] = []
        for value in UInt32(0x0600)...0x06FF {
            guard let scalar = Unicode.Scalar(value), scalar.properties.generalCategory != .unassigned,
                  String(scalar).precomposedStringWithCompatibilityMapping == String(scalar) else { continue }
            let folded = ArabicFold.matchingForm(value).flatMap(Unicode.Scalar.init).map { String($0) } ?? ""
            let normalized = normalizer.normalize(String(scalar))
            if folded != normalized && !normalized.isEmpty && !folded.isEmpty {
                disagreements.append(String(value, radix: 16))
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements)")
        #expect(ArabicFold.matchingForm(0x0623) == 0x0627 && ArabicFold.matchingForm(0x0651) == nil)
        #expect(ArabicFold.matchingForm(0x0663) == 0x33 && ArabicFold.matchingForm(0x41) == 0x61)
    }

    @Test("decoding and encoding round-trip every scalar; a truncated sequence gives U+FFFD, never a crash")
    func roundTrip() {
        for value in [0x41, 0x7F, 0x80, 0x627, 0x7FF, 0x800, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF] as [UInt32] {
            var bytes: [UInt8] = []
            UTF8Scalars.append(value, to: &bytes)
            #expect(bytes == Array(String(Unicode.Scalar(value)!).utf8))
            let forward = UTF8Scalars.decode(at: 0, in: bytes)
            let backward = UTF8Scalars.decode(endingAt: bytes.count, in: bytes)
            let raw = bytes.withUnsafeBufferPointer { UTF8Scalars.decode($0.baseAddress!, 0) }
            #expect(forward.value == value && forward.length == bytes.count)
            #expect(backward.value == value && backward.length == bytes.count)
            #expect(raw.value == value && raw.length == bytes.count)
            #expect(UTF8Scalars.width(bytes[0]) == bytes.count)
        }
        #expect(UTF8Scalars.decode(at: 0, in: [0xD9]).value == 0xFFFD)
        #expect(UTF8Scalars.decode(at: 0, in: [0xF0, 0x9F]).value == 0xFFFD)
    }
}
