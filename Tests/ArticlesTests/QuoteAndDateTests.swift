import Testing
@testable import Articles

/// Quotation styles with each speaker pattern, and each date style.
@Suite struct QuoteTests {
    func quotes(_ body: String) throws -> [Quote] {
        try Fixtures.parse("عنوان الخبر\n" + body).quotes
    }

    @Test func curlyQuoteAfterQalaInna() throws {
        #expect(try quotes("وقال المتحدث باسم الحكومة، باسم العوادي، لوسائل إعلام رسمية، إن “رئيس الوزراء تعهد بإنهاء المهمة”.")
                == [Quote(text: "رئيس الوزراء تعهد بإنهاء المهمة", speaker: "المتحدث باسم الحكومة، باسم العوادي")])
    }

    @Test func mirroredCurlyQuotes() throws {
        #expect(try quotes("قال الوزير إن ”الاتفاق سيوقع خلال أيام قليلة“.")
                == [Quote(text: "الاتفاق سيوقع خلال أيام قليلة", speaker: "الوزير")])
    }

    @Test func straightQuoteAfterColon() throws {
        #expect(try quotes("وقال البيان: \"تعلن الحكومة العراقية نجاح جولات التفاوض\".")
                == [Quote(text: "تعلن الحكومة العراقية نجاح جولات التفاوض", speaker: "البيان")])
    }

    @Test func guillemetsWithNameAndColon() throws {
        #expect(try quotes("السوداني: «إنهاء مهمة التحالف ضرورة لأمن العراق»")
                == [Quote(text: "إنهاء مهمة التحالف ضرورة لأمن العراق", speaker: "السوداني")])
    }

    @Test func speakerAfterTheQuote() throws {
        #expect(try quotes("“نهاية مهمة التحالف الدولي ضرورة لأمن العراق”، صرح السوداني خلال حدث تلفزيوني.")
                == [Quote(text: "نهاية مهمة التحالف الدولي ضرورة لأمن العراق", speaker: "السوداني")])
    }

    @Test func speakerBeforeQadVerbAndContinuations() throws {
        let q = try quotes("""
            وكان المتحدث باسم القيادة اللواء يحيى رسول، قد أكد في وقت سابق، أن الانسحاب "جارٍ على قدم وساق".
            وأضاف: "نحن الآن نقوم بهذا الدور إلى حد كبير".
            """)
        #expect(q == [Quote(text: "جارٍ على قدم وساق", speaker: "المتحدث باسم القيادة اللواء يحيى رسول"),
                      Quote(text: "نحن الآن نقوم بهذا الدور إلى حد كبير", speaker: "المتحدث باسم القيادة اللواء يحيى رسول")])
    }

    @Test func participleUsesTheSentenceSpeaker() throws {
        #expect(try quotes("وأشار العوادي إلى أهمية الحوار، مضيفا أن “هذا التحالف لا يمكن أن يبقى”.")
                == [Quote(text: "هذا التحالف لا يمكن أن يبقى", speaker: "العوادي")])
    }

    @Test func secondQuoteOpeningASentenceContinuesTheFirst() throws {
        #expect(try quotes("قال العوادي إن “المهمة ستنتهي قريبا جدا”. “لقد تم وضع الرحلة على المسار الصحيح.”")
                == [Quote(text: "المهمة ستنتهي قريبا جدا", speaker: "العوادي"),
                    Quote(text: "لقد تم وضع الرحلة على المسار الصحيح.", speaker: "العوادي")])
    }

    @Test func namesAndTermsInQuotesAreNotQuotations() throws {
        #expect(try quotes("وقال القيادي في مليشيا \"أنصار الله\" لـ\"العربي الجديد\" إن تنظيم \"داعش\" وصفها بأنها «انتقال».").isEmpty)
    }

    @Test func quoteWithoutSpeakerPattern() throws {
        #expect(try quotes("ووفقا لبيان المكتب، فإن الأخير بحث \"التقدم الحاصل في إنهاء الدور القتالي\".")
                == [Quote(text: "التقدم الحاصل في إنهاء الدور القتالي", speaker: nil)])
    }

    @Test func englishSpeakerPatterns() throws {
        let a = try Fixtures.parse("""
            Iraq says coalition mission to end
            "We are committed to ending the mission," said spokesman Basim al-Awadi.
            "The coalition cannot stay forever," the prime minister said on Thursday.
            Secretary Lloyd Austin told reporters "the talks will take several months".
            """)
        #expect(a.quotes == [
            Quote(text: "We are committed to ending the mission", speaker: "spokesman Basim al-Awadi"),
            Quote(text: "The coalition cannot stay forever", speaker: "the prime minister"),
            Quote(text: "the talks will take several months", speaker: "Secretary Lloyd Austin"),
        ])
    }

    @Test func unclosedQuoteIsDroppedWithWarning() throws {
        let a = try Fixtures.parse("عنوان\nقال الوزير إن \"الاتفاق سيوقع خلال أيام قليلة")
        #expect(a.quotes.isEmpty)
        #expect(a.warnings.contains { $0.contains("unclosed quotation") })
    }
}

@Suite struct DateTests {
    func dates(_ body: String) throws -> [DateMention] {
        try Fixtures.parse("عنوان الخبر\n" + body).datesMentioned
    }

    @Test func egyptianLevantineAndCombinedMonths() throws {
        #expect(try dates("أعلنت بغداد، الخميس 25 يناير/كانون الثاني 2024، ثم في 3 شباط 2024 و1 تموز 2023 وفي 9 من مارس 2022.") == [
            DateMention(date: "2024-01-25", phrase: "25 يناير/كانون الثاني 2024"),
            DateMention(date: "2024-02-03", phrase: "3 شباط 2024"),
            DateMention(date: "2023-07-01", phrase: "1 تموز 2023"),
            DateMention(date: "2022-03-09", phrase: "9 من مارس 2022"),
        ])
    }

    @Test func levantineFirstWithEgyptianInParentheses() throws {
        #expect(try dates("في 31 كانون الأول (ديسمبر) 2021 انتهت المهمة.") == [
            DateMention(date: "2021-12-31", phrase: "31 كانون الأول (ديسمبر) 2021")])
    }

    @Test func monthAndYearOnly() throws {
        #expect(try dates("منذ أغسطس/آب 2023 وحتى تشرين الثاني 2024 وفي ديسمبر 2021.") == [
            DateMention(date: "2023-08", phrase: "أغسطس/آب 2023"),
            DateMention(date: "2024-11", phrase: "تشرين الثاني 2024"),
            DateMention(date: "2021-12", phrase: "ديسمبر 2021"),
        ])
    }

    @Test func arabicIndicDigits() throws {
        #expect(try dates("في ٢٥ يناير ٢٠٢٤ وفي ۳ مايو ۲۰۲۲ وفي ٢٠٢٤/٠١/٢٥.") == [
            DateMention(date: "2024-01-25", phrase: "٢٥ يناير ٢٠٢٤"),
            DateMention(date: "2022-05-03", phrase: "۳ مايو ۲۰۲۲"),
            DateMention(date: "2024-01-25", phrase: "٢٠٢٤/٠١/٢٥"),
        ])
    }

    @Test func englishDates() throws {
        #expect(try dates("He wrote on December 9, 2021 and on Dec. 10, 2021, then 3 March 2022 and in August 2023.") == [
            DateMention(date: "2021-12-09", phrase: "December 9, 2021"),
            DateMention(date: "2021-12-10", phrase: "Dec. 10, 2021"),
            DateMention(date: "2022-03-03", phrase: "3 March 2022"),
            DateMention(date: "2023-08", phrase: "August 2023"),
        ])
    }

    @Test func numericDates() throws {
        #expect(try dates("صدر في 2024/01/25 وعدل في 25-1-2024 ثم في 12/31/2023 وفي 2024.13.01.") == [
            DateMention(date: "2024-01-25", phrase: "2024/01/25"),
            DateMention(date: "2024-01-25", phrase: "25-1-2024"),
            DateMention(date: "2023-12-31", phrase: "12/31/2023"),
        ])
    }

    @Test func yearsWithAPrefixWord() throws {
        #expect(try dates("أطلقته واشنطن عام 2014 وانتصرت في نهاية 2017 ونحو 2500 جندي.") == [
            DateMention(date: "2014", phrase: "عام 2014"),
            DateMention(date: "2017", phrase: "نهاية 2017"),
        ])
    }

    @Test func notAbsoluteOrNotGregorian() throws {
        #expect(try dates("منذ 17 أكتوبر الماضي، يوم الأحد، في عام 1445 هـ، وفي 31 فبراير 2023، وفي مارس الماضي.").isEmpty)
    }

    @Test func repeatedDateIsListedOnce() throws {
        #expect(try dates("في عام 2014 ثم عام 2014 مرة أخرى.").count == 1)
    }
}
