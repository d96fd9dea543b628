import Testing
@testable import ArabicText

@Test func normalizesAlefForms() {
    #expect(ArabicAnalyzer().term(for: "أحمد") == "احمد")
}
