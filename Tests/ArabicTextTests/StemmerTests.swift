import ArabicText
import Testing

@Suite("ArabicStemmer")
struct StemmerTests {
    let stemmer = ArabicStemmer()

    @Test("light10's affixes, in Lucene's order")
    func affixLists() {
        #expect(ArabicStemmer.prefixes == ["ال", "وال", "بال", "كال", "فال", "لل", "و"])
        #expect(ArabicStemmer.suffixes == ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"])
    }

    @Test("The one-letter prefix و needs a word of 4 characters",
          arguments: [("ولد", "ولد"), ("وولد", "ولد"), ("وهم", "وهم"), ("وحسن", "حسن")])
    func wawPrefix(_ word: String, _ stem: String) {
        expectExact(stemmer.stem(word), stem)
    }

    @Test("Other prefixes need 2 characters left, and a prefix too long for the word lets the next one try",
          arguments: [
            ("الم", "الم"),      // ال would leave 1 character
            ("الحب", "حب"),
            ("والد", "الد"),     // وال would leave 1; و applies (4 characters)
            ("للم", "للم"),
            ("للعب", "عب"),
            ("بالم", "بالم"),    // بال would leave 1; no other prefix matches
          ])
    func otherPrefixes(_ word: String, _ stem: String) {
        expectExact(stemmer.stem(word), stem)
    }

    @Test("At most one prefix is removed")
    func onePrefix() {
        expectExact(stemmer.stem("والالعاب"), "العاب")
        expectExact(stemmer.stem("ووالد"), "والد")
    }

    @Test("Suffixes are removed in order, each once, while 2 characters remain",
          arguments: [
            ("ساهدهات", "ساهد"),   // ات, then ه
            ("كتبها", "كتب"),
            ("بها", "بها"),        // ها would leave 1 character
            ("ابنه", "ابن"),
            ("هيه", "هي"),          // يه would leave 1; ه leaves 2
            ("مدرسيه", "مدرس"),
            ("العربية", "عرب"),     // ال, ية
            ("لي", "لي"),
          ])
    func suffixes(_ word: String, _ stem: String) {
        expectExact(stemmer.stem(word), stem)
    }

    @Test("Words without Arabic affixes are unchanged")
    func unchanged() {
        for word in ["", "English", "2024", "كتاب", "12٫5"] {
            expectExact(stemmer.stem(word), word)
        }
    }

    @Test("Lengths count UTF-16 units: a character outside the BMP counts twice")
    func utf16Lengths() {
        // 𝐀 (U+1D400) is two UTF-16 units, so "ال𝐀" has Lucene length 4 and loses ال.
        expectExact(stemmer.stem("ال𝐀"), "𝐀")
        expectExact(stemmer.stem("الA"), "الA")
    }

    @Test("removingPrefix removes only the prefix")
    func removingPrefix() {
        expectExact(stemmer.removingPrefix("المشروبات"), "مشروبات")
        expectExact(stemmer.removingPrefix("الح"), "الح")
        expectExact(stemmer.removingPrefix("الح", forPrefixQuery: true), "ح")
        expectExact(stemmer.removingPrefix("ال", forPrefixQuery: true), "ال")
    }
}
