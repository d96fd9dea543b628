import ArabicText
import Articles
import Testing
@testable import Stories

private let analyzer = ArabicAnalyzer()

private let paragraphs = [
    "أعلن المعهد الوطني للجيوفيزياء أن زلزالا بقوة 5.4 درجات ضرب فجر الثلاثاء إقليم تارودانت جنوب المغرب.",
    "وقالت وزارة الداخلية إن ثلاثة أشخاص لقوا حتفهم وأصيب 47 آخرون، فيما تضرر 1350 منزلا في القرى الجبلية.",
    "وأرسلت السلطات فرق الإنقاذ والوقاية المدنية إلى الدواوير المتضررة، ونصبت خياما لإيواء الأسر.",
    "وشعر سكان مراكش وأكادير بالهزة التي استمرت ثواني، وخرج كثيرون إلى الشوارع خوفا من هزات ارتدادية.",
    "ويقع المغرب في منطقة نشاط زلزالي، وكان زلزال الحوز في سبتمبر 2023 قد أودى بحياة نحو ثلاثة آلاف شخص.",
]

private func fingerprint(_ text: String) -> BodyFingerprint? {
    BodyFingerprint(analyzedBody: analyzer.indexText(text))
}

private func profile(title: String, lead: String, paragraphs: [String] = [], publishedAt: String? = nil,
                     quotes: [Quote] = []) -> StoryProfile {
    let article = Article(title: title, lead: lead, paragraphs: paragraphs, publishedAt: publishedAt, quotes: quotes)
    return StoryProfile(article: article, titleTerms: analyzer.indexText(title),
                        bodyTerms: analyzer.indexText(article.body), analyzer: analyzer)
}

@Suite struct BodyFingerprintTests {
    @Test func sameTextIsIdentical() throws {
        let a = try #require(fingerprint(paragraphs.joined(separator: "\n\n")))
        let b = try #require(fingerprint(paragraphs.joined(separator: "\n\n")))
        #expect(a == b)
        #expect(a.similarity(to: b) == 1)
        #expect(a.signature.count == BodyFingerprint.hashCount)
        #expect(a.bandKeys.count == BodyFingerprint.bandCount)
    }

    @Test func spacingAndDiacriticsDoNotCount() throws {
        let plain = try #require(fingerprint(paragraphs.joined(separator: "\n\n")))
        let spaced = try #require(fingerprint(paragraphs.joined(separator: "\r\n\r\n  ").replacingOccurrences(of: " ", with: "  ")))
        #expect(plain.similarity(to: spaced) == 1)
    }

    @Test func aDroppedParagraphIsStillANearDuplicate() throws {
        let whole = try #require(fingerprint(paragraphs.joined(separator: "\n\n")))
        let cut = try #require(fingerprint(paragraphs.dropLast().joined(separator: "\n\n")))
        #expect(whole.isNearDuplicate(of: cut))
        #expect(Set(whole.bandKeys).intersection(cut.bandKeys).count > 0)
    }

    @Test func anotherTextOnTheSameEventIsNot() throws {
        let whole = try #require(fingerprint(paragraphs.joined(separator: "\n\n")))
        let other = try #require(fingerprint("""
            لقي ثلاثة مغاربة مصرعهم وأصيب 47 في هزة أرضية بلغت 5.4 درجات ضربت منطقة تارودانت، بحسب حصيلة رسمية. \
            وهرعت فرق الوقاية المدنية إلى القرى، بينما أمضى السكان ليلتهم في العراء خشية تجدد الهزات.
            """))
        #expect(!whole.isNearDuplicate(of: other))
        #expect(whole.similarity(to: other) < 0.2)
    }

    @Test func tooShortABodyHasNone() {
        #expect(fingerprint("") == nil)
        #expect(fingerprint("زلزال تارودانت") == nil)
        #expect(fingerprint("زلزال يضرب تارودانت فجرا") != nil)
    }

    @Test func storedBytesRoundTrip() throws {
        let a = try #require(fingerprint(paragraphs.joined(separator: "\n\n")))
        #expect(BodyFingerprint(bytes: a.bytes)?.signature == a.signature)
        #expect(BodyFingerprint(bytes: [1, 2, 3]) == nil)
    }
}

@Suite struct StoryProfileTests {
    @Test func headlineWordsAndNumbersWeighMost() {
        let p = profile(title: "زلزال تارودانت", lead: paragraphs[0], paragraphs: Array(paragraphs.dropFirst()))
        #expect(p.keys.count <= StoryProfile.keyCount)
        let heaviest = Set(p.keys.prefix(4).map(\.term))
        #expect(heaviest.contains(StoryProfile.termHash(analyzer.term(for: "تارودانت")!)))
        // Years are left out: every article of 2023 has one.
        #expect(!p.keys.contains { $0.term == StoryProfile.termHash("2023") })
        #expect(p.keys.contains { $0.term == StoryProfile.termHash("1350") })
    }

    @Test func dayFromPublicationOrFirstNamedDate() {
        #expect(StoryProfile.day("1970-01-02") == 1)
        #expect(StoryProfile.day("2024-01-25T15:41:00Z") == 19747)
        #expect(StoryProfile.day("2024-02-30") != nil)  // as written; a bad day of the month still orders
        #expect(StoryProfile.day("25/01/2024") == nil)
        #expect(StoryProfile.day("") == nil)
        let dated = profile(title: "a", lead: "b", publishedAt: "2024-01-25")
        #expect(dated.day == 19747)
        let undated = profile(title: "a", lead: "b")
        #expect(undated.day == nil)
    }

    @Test func storedBytesRoundTrip() throws {
        let p = profile(title: "زلزال تارودانت", lead: paragraphs[0], paragraphs: Array(paragraphs.dropFirst()),
                        publishedAt: "2024-03-12", quotes: [Quote(text: "نعمل على إيواء الأسر", speaker: "عامل الإقليم محمد بوعزة")])
        #expect(p.speakers.count == 1)
        #expect(StoryProfile(bytes: p.bytes) == p)
        #expect(StoryProfile(bytes: []) == nil)
        #expect(StoryProfile(bytes: [1, 5, 0]) == nil)
    }
}

@Suite struct StoryRulesTests {
    let quake = profile(title: "زلزال بقوة 5.4 درجات يضرب تارودانت", lead: paragraphs[0],
                        paragraphs: Array(paragraphs.dropFirst()), publishedAt: "2024-03-12")
    let quakeOther = profile(title: "ثلاثة قتلى و47 مصابا في هزة أرضية بتارودانت",
                             lead: "لقي ثلاثة أشخاص مصرعهم وأصيب 47 في هزة أرضية بقوة 5.4 درجات ضربت إقليم تارودانت.",
                             paragraphs: ["وتضرر 1350 منزلا، وأرسلت الوقاية المدنية فرق الإنقاذ إلى القرى الجبلية."],
                             publishedAt: "2024-03-12")
    let football = profile(title: "الأهلي يفوز على الزمالك بهدفين", lead: "فاز الأهلي على الزمالك بهدفين دون رد في الدوري.",
                           publishedAt: "2024-03-12")

    @Test func sameEventInOtherWordsJoins() {
        #expect(StoryRules.similarity(quake, quakeOther) >= StoryRules.joinThreshold)
        #expect(StoryRules.similarity(quake, football) < StoryRules.joinThreshold)
    }

    @Test func similarityIsSymmetric() {
        #expect(abs(StoryRules.similarity(quake, quakeOther) - StoryRules.similarity(quakeOther, quake)) < 1e-9)
    }

    @Test func decisions() {
        let a = StoryRules.Candidate(articleID: 1, storyID: 7, profile: quake)
        let b = StoryRules.Candidate(articleID: 2, storyID: 3, profile: quake)
        let c = StoryRules.Candidate(articleID: 3, storyID: 9, profile: football)
        #expect(StoryRules.decide(quakeOther, among: []).0 == .start)
        #expect(StoryRules.decide(quakeOther, among: [c]).0 == .start)
        #expect(StoryRules.decide(quakeOther, among: [a, c]).0 == .join(7))
        // Similar to articles of two stories: they merge into the older (smaller) id.
        #expect(StoryRules.decide(quakeOther, among: [a, b, c]).0 == .merge(into: 3, others: [7]))
    }

    @Test func daysApartWeighLess() {
        var later = quakeOther
        later.day = quake.day.map { $0 + 3 }
        #expect(StoryRules.similarity(quake, later) < StoryRules.similarity(quake, quakeOther))
    }
}
