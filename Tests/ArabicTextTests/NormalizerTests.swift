import ArabicText
import Testing

@Suite("ArabicNormalizer")
struct NormalizerTests {
    let extended = ArabicNormalizer()
    let lucene = ArabicNormalizer(mode: .lucene)

    @Test("The default mode is the extended one")
    func defaultMode() {
        #expect(ArabicNormalizer().mode == .extended)
    }

    @Test("Both modes apply Lucene's rules", arguments: [ArabicNormalizer.Mode.lucene, .extended])
    func luceneRules(_ mode: ArabicNormalizer.Mode) {
        let normalizer = ArabicNormalizer(mode: mode)
        expectExact(normalizer.normalize("آجن أحمد إعاذ بنى فاطمة"), "اجن احمد اعاذ بني فاطمه")
        expectExact(normalizer.normalize("روبرـــــت"), "روبرت")
        expectExact(normalizer.normalize("ً ٌ ٍ َ ُ ِ ّ ْ"), "       ")
        expectExact(normalizer.normalize("ـ"), "")
        expectExact(normalizer.normalize(""), "")
    }

    @Test("ٱ (alef wasla) becomes ا")
    func alefWasla() {
        expectExact(extended.normalize("ٱلله"), "الله")
        expectExact(lucene.normalize("ٱلله"), "ٱلله")
    }

    @Test("Superscript alef U+0670 is removed")
    func superscriptAlef() {
        expectExact(extended.normalize("هٰذا"), "هذا")
        expectExact(lucene.normalize("هٰذا"), "هٰذا")
    }

    @Test("ZWNJ, ZWJ, LRM, RLM and ALM are removed",
          arguments: ["\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{061C}"])
    func invisibleMarks(_ mark: String) {
        expectExact(extended.normalize("كل\(mark)مه\(mark)"), "كلمه")
        expectExact(lucene.normalize("كل\(mark)مه"), "كل\(mark)مه")
    }

    @Test("Persian ی and ک become ي and ك")
    func persianLetters() {
        expectExact(extended.normalize("کتاب ایران"), "كتاب ايران")
        expectExact(lucene.normalize("کتاب ایران"), "کتاب ایران")
    }

    @Test("Decimal digits of every script become ASCII")
    func digits() {
        expectExact(extended.normalize("٠١٢٣٤٥٦٧٨٩"), "0123456789")
        expectExact(extended.normalize("۰۱۲۳۴۵۶۷۸۹"), "0123456789")
        expectExact(extended.normalize("२०२४ ߁߂"), "2024 12")
        expectExact(extended.normalize("١٢٫٥"), "12٫5")
        expectExact(lucene.normalize("١٢٣٤"), "١٢٣٤")
    }

    @Test("Cased letters are lowercased, one scalar to one scalar")
    func lowercase() {
        // ǅ is one scalar, but NFKC makes it two (D, ž) before lowercasing.
        expectExact(extended.normalize("ÉCOLE Straße İSTANBUL ΣΟΦΙΑ Москва Ա Ẽ ǅ"),
                    "école straße istanbul σοφια москва ա ẽ dž")
        expectExact(lucene.normalize("English"), "English")
    }

    @Test("NFKC: presentation forms, ligatures and fullwidth letters")
    func compatibilityForms() {
        expectExact(extended.normalize("ﻻ"), "لا")
        expectExact(extended.normalize("ﷲ"), "الله")
        expectExact(extended.normalize("ﺍﻟﺴﻼﻡ"), "السلام")
        expectExact(extended.normalize("ＡＢＣ１２"), "abc12")
        // Lucene's normalizer does not apply NFKC.
        expectExact(lucene.normalize("ﻻ"), "ﻻ")
    }

    @Test("ا + U+0654 composes into أ and then becomes ا, in extended mode only")
    func decomposedHamza() {
        expectExact(extended.normalize("سا\u{0654}ل"), "سال")
        expectExact(extended.normalize("سا\u{0654}ل"), extended.normalize("سأل"))
        expectExact(extended.normalize("و\u{0654}"), "ؤ")
        // Without NFKC the combining hamza stays, although Swift's == calls the two spellings equal.
        expectExact(lucene.normalize("سا\u{0654}ل"), "سا\u{0654}ل")
        #expect(lucene.normalize("سا\u{0654}ل") == "سأل")
    }

    @Test("Harakat in any order are removed; marks that stay are put in canonical order")
    func markOrder() {
        expectExact(extended.normalize("ب\u{064E}\u{0651}"), "ب")
        expectExact(extended.normalize("ب\u{0651}\u{064E}"), "ب")
        // Kept marks typed out of canonical order: U+0657 (class 230) before U+0656 (class 220).
        expectExact(extended.normalize("ب\u{0657}\u{0656}"), "ب\u{0656}\u{0657}")
        expectExact(extended.normalize("ب\u{0657}\u{064E}\u{0656}"), "ب\u{0656}\u{0657}")
        expectExact(extended.normalize("ب\u{0656}\u{0657}"), "ب\u{0656}\u{0657}")
        // U+0655 (hamza below, class 220) typed after U+0654 (class 230) is reordered by NFC,
        // but here NFC composes ا with the hamza below first: ا + U+0655 → إ → ا.
        expectExact(extended.normalize("ا\u{0654}\u{0655}"), "ا\u{0654}")
        // Two kept marks out of canonical order (U+0301 is class 230, U+0323 class 220).
        expectExact(extended.normalize("x\u{0301}\u{0323}"), "x\u{0323}\u{0301}")
    }

    @Test("A word is not split: spaces and punctuation stay")
    func notSplit() {
        expectExact(extended.normalize("Hello, World! ١"), "hello, world! 1")
    }
}
