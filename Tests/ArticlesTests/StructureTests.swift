import Testing
@testable import Articles

/// One hand-written case per structure the seeds show (headline, outlet and date lines,
/// captions, related links, embedded posts, furniture), built small enough to read at a glance.
@Suite struct StructureTests {
    let lead = "أعلنت الحكومة العراقية اليوم الخميس انتهاء جولة الحوار مع التحالف الدولي بقيادة الولايات المتحدة في بغداد."
    let second = "وشاركت الكثير من الدول في هذا التحالف لدعم القوات العراقية في القتال الذي خاضته ضد تنظيم داعش."

    @Test func headlineThenLead() throws {
        let a = try Fixtures.parse("الحكومة العراقية تحدد موعد الانسحاب\n\(lead)\n\(second)")
        #expect(a.title == "الحكومة العراقية تحدد موعد الانسحاب")
        #expect(!a.titleDerived)
        #expect(a.lead == lead)
        #expect(a.paragraphs == [second])
        #expect(a.body == lead + "\n\n" + second)
    }

    @Test func noHeadlineDerivesTitleFromFirstClause() throws {
        let text = "أعلن مستشار الأمن القومي قاسم الأعرجي، اليوم الخميس، انتهاء آخر جولات الحوار مع التحالف الدولي.\n\(second)"
        let a = try Fixtures.parse(text)
        #expect(a.titleDerived)
        #expect(a.title == "أعلن مستشار الأمن القومي قاسم الأعرجي")
        #expect(a.lead.hasPrefix("أعلن مستشار"))
        #expect(a.warnings.contains { $0.contains("no headline") })
    }

    @Test func singleLongBlockGetsFirstSentenceAsLead() throws {
        let sentence = "هذه جملة طويلة نسبيا عن الحوار بين العراق والولايات المتحدة حول مستقبل التحالف الدولي."
        let block = Array(repeating: sentence, count: 12).joined(separator: " ")
        let a = try Fixtures.parse("عنوان الخبر\n\(block)")
        #expect(a.lead == sentence)
        #expect(a.paragraphs.count == 1)
        #expect(a.warnings.contains { $0.contains("single block") })
    }

    @Test func outletPublishedAndUpdatedLines() throws {
        let text = """
            العراق يعلن اتفاقا مع أمريكا

            عربي بوست
            تم النشر: 2024/01/25 الساعة 15:41 بتوقيت غرينتش
            تم التحديث: 2024/01/26 الساعة 09:05 بتوقيت مكة المكرمة

            \(lead)
            """
        let a = try Fixtures.parse(text)
        #expect(a.title == "العراق يعلن اتفاقا مع أمريكا")
        #expect(a.source == "عربي بوست")
        #expect(a.publishedAt == "2024-01-25T15:41:00Z")
        #expect(a.updatedAt == "2024-01-26T09:05:00+03:00")
        #expect(a.lead == lead)
        #expect(a.paragraphs.isEmpty)
    }

    @Test func publicationDateWithoutTimeStaysADate() throws {
        let a = try Fixtures.parse("عنوان\nنشر في: 25 يناير 2024\n\(lead)")
        #expect(a.publishedAt == "2024-01-25")
    }

    @Test func publicationTimeWithoutZoneIsLocalWithWarning() throws {
        let a = try Fixtures.parse("عنوان\nتاريخ النشر: ٢٥/٠١/٢٠٢٤ - 3:41 م\n\(lead)")
        #expect(a.publishedAt == "2024-01-25T15:41:00")
        #expect(a.warnings.contains { $0.contains("time zone") })
    }

    @Test func knownOutletAboveLeadWithoutDateLine() throws {
        let a = try Fixtures.parse("عنوان الخبر هنا\nالجزيرة نت\n\(lead)")
        #expect(a.source == "الجزيرة نت")
        #expect(a.lead == lead)
    }

    @Test func sourceLabelAndByline() throws {
        let a = try Fixtures.parse("عنوان الخبر هنا\nبقلم: أحمد محمود\n\(lead)\nالمصدر: الجزيرة + وكالات")
        #expect(a.author == "أحمد محمود")
        #expect(a.source == "الجزيرة + وكالات")
        #expect(a.paragraphs.isEmpty)
    }

    @Test func captionsWithCreditPhotoLabelAndDuplicates() throws {
        let text = """
            عنوان الخبر
            قوات تابعة للجيش الأمريكي في العراق/ رويترز
            \(lead)
            رئيس الوزراء العراقي محمد شياع السوداني/ رويترز
            رئيس الوزراء العراقي محمد شياع السوداني/ رويترز
            صورة توضح رئيس الوزراء يحضر جلسة في دافوس
            صورة: جنود أمريكيون في قاعدة عين الأسد
            اجتماع اللجنة العسكرية في بغداد (أ ف ب)
            \(second)
            """
        let a = try Fixtures.parse(text)
        #expect(a.captions == [
            Caption(text: "قوات تابعة للجيش الأمريكي في العراق", credit: "رويترز"),
            Caption(text: "رئيس الوزراء العراقي محمد شياع السوداني", credit: "رويترز"),
            Caption(text: "صورة توضح رئيس الوزراء يحضر جلسة في دافوس"),
            Caption(text: "جنود أمريكيون في قاعدة عين الأسد"),
            Caption(text: "اجتماع اللجنة العسكرية في بغداد", credit: "أ ف ب"),
        ])
        #expect(a.lead == lead)
        #expect(a.paragraphs == [second])
    }

    @Test func monthAlternativeAtLineEndIsNotACaptionCredit() throws {
        let a = try Fixtures.parse("عنوان\n\(lead)\nوتستمر المحادثات حتى نهاية ديسمبر/ كانون الأول")
        #expect(a.captions.isEmpty)
        #expect(a.paragraphs.count == 1)
    }

    @Test func relatedBulletsAndReadAlso() throws {
        let text = """
            مستقبل التحالف تحت مجهر العراق
            \(lead)
            - «جدول زمني» لانسحاب التحالف.. هل تهدأ الهجمات؟
            • رسالة غريبة في العراق بين النفي والجدل
            \(second)
            اقرأ أيضاً: واشنطن تعلن خطة جديدة للمنطقة
            مواضيع ذات صلة
            الحكومة تناقش الموازنة العامة
            البرلمان يصوت على القانون
            """
        let a = try Fixtures.parse(text)
        #expect(a.related == [
            "«جدول زمني» لانسحاب التحالف.. هل تهدأ الهجمات؟",
            "رسالة غريبة في العراق بين النفي والجدل",
            "واشنطن تعلن خطة جديدة للمنطقة",
            "الحكومة تناقش الموازنة العامة",
            "البرلمان يصوت على القانون",
        ])
        #expect(a.paragraphs == [second])
    }

    @Test func bulletEndingWithFullStopStaysInBody() throws {
        let a = try Fixtures.parse("عنوان\n\(lead)\n- وهذه نقطة من نص المقال نفسه تنتهي بنقطة.")
        #expect(a.related.isEmpty)
        #expect(a.paragraphs == ["- وهذه نقطة من نص المقال نفسه تنتهي بنقطة."])
    }

    @Test func embeddedTweet() throws {
        let tweet = "اليوم أنهينا جولة الحوار الأخيرة مع التحالف الدولي."
        let text = """
            \(lead)
            \(tweet)
            — قاسم الاعرجي (@qassimalaraji) December 9, 2021
            \(second)
            """
        let a = try Fixtures.parse(text)
        #expect(a.embeddedPosts == [EmbeddedPost(author: "قاسم الاعرجي", handle: "@qassimalaraji", date: "2021-12-09", text: tweet)])
        #expect(a.lead == lead)
        #expect(a.paragraphs == [second])
        #expect(a.datesMentioned.contains(DateMention(date: "2021-12-09", phrase: "December 9, 2021")))
    }

    @Test func embeddedTweetOnOneLine() throws {
        let a = try Fixtures.parse("عنوان\n\(lead)\nنص التغريدة هنا pic.twitter.com/abc — Joe Biden (@POTUS) March 3, 2022\n\(second)")
        #expect(a.embeddedPosts == [EmbeddedPost(author: "Joe Biden", handle: "@POTUS", date: "2022-03-03",
                                                 text: "نص التغريدة هنا pic.twitter.com/abc")])
        #expect(a.paragraphs == [second])
    }

    @Test func trailingBoilerplateIsDropped() throws {
        let text = "عنوان\n\(lead)\nشارك\n\(second)\n\nتحميل المزيد\nخبر آخر من الموقع\nوخبر ثالث\nجميع الحقوق محفوظة © 2024"
        let a = try Fixtures.parse(text)
        #expect(a.paragraphs == [second])
        #expect(a.related.isEmpty)
    }

    @Test func markdownHeadingImageAndEmphasis() throws {
        let md = """
            ---
            author: "سارة علي"
            published_at: 2024-01-25T15:41:00Z
            ---
            # العراق **يعلن** اتفاقاً
            
            ![قوات أمريكية في العراق / رويترز](https://example.com/a.jpg)
            
            أعلنت بغداد *اليوم* توصلها إلى [اتفاق](https://example.com) مع واشنطن
            حول جدول زمني لانسحاب قوات [التحالف][1] الدولي.
            
            ## خلفية
            
            > وقال البيان: "تعلن الحكومة العراقية نجاح جولات التفاوض المستمرة"
            
            - [واشنطن تعلن خطة جديدة](https://example.com/x)
            
            [1]: https://example.com/coalition
            """
        let a = try Fixtures.parse(md, .markdown)
        #expect(a.title == "العراق يعلن اتفاقاً")
        #expect(!a.titleDerived)
        #expect(a.author == "سارة علي")
        #expect(a.publishedAt == "2024-01-25T15:41:00Z")
        #expect(a.captions == [Caption(text: "قوات أمريكية في العراق", credit: "رويترز")])
        #expect(a.lead == "أعلنت بغداد اليوم توصلها إلى اتفاق مع واشنطن حول جدول زمني لانسحاب قوات التحالف الدولي.")
        #expect(a.paragraphs == ["خلفية", "وقال البيان: \"تعلن الحكومة العراقية نجاح جولات التفاوض المستمرة\""])
        #expect(a.quotes == [Quote(text: "تعلن الحكومة العراقية نجاح جولات التفاوض المستمرة", speaker: "البيان")])
        #expect(a.related == ["واشنطن تعلن خطة جديدة"])
    }

    @Test func markdownSetextHeadingKeepsEditorialBrackets() throws {
        let a = try Fixtures.parse("الحكومة تحدد موعد الانسحاب\n==========\n\nلا قوات [أجنبية] على الأراضي العراقية بعد اليوم.", .markdown)
        #expect(a.title == "الحكومة تحدد موعد الانسحاب")
        #expect(a.lead == "لا قوات [أجنبية] على الأراضي العراقية بعد اليوم.")
    }

    @Test func jsonScraperShape() throws {
        let json = """
            {"title": "العراق يعلن اتفاقاً", "body": "\(lead)\\nقوات تابعة للجيش الأمريكي في العراق/ رويترز\\n\(second)",
             "source": "عربي بوست", "url": "https://example.com/a", "published_at": "2024-01-25 15:41:00",
             "author": "فريق التحرير", "tags": [1, 2, {"x": null}]}
            """
        let a = try Fixtures.parse(json, .json)
        #expect(a.title == "العراق يعلن اتفاقاً")
        #expect(a.lead == lead)
        #expect(a.paragraphs == [second])
        #expect(a.captions == [Caption(text: "قوات تابعة للجيش الأمريكي في العراق", credit: "رويترز")])
        #expect(a.source == "عربي بوست")
        #expect(a.url == "https://example.com/a")
        #expect(a.publishedAt == "2024-01-25T15:41:00")
        #expect(a.author == "فريق التحرير")
        #expect(a.language == "ar")
    }

    @Test func jsonWithTextAndNoTitleDerivesOne() throws {
        let a = try Fixtures.parse("{\"text\": \"\(lead)\\n\\n\(second)\"}", .json)
        #expect(a.titleDerived)
        #expect(a.lead == lead)
        #expect(a.paragraphs == [second])
    }

    @Test func jsonBodyAsArrayAndEscapes() throws {
        let a = try Fixtures.parse(#"{"title":"Headline \u0041\ud83d\ude00","body":["first paragraph is here.","second one."]}"#, .json)
        #expect(a.title == "Headline A😀")
        #expect(a.lead == "first paragraph is here.")
        #expect(a.paragraphs == ["second one."])
        #expect(a.language == "en")
    }

    @Test func jsonTitleRepeatedAsFirstBodyLineIsDropped() throws {
        let a = try Fixtures.parse("{\"title\": \"عنوان الخبر\", \"body\": \"عنوان الخبر\\n\(lead)\"}", .json)
        #expect(a.lead == lead)
    }

    @Test func languages() throws {
        #expect(try Fixtures.parse("Headline\nThe government said on Sunday that the mission of the coalition will end.").language == "en")
        #expect(try Fixtures.parse("Titre\nLe gouvernement a déclaré que la mission de la coalition est terminée.").language == "fr")
        #expect(try Fixtures.parse("عنوان\nمتن فارسی: گفت که ژاپن و چین پیشرفت کردند و این کار را ادامه میدهند.").language == "fa")
        #expect(try Fixtures.parse("12345\n67890 ... 2024").language == "und")
        #expect(try Fixtures.parse("Заголовок\nПравительство заявило о завершении миссии.").language == "und")
    }
}
