import ArabicText
import Testing

@Suite("ArabicTokenizer")
struct TokenizerTests {
    let tokenizer = ArabicTokenizer()

    func texts(_ text: String) -> [String] { tokenizer.tokens(in: text).map(\.text) }

    @Test("The documented example")
    func documentedExample() {
        let text = "قال: «الحكومةُ» ١٢٫٥٪"
        let tokens = tokenizer.tokens(in: text)
        expectExact(tokens.map(\.text), ["قال", "الحكومةُ", "١٢٫٥"])
        #expect(tokens.map(\.utf8Range) == [0..<6, 10..<26, 29..<37])
    }

    @Test("Empty and blank input has no tokens")
    func emptyInput() {
        #expect(tokenizer.tokens(in: "").isEmpty)
        #expect(tokenizer.tokens(in: " \n\t ،؛؟ ... ").isEmpty)
    }

    @Test("Harakat never split a word")
    func harakat() {
        expectExact(texts("مَبْنًى عَلِيٌّ"), ["مَبْنًى", "عَلِيٌّ"])
    }

    @Test("Tatweel and superscript alef never split a word")
    func tatweelAndSuperscriptAlef() {
        expectExact(texts("روبرـــــت هٰذا"), ["روبرـــــت", "هٰذا"])
    }

    @Test("ZWNJ and ZWJ never split a word")
    func joiners() {
        expectExact(texts("می\u{200C}خواهم ب\u{200D}ت"), ["می\u{200C}خواهم", "ب\u{200D}ت"])
    }

    @Test("LRM, RLM and ALM never split a word, and do not start or end one")
    func bidiMarks() {
        let text = "\u{200F}كلمة\u{200F} أخ\u{061C}رى\u{200E}"
        let tokens = tokenizer.tokens(in: text)
        expectExact(tokens.map(\.text), ["كلمة", "أخ\u{061C}رى"])
        // RLM is 3 bytes, each Arabic letter 2, ALM 2.
        #expect(tokens.map(\.utf8Range) == [3..<11, 15..<25])
        expectExact(substring(text, utf8: tokens[0].utf8Range), "كلمة")
    }

    @Test("Punctuation, symbols and emoji split words")
    func separators() {
        expectExact(texts("سلام👋عليكم★مرحبا#هاشتاغ،و«قال»"),
                    ["سلام", "عليكم", "مرحبا", "هاشتاغ", "و", "قال"])
        expectExact(texts("(داعش)-2024/قوات_التحالف"), ["داعش", "2024", "قوات", "التحالف"])
    }

    @Test("Latin and Arabic letters are both letters")
    func mixedScripts() {
        expectExact(texts("قال Reuters إن iPhoneات"), ["قال", "Reuters", "إن", "iPhoneات"])
    }

    @Test("٫ and ٬ stay inside a number, between digits only (NumberTests has the whole rule)")
    func numberSeparators() {
        // ٬ groups thousands: it is dropped, and the number is one token.
        expectExact(texts("١٢٫٥ ١٬٠٠٠٬٠٠٠ 3٫14"), ["١٢٫٥", "١٠٠٠٠٠٠", "3٫14"])
        expectExact(texts("٫٥ ١٢٫ ١٢٫٫٣ ب٫٣ ٣٫ب"), ["٥", "١٢", "١٢", "٣", "ب", "٣", "٣", "ب"])
        // The ASCII separators too, written as ٫ when decimal.
        expectExact(texts("3.5 1,000"), ["3٫5", "1000"])
    }

    @Test("Digits of any script are word characters")
    func digits() {
        expectExact(texts("عام ۱۴۰۲ و२०२४"), ["عام", "۱۴۰۲", "و२०२४"])
    }

    @Test("Presentation forms become ordinary letters; offsets stay on the original")
    func presentationForms() {
        // ﺍﻟﺴﻼﻡ: five presentation-form scalars of 3 bytes each (the fourth is the lam-alef ligature ﻼ).
        let text = "قال ﺍﻟﺴﻼﻡ عليكم"
        let tokens = tokenizer.tokens(in: text)
        expectExact(tokens.map(\.text), ["قال", "السلام", "عليكم"])
        #expect(tokens.map(\.utf8Range) == [0..<6, 7..<22, 23..<33])
        expectExact(substring(text, utf8: tokens[1].utf8Range), "ﺍﻟﺴﻼﻡ")
    }

    @Test("The lam-alef ligature U+FEFB is lam + alef")
    func lamAlef() {
        let text = "ﻻجئون"
        let tokens = tokenizer.tokens(in: text)
        expectExact(tokens.map(\.text), ["لاجئون"])
        #expect(tokens.map(\.utf8Range) == [0..<11])
    }

    @Test("A ligature that is several words gives several tokens over the same original bytes")
    func multiWordLigature() {
        let text = "محمد ﷺ قال"
        let tokens = tokenizer.tokens(in: text)
        expectExact(tokens.map(\.text), ["محمد", "صلى", "الله", "عليه", "وسلم", "قال"])
        #expect(tokens[1...4].allSatisfy { $0.utf8Range == 9..<12 })
        #expect(tokens[5].utf8Range == 13..<19)
    }

    @Test("NFKC composes ا + U+0654 into أ, and the range covers both original scalars")
    func composesHamza() {
        let text = "سا\u{0654}ل"
        let tokens = tokenizer.tokens(in: text)
        expectExact(tokens.map(\.text), ["سأل"])
        #expect(tokens.map(\.utf8Range) == [0..<8])
    }

    @Test("NFKC folds fullwidth letters and superscript digits into word characters")
    func otherCompatibilityCharacters() {
        expectExact(texts("ＡＢＣ x² ﬁle"), ["ABC", "x2", "file"])
        // A no-break space is a space before and after NFKC.
        expectExact(texts("كلمة\u{00A0}أخرى"), ["كلمة", "أخرى"])
    }

    @Test("A run of marks alone is not a token")
    func marksAlone() {
        expectExact(texts("كلمة َ ّ أخرى"), ["كلمة", "أخرى"])
    }

    @Test("Offsets of every token point at its original spelling")
    func offsets() {
        let text = "  الحكومةُ العراقيّة\u{200C}، ﻻ؛ 12٫5 Ünïcödé! "
        for token in tokenizer.tokens(in: text) {
            let original = substring(text, utf8: token.utf8Range)
            #expect(!original.isEmpty)
            #expect(original.unicodeScalars.first.map { $0.properties.isWhitespace } == false)
        }
        expectExact(tokenizer.tokens(in: text).map { substring(text, utf8: $0.utf8Range) },
                    ["الحكومةُ", "العراقيّة", "ﻻ", "12٫5", "Ünïcödé"])
    }
}
