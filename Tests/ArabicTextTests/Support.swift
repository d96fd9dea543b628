import Foundation
import Testing

/// Expects two strings to be equal scalar for scalar.
///
/// `==` on `String` compares canonical equivalence: "ا" + U+0654 == "أ" is true. The analyzer's
/// output must be exact, so the tests compare UTF-8 bytes and print scalars on failure.
func expectExact(_ actual: String?, _ expected: String?, _ comment: Comment? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    let same = actual.map { Array($0.utf8) } == expected.map { Array($0.utf8) }
    #expect(same, "\(describe(actual)) is not \(describe(expected))\(comment.map { ": \($0)" } ?? "")",
            sourceLocation: sourceLocation)
}

/// Expects two string arrays to be equal scalar for scalar.
func expectExact(_ actual: [String], _ expected: [String], _ comment: Comment? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    let same = actual.map { Array($0.utf8) } == expected.map { Array($0.utf8) }
    #expect(same, "\(actual.map(describe)) is not \(expected.map(describe))\(comment.map { ": \($0)" } ?? "")",
            sourceLocation: sourceLocation)
}

/// `"text" [U+0627 U+0654]`: the string and its scalars.
func describe(_ string: String?) -> String {
    guard let string else { return "nil" }
    let scalars = string.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
    return "\"\(string)\" [\(scalars)]"
}

/// The substring of `text` at the UTF-8 byte range `range`.
func substring(_ text: String, utf8 range: Range<Int>) -> String {
    String(decoding: Array(text.utf8)[range], as: UTF8.self)
}
