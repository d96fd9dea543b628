import Foundation
// The words and phrases the parser recognizes, in one place.
//
// Everything is keyed by the folded hash the `Tokenizer` computes, so a lookup costs one
// dictionary probe per word and never builds a `String`. Spelling variants that folding already
// unifies (أ/ا, ة/ه, ى/ي, diacritics, tatweel, case) need no separate entry; the conjunctions و and
// ف are stripped by the tokenizer for the verb lookups (`Token.speech`).

/// What the parser knows about a word.
struct WordInfo: Sendable {
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt32
        /// قال, أكد, أضاف…: a finite verb of saying whose subject names a speaker.
        static let speechVerb = Flags(rawValue: 1 << 0)
        /// مضيفاً, مؤكداً…: a participle of saying; its speaker is the sentence's.
        static let speechParticiple = Flags(rawValue: 1 << 1)
        /// إن, أن, إنه…: "that", which ends a speaker's name and often opens the quote.
        static let thatParticle = Flags(rawValue: 1 << 2)
        /// Words that end a speaker's name: time words, إلى, خلال, لـ, "to the press"…
        static let subjectStop = Flags(rawValue: 1 << 3)
        /// Prepositions: a speaker's name never starts with one.
        static let preposition = Flags(rawValue: 1 << 4)
        /// بيان, تصريح…: "في بيان" ("in a statement") ends a speaker's name.
        static let statementNoun = Flags(rawValue: 1 << 5)
        static let weekday = Flags(rawValue: 1 << 6)
        /// A month name; `WordInfo.month` says which.
        static let month = Flags(rawValue: 1 << 7)
        /// كانون / تشرين: the first half of a two-word Levantine month.
        static let levantineHalf = Flags(rawValue: 1 << 8)
        static let ordinalFirst = Flags(rawValue: 1 << 9)
        static let ordinalSecond = Flags(rawValue: 1 << 10)
        /// عام, سنة, مطلع…: a bare year after one of these is a date.
        static let yearPrefix = Flags(rawValue: 1 << 11)
        /// هـ, هجري: the number before is a Hijri year, not a Gregorian one.
        static let hijri = Flags(rawValue: 1 << 12)
        /// من in "25 من يناير".
        static let dayMonthConnector = Flags(rawValue: 1 << 13)
        /// قد, فقد: "وكان X قد أكد" puts the speaker before the verb.
        static let qad = Flags(rawValue: 1 << 14)
        /// كان, أما: opens a clause whose subject comes before "قد + verb".
        static let subjectOpener = Flags(rawValue: 1 << 15)
        /// Words allowed on a line that holds only a date and time.
        static let dateLineWord = Flags(rawValue: 1 << 16)
        /// صورة, Photo: a line starting with one is a photo caption.
        static let photoLabel = Flags(rawValue: 1 << 17)
        /// بقلم, By: a byline.
        static let bylineLabel = Flags(rawValue: 1 << 18)
        /// المصدر, Source.
        static let sourceLabel = Flags(rawValue: 1 << 19)
        /// ص, صباحاً, AM.
        static let morning = Flags(rawValue: 1 << 20)
        /// م, مساءً, PM.
        static let evening = Flags(rawValue: 1 << 21)
        /// بتوقيت ("by the time of").
        static let timeOf = Flags(rawValue: 1 << 22)
        /// فيما, بينما, كما: opens a new clause inside a sentence.
        static let clauseOpener = Flags(rawValue: 1 << 23)
        /// An English verb of saying, whose subject usually comes first ("the minister said").
        static let latinVerb = Flags(rawValue: 1 << 24)
        /// English personal pronouns: not a name.
        static let pronoun = Flags(rawValue: 1 << 25)
    }
    var flags: Flags = []
    var month: Int8 = 0
    /// For time-zone words: the ISO 8601 offset ("Z", "+03:00"), as an index into `Lexicon.offsets`.
    var zone: Int8 = -1
}

/// An open-addressing table from word hash to `WordInfo`.
///
/// The keys are already good hashes, so this skips `Hasher` (SipHash) entirely: one masked index
/// and, at a load factor under 1/4, almost always one probe. It is the parser's hottest lookup.
struct WordTable: Sendable {
    private var keys: [UInt64]
    private var values: [WordInfo]
    private let mask: Int

    init(_ d: [UInt64: WordInfo]) {
        var size = 64
        while size < d.count * 4 { size <<= 1 }
        mask = size - 1
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: WordInfo(), count: size)
        for (k, v) in d {
            var i = Self.slot(k, mask)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            values[i] = v
        }
    }

    @inline(__always)
    private static func slot(_ k: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: (k ^ (k >> 29)) & UInt64(mask)) }

    @inline(__always)
    subscript(_ k: UInt64) -> WordInfo? {
        var i = Self.slot(k, mask)
        while true {
            let stored = keys[i]
            if stored == k { return values[i] }
            if stored == 0 { return nil }
            i = (i + 1) & mask
        }
    }
}

enum Lexicon {
    /// Time-zone offsets referred to by `WordInfo.zone`.
    static let offsets = ["Z", "+03:00", "+04:00", "+01:00", "+00:00"]

    /// Every single word the parser knows, by folded hash.
    static let words = WordTable(wordDictionary)

    private static let wordDictionary: [UInt64: WordInfo] = {
        var d: [UInt64: WordInfo] = [:]
        func add(_ list: String, _ f: WordInfo.Flags, month: Int = 0, zone: Int = -1) {
            for w in list.split(separator: " ") {
                let k = Tokenizer.wordKey(String(w))
                var info = d[k] ?? WordInfo()
                info.flags.formUnion(f)
                if month != 0 { info.month = Int8(month) }
                if zone >= 0 { info.zone = Int8(zone) }
                d[k] = info
            }
        }
        // Months. Egyptian (transliterated), Maghrebi and English names; the Levantine (Syriac)
        // names, two of which are two words (كانون الثاني), are marked separately.
        let months: [(Int, String)] = [
            (1, "يناير جانفي january jan كانون_2"), (2, "فبراير فيفري شباط february feb"),
            (3, "مارس آذار اذار march mar"), (4, "أبريل إبريل ابريل أفريل نيسان april apr"),
            (5, "مايو ماي أيار ايار may"), (6, "يونيو يونيه جوان حزيران june jun"),
            (7, "يوليو يوليه جويلية جويلة تموز july jul"), (8, "أغسطس اغسطس غشت أوت آب اب august aug"),
            (9, "سبتمبر شتنبر أيلول ايلول september sep sept"),
            (10, "أكتوبر اكتوبر تشرين_1 october oct"), (11, "نوفمبر نونبر تشرين_2 november nov"),
            (12, "ديسمبر دجنبر كانون_1 december dec"),
        ]
        for (m, names) in months {
            add(names.split(separator: " ").filter { !$0.contains("_") }.joined(separator: " "), [.month, .dateLineWord], month: m)
        }
        add("كانون تشرين", [.levantineHalf, .dateLineWord])
        add("الأول الاول أول اول", [.ordinalFirst, .dateLineWord])
        add("الثاني ثاني", [.ordinalSecond, .dateLineWord])

        add("الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت والأحد والاثنين والإثنين والثلاثاء والأربعاء والخميس والجمعة والسبت sunday monday tuesday wednesday thursday friday saturday",
            [.weekday, .subjectStop, .dateLineWord])
        add("عام العام سنة لعام مطلع بداية منتصف نهاية أواخر أوائل منذ", .yearPrefix)
        add("هـ ه هجري هجرية للهجرة", .hijri)
        add("من", .dayMonthConnector)
        add("الساعة الموافق بتوقيت توقيت يوم في at on the utc gmt", .dateLineWord)
        add("بتوقيت", .timeOf)
        add("ص صباحا صباح am", [.morning, .dateLineWord])
        add("م مساء مساءا ظهرا pm", [.evening, .dateLineWord])
        add("غرينتش غرينيتش جرينتش جرينيتش غرينكش gmt utc", .dateLineWord, zone: 0)
        add("مكة المكرمة السعودية الرياض الدوحة قطر بغداد العراق الكويت البحرين المنامة موسكو", .dateLineWord, zone: 1)
        add("الإمارات الامارات أبوظبي ابوظبي دبي مسقط عمان", .dateLineWord, zone: 2)
        add("الجزائر تونس", .dateLineWord, zone: 3)

        // Speech. Finite verbs (past and present, masculine and feminine); و/ف are stripped by the tokenizer.
        add("""
            قال قالت قالوا يقول تقول أضاف أضافت يضيف تضيف أكد أكدت يؤكد تؤكد أوضح أوضحت يوضح توضح
            أشار أشارت يشير تشير ذكر ذكرت يذكر تذكر صرح صرحت يصرح تصرح أعلن أعلنت يعلن تعلن تابع تابعت
            لفت لفتت شدد شددت يشدد تشدد اعتبر اعتبرت يعتبر تعتبر أفاد أفادت يفيد تفيد كتب كتبت غرد غردت
            تعهد تعهدت بينت أعرب أعربت نفى نفت أقر أقرت حذر حذرت طالب طالبت دعا دعت
            اختتم اختتمت ختم ختمت استطرد استدرك أردف أردفت
            """.replacingOccurrences(of: "\n", with: " "), .speechVerb)
        add("""
            مضيفا مضيفة مؤكدا مؤكدة مشيرا مشيرة موضحا موضحة مبينا مبينة لافتا لافتة معتبرا معتبرة
            قائلا قائلة محذرا محذرة منوها منوهة مشددا مشددة متابعا متابعة مستدركا مردفا
            adding saying noting warning
            """.replacingOccurrences(of: "\n", with: " "), .speechParticiple)
        // English verbs of saying; English puts the speaker before the verb ("X said") as often as after.
        add("said says told added stated wrote tweeted explained noted warned insisted announced declared replied",
            [.speechVerb, .latinVerb])
        add("he she they it we i you", .pronoun)
        add("إن أن إنه أنه إنها أنها إنهم أنهم إنهما أنهما إننا أننا إني أني بأن بأنه بأنها بأنهم فإن وإن وأن ان انه",
            [.thatParticle, .subjectStop])
        add("""
            إلى الى خلال يوم اليوم أمس امس مساء صباح ليلة بعد قبل عقب أثناء اثناء أيضا ايضا أمام نقلا عبر حول
            ل لوسائل لوكالة لصحيفة لقناة لموقع لشبكة لتلفزيون لإذاعة للصحافة للصحفيين للصحافيين للتلفزيون
            للإذاعة للقناة للوكالة للموقع للصحيفة للمراسلين لمراسل لمراسلة
            """.replacingOccurrences(of: "\n", with: " "), .subjectStop)
        add("في على من إلى الى عن مع خلال ب", .preposition)
        add("بيان تصريح تصريحات تصريحه تصريحها مؤتمر حديث حديثه حديثها اتصال مقابلة تغريدة منشور كلمة رسالة لقاء حوار وقت الوقت",
            .statementNoun)
        add("قد فقد وقد لقد", .qad)
        add("كان وكان أما وأما فكان", .subjectOpener)
        add("فيما بينما حيث كما ثم", .clauseOpener)
        add("صورة الصورة صور photo image picture", .photoLabel)
        add("بقلم by الكاتب إعداد تحرير كتب كتبه author", .bylineLabel)
        add("المصدر مصدر source المصادر", .sourceLabel)
        return d
    }()

    /// What the lexicon says about a token (looked up once, by the tokenizer), or nil.
    @inline(__always)
    static func info(_ t: Token) -> WordInfo? {
        t.kind == .word && !t.info.flags.isEmpty ? t.info : nil
    }

    /// Speech-verb flags, including those of the word without a leading و/ف ("وقال" → "قال").
    @inline(__always)
    static func speechFlags(_ t: Token) -> WordInfo.Flags { t.speech }

    @inline(__always)
    static func has(_ t: Token, _ flag: WordInfo.Flags) -> Bool { t.info.flags.contains(flag) }

    static func phrases(_ list: [String]) -> Set<UInt64> { Set(list.map(Tokenizer.phraseKey)) }

    /// Whole lines that are site furniture, dropped wherever they appear.
    static let boilerplate = phrases([
        "شارك", "مشاركة", "شارك المقال", "شارك الخبر", "شارك هذا المقال", "شارك على فيسبوك", "شارك على تويتر",
        "إعلان", "اعلان", "إعلانات", "طباعة", "نسخ الرابط", "رابط مختصر", "الرابط المختصر", "تكبير الخط", "تصغير الخط",
        "حجم الخط", "المزيد", "اقرأ المزيد", "تابعنا", "تابعونا", "اشترك", "اشترك الآن", "اشترك في النشرة البريدية",
        "النشرة البريدية", "أضف تعليق", "أضف تعليقك", "اترك تعليقا", "share", "share this", "share this article",
        "advertisement", "print", "read more", "subscribe", "copy link", "tweet", "email", "facebook", "twitter",
        "whatsapp", "telegram", "فيسبوك", "تويتر", "واتساب", "تلغرام", "لينكدإن", "إكس",
    ])
    /// Lines starting with one of these are furniture too ("جميع الحقوق محفوظة © 2024").
    static let boilerplatePrefixes = phrases([
        "جميع الحقوق محفوظة", "حقوق النشر", "كل الحقوق محفوظة", "تابعونا على", "تابعنا على", "اشترك في",
        "all rights reserved", "follow us", "sign up", "للاشتراك في", "لمتابعة آخر الأخبار", "تابعوا آخر الأخبار",
    ])
    /// Headings that introduce a list of links to other articles.
    static let relatedHeadings = phrases([
        "اقرأ أيضا", "إقرأ أيضا", "اقرأ كذلك", "مواضيع ذات صلة", "أخبار ذات صلة", "مقالات ذات صلة", "ذات صلة",
        "موضوعات ذات صلة", "قد يهمك أيضا", "قد يهمك", "قد يعجبك أيضا", "شاهد أيضا", "اقرأ المزيد عن", "أخبار متعلقة",
        "read also", "related", "related articles", "related stories", "see also", "read more about",
    ])
    /// Lines after which the page's own article is over (the rest is the site's navigation).
    static let tailMarkers = phrases([
        "تحميل المزيد", "عرض المزيد", "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تداولا", "الأكثر شعبية",
        "التعليقات", "تعليقات", "المزيد من الأخبار", "أحدث الأخبار", "آخر الأخبار", "load more", "most read",
        "most popular", "comments", "more stories", "latest news",
    ])
    /// Publication-line openers ("تم النشر: …").
    static let publishedOpeners = phrases([
        "تم النشر", "نشر", "نشر في", "نشر بتاريخ", "نشر يوم", "تاريخ النشر", "النشر", "بتاريخ", "التاريخ",
        "published", "published on", "posted", "posted on", "date", "أضيف", "أضيف في",
    ])
    /// Update-line openers ("تم التحديث: …").
    static let updatedOpeners = phrases([
        "تم التحديث", "آخر تحديث", "اخر تحديث", "آخر تحديث في", "تحديث", "التحديث", "تاريخ التحديث", "محدث",
        "updated", "last updated", "updated on", "last modified",
    ])
    /// News outlets: a short line naming one, above the article, is its source.
    static let outlets = phrases([
        "الجزيرة", "الجزيرة نت", "العربية", "العربية نت", "عربي بوست", "العربي الجديد", "سكاي نيوز عربية",
        "بي بي سي عربي", "بي بي سي نيوز عربي", "bbc عربي", "bbc arabic", "فرانس 24", "france 24", "الشرق الأوسط",
        "اندبندنت عربية", "الحرة", "روسيا اليوم", "rt عربي", "rt arabic", "cnn بالعربية", "cnn arabic", "الأناضول",
        "وكالة الأناضول", "القدس العربي", "الخليج أونلاين", "عنب بلدي", "المدن", "النهار", "الأخبار", "السومرية نيوز",
        "شفق نيوز", "العين الإخبارية", "الشرق", "الشرق للأخبار", "اليوم السابع", "المصري اليوم", "الأهرام", "هسبريس",
        "الشروق", "عربي 21", "عربي21", "الميادين", "المنار", "رووداو", "الجزيرة مباشر", "euronews عربي", "يورونيوز",
        "dw عربية", "سبوتنيك عربي", "الإمارات اليوم", "البيان", "الخليج", "الرياض", "عكاظ", "الوطن", "القبس",
        "الرأي", "الغد", "العربي الجديد ــ", "ارم نيوز", "إرم نيوز", "مصراوي", "الوطن نيوز", "واع", "وكالة الأنباء العراقية",
    ])
    /// Photo agencies and credit words, for captions like "… (رويترز)".
    static let agencies = phrases([
        "رويترز", "أ ف ب", "ا ف ب", "فرانس برس", "وكالة فرانس برس", "أسوشيتد برس", "اسوشيتد برس", "الأناضول",
        "غيتي", "غيتي إيميجز", "getty", "getty images", "reuters", "afp", "ap", "epa", "الأوروبية", "سبوتنيك",
        "تاس", "شينخوا", "مواقع التواصل", "مواقع التواصل الاجتماعي", "أرشيفية", "أرشيف", "الجزيرة", "عربي بوست",
        "د ب أ", "dpa", "واع", "سانا", "وام", "واس", "قنا", "كونا",
    ])
}
