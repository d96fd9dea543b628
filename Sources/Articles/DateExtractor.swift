// Absolute dates written in the text, and the publication date-time of metadata lines.
//
// Recognized forms (digits may be Western, Arabic-Indic ٠-٩ or Extended Arabic-Indic ۰-۹):
//
//   25 يناير 2024 · 25 من يناير 2024 · 25 يناير/كانون الثاني 2024 · كانون الثاني (يناير) 2024
//   December 9, 2021 · Dec. 9, 2021 · 9 December 2021
//   أغسطس/آب 2023 · August 2023                    → month precision, "2023-08"
//   2024/01/25 · 2024-01-25 · 25/01/2024 · 25-1-2024  → day-first unless the middle cannot be a month
//   عام 2020 · مطلع 2020 · منذ 2014                 → year precision, "2020"
//
// Egyptian (يناير), Levantine (كانون الثاني) and Maghrebi (جانفي) month names are all known.
// A day and month without a year ("17 أكتوبر الماضي") is not absolute and is skipped, and so is
// a year marked Hijri ("1445 هـ"). Invalid days (31 فبراير) are rejected.

/// A calendar date at year, month or day precision.
struct CalendarDate: Equatable {
    var year: Int
    var month: Int = 0
    var day: Int = 0

    /// ISO 8601: "2024", "2024-01" or "2024-01-25".
    var iso: String {
        var s = String(year)
        if month > 0 { s += "-" + twoDigits(month) }
        if day > 0 { s += "-" + twoDigits(day) }
        return s
    }

    var isValid: Bool {
        guard (1...9999).contains(year), (0...12).contains(month) else { return false }
        if day == 0 { return true }
        guard month > 0, day >= 1 else { return false }
        return day <= CalendarDate.daysIn(month: month, year: year)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

@inline(__always)
func twoDigits(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }

enum DateExtractor {
    static let kanunKey = Tokenizer.wordKey("كانون")

    /// Years we accept as Gregorian years in running text.
    static let plausibleYears = 1800...2199

    // MARK: Month names

    /// A month name (one or two words) at token `j`, without alternatives.
    private static func baseMonth(_ t: [Token], _ j: Int, _ b: [UInt8]) -> (month: Int, next: Int)? {
        guard j < t.count, let info = Lexicon.info(t[j]) else { return nil }
        if info.flags.contains(.month) {
            var next = j + 1
            // "Dec." — an English abbreviation with its period.
            if t[j].scalar < 0x80, next < t.count, t[next].kind == .punct, t[next].scalar == 0x2E,
               t[next].start == t[j].end {
                next += 1
            }
            return (Int(info.month), next)
        }
        if info.flags.contains(.levantineHalf), j + 1 < t.count, let second = Lexicon.info(t[j + 1]) {
            let kanun = t[j].key == kanunKey
            if second.flags.contains(.ordinalFirst) { return (kanun ? 12 : 10, j + 2) }
            if second.flags.contains(.ordinalSecond) { return (kanun ? 1 : 11, j + 2) }
        }
        return nil
    }

    /// A month name at `j`, with up to two written alternatives: "ديسمبر/كانون الأول", "كانون الأول (ديسمبر)".
    static func month(_ t: [Token], _ j: Int, _ b: [UInt8]) -> (month: Int, next: Int)? {
        guard let (m, first) = baseMonth(t, j, b) else { return nil }
        var next = first
        for _ in 0..<2 {
            guard next < t.count, t[next].kind == .punct else { break }
            let p = t[next].scalar
            if p == 0x2F || p == 0x2D || p == 0x2013, let (_, after) = baseMonth(t, next + 1, b) {
                next = after
            } else if p == 0x28, let (_, after) = baseMonth(t, next + 1, b), after < t.count,
                      t[after].kind == .punct, t[after].scalar == 0x29 {
                next = after + 1
            } else {
                break
            }
        }
        return (m, next)
    }

    // MARK: Pieces

    @inline(__always)
    private static func isComma(_ t: Token) -> Bool {
        t.kind == .punct && (t.scalar == 0x2C || t.scalar == 0x060C)
    }

    /// A four-digit Gregorian year at `y` (not followed by a Hijri marker).
    @inline(__always)
    private static func year(_ t: [Token], _ y: Int) -> Int? {
        guard y < t.count, t[y].kind == .number, t[y].digits == 4, plausibleYears.contains(t[y].value) else { return nil }
        if y + 1 < t.count, Lexicon.has(t[y + 1], .hijri) { return nil }
        return t[y].value
    }

    @inline(__always)
    private static func day(_ t: Token) -> Int? {
        guard t.kind == .number, t.digits <= 2, (1...31).contains(t.value) else { return nil }
        return t.value
    }

    /// 2024/01/25, 25/01/2024, 25-1-2024, 2024.01.25: numbers joined by one repeated separator, no spaces.
    private static func numeric(_ t: [Token], _ i: Int) -> (CalendarDate, Int)? {
        guard i + 4 < t.count else { return nil }
        let a = t[i], s1 = t[i + 1], m = t[i + 2], s2 = t[i + 3], c = t[i + 4]
        guard s1.kind == .punct, s2.kind == .punct, s1.scalar == s2.scalar,
              s1.scalar == 0x2F || s1.scalar == 0x2D || s1.scalar == 0x2E,
              m.kind == .number, c.kind == .number,
              a.end == s1.start, s1.end == m.start, m.end == s2.start, s2.end == c.start else { return nil }
        // Not part of a longer run such as a version number or a phone number.
        if i + 5 < t.count, t[i + 5].start == c.end, t[i + 5].kind == .number || t[i + 5].scalar == s1.scalar {
            return nil
        }
        if i > 0, t[i - 1].end == a.start, t[i - 1].kind == .number || t[i - 1].scalar == s1.scalar { return nil }
        var date: CalendarDate
        if a.digits == 4, m.digits <= 2, c.digits <= 2 {
            date = CalendarDate(year: a.value, month: m.value, day: c.value)
        } else if c.digits == 4, a.digits <= 2, m.digits <= 2 {
            date = CalendarDate(year: c.value, month: m.value, day: a.value)
            if date.month > 12, date.day <= 12 { swap(&date.month, &date.day) }
        } else {
            return nil
        }
        guard plausibleYears.contains(date.year), date.isValid, date.month > 0 else { return nil }
        return (date, i + 5)
    }

    // MARK: Matching

    /// The date that starts at token `i`, and the index just past it.
    static func match(_ t: [Token], _ i: Int, _ b: [UInt8]) -> (CalendarDate, Int)? {
        let tok = t[i]
        if tok.kind == .number {
            if let r = numeric(t, i) { return r }
            guard let d = day(tok) else { return nil }
            var j = i + 1
            if j < t.count, Lexicon.has(t[j], .dayMonthConnector) { j += 1 }
            guard let (m, k) = month(t, j, b) else { return nil }
            var y = k
            if y < t.count, isComma(t[y]) { y += 1 }
            guard let yr = year(t, y) else { return nil }
            let date = CalendarDate(year: yr, month: m, day: d)
            return date.isValid ? (date, y + 1) : nil
        }
        guard tok.kind == .word else { return nil }
        if let (m, k) = month(t, i, b) {
            if k < t.count, let d = day(t[k]) {
                var y = k + 1
                if y < t.count, isComma(t[y]) { y += 1 }
                if let yr = year(t, y) {
                    let date = CalendarDate(year: yr, month: m, day: d)
                    return date.isValid ? (date, y + 1) : nil
                }
                return nil
            }
            var y = k
            if y < t.count, isComma(t[y]) { y += 1 }
            // "31 فبراير 2023" failed as a full date; its month and year alone are no better.
            var d = i - 1
            if d >= 0, Lexicon.has(t[d], .dayMonthConnector) { d -= 1 }
            if d >= 0, day(t[d]) != nil { return nil }
            if let yr = year(t, y) { return (CalendarDate(year: yr, month: m), y + 1) }
            return nil
        }
        if tok.info.flags.contains(.yearPrefix), let yr = year(t, i + 1) {
            return (CalendarDate(year: yr), i + 2)
        }
        return nil
    }

    /// Appends every absolute date in `tokens` (document order), skipping (date, phrase) pairs already seen.
    static func collect(_ b: [UInt8], _ t: [Token], into out: inout [DateMention], seen: inout Set<DateMention>) {
        var i = 0
        while i < t.count {
            let k = t[i]
            // Only numbers and words can start a date; most words fail the dictionary probe at once.
            if k.kind != .punct, let (date, end) = match(t, i, b) {
                // Year-only matches are phrased with their prefix word ("عام 2020").
                let mention = DateMention(date: date.iso, phrase: string(b, t[i].start..<t[end - 1].end))
                if seen.insert(mention).inserted { out.append(mention) }
                i = end
            } else {
                i += 1
            }
        }
    }

    // MARK: Date and time of a metadata line

    /// A date and time read from a metadata line such as "تم النشر: 2024/01/25 الساعة 15:41 بتوقيت غرينتش".
    struct Stamp {
        /// "2024-01-25T15:41:00Z", "2024-01-25T15:41:00" (no zone known) or "2024-01-25".
        var iso: String
        var hasTime: Bool
        var zoneKnown: Bool
    }

    /// Reads the first date in `range`, the first clock time, an AM/PM word, and a time zone.
    static func stamp(_ b: [UInt8], _ range: Range<Int>) -> Stamp? {
        let t = Tokenizer.tokens(b, range, limit: 64)
        var date: CalendarDate?
        var dateSpan = 0..<0
        for i in t.indices where t[i].kind != .punct {
            if let (d, end) = match(t, i, b) { date = d; dateSpan = i..<end; break }
        }
        guard let date else { return nil }
        guard date.day > 0 else { return Stamp(iso: date.iso, hasTime: false, zoneKnown: false) }

        var hour = -1, minute = 0, second = 0
        var i = 0
        while i + 2 < t.count {
            if dateSpan.contains(i) { i = dateSpan.upperBound; continue }
            let h = t[i], colon = t[i + 1], m = t[i + 2]
            if h.kind == .number, h.digits <= 2, colon.kind == .punct, colon.scalar == 0x3A, m.kind == .number,
               m.digits == 2, h.end == colon.start, colon.end == m.start, h.value < 24, m.value < 60 {
                hour = h.value
                minute = m.value
                var next = i + 3
                if next + 1 < t.count, t[next].kind == .punct, t[next].scalar == 0x3A, t[next + 1].kind == .number,
                   t[next + 1].digits == 2, t[next + 1].value < 60, t[next].start == m.end {
                    second = t[next + 1].value
                    next += 2
                }
                if next < t.count, let info = Lexicon.info(t[next]) {
                    if info.flags.contains(.evening), hour < 12 { hour += 12 }
                    if info.flags.contains(.morning), hour == 12 { hour = 0 }
                }
                break
            }
            i += 1
        }
        guard hour >= 0 else { return Stamp(iso: date.iso, hasTime: false, zoneKnown: false) }

        var zone: String?
        var afterTimeOf = false
        for (k, tok) in t.enumerated() where zone == nil {
            if tok.kind == .punct, (tok.scalar == 0x2B || tok.scalar == 0x2D), k > 0, k + 1 < t.count,
               t[k + 1].kind == .number, t[k + 1].start == tok.end, Lexicon.info(t[k - 1])?.zone == 0 || isClockEnd(t, k) {
                zone = offset(sign: tok.scalar == 0x2B ? "+" : "-", t, k + 1)
                continue
            }
            guard let info = Lexicon.info(tok) else { afterTimeOf = false; continue }
            if info.flags.contains(.timeOf) { afterTimeOf = true; continue }
            if info.zone >= 0 {
                // City names only count after بتوقيت; GMT/UTC/غرينتش count anywhere.
                if info.zone == 0 || afterTimeOf {
                    if info.zone == 0, k + 2 < t.count, t[k + 1].kind == .punct,
                       t[k + 1].scalar == 0x2B || t[k + 1].scalar == 0x2D, t[k + 2].kind == .number {
                        zone = offset(sign: t[k + 1].scalar == 0x2B ? "+" : "-", t, k + 2)
                    } else {
                        zone = Lexicon.offsets[Int(info.zone)]
                    }
                }
            }
            if !info.flags.contains(.timeOf) && info.zone < 0 { afterTimeOf = false }
        }
        let time = twoDigits(hour) + ":" + twoDigits(minute) + ":" + twoDigits(second)
        return Stamp(iso: date.iso + "T" + time + (zone ?? ""), hasTime: true, zoneKnown: zone != nil)
    }

    /// Whether token `k` directly follows a clock time ("15:41+03:00").
    private static func isClockEnd(_ t: [Token], _ k: Int) -> Bool {
        k >= 3 && t[k - 1].kind == .number && t[k - 2].kind == .punct && t[k - 2].scalar == 0x3A
            && t[k - 1].end == t[k].start
    }

    /// "+3", "+03", "+0300", "+03:00" → "+03:00"; a zero offset → "Z".
    private static func offset(sign: String, _ t: [Token], _ k: Int) -> String? {
        var hours = t[k].value, minutes = 0
        if t[k].digits == 4 { hours = t[k].value / 100; minutes = t[k].value % 100 }
        if t[k].digits <= 2, k + 2 < t.count, t[k + 1].kind == .punct, t[k + 1].scalar == 0x3A,
           t[k + 2].kind == .number, t[k + 2].digits == 2 {
            minutes = t[k + 2].value
        }
        guard hours <= 14, minutes < 60 else { return nil }
        if hours == 0 && minutes == 0 { return "Z" }
        return sign + twoDigits(hours) + ":" + twoDigits(minutes)
    }

    /// Normalizes a date-time string from a JSON field: ISO 8601 passes through (a space before
    /// the time becomes "T"); anything else is read like a metadata line.
    static func normalizeField(_ value: String) -> Stamp? {
        let b = Array(value.utf8)
        if let iso = isoPrefix(b) { return iso }
        return stamp(b, 0..<b.count)
    }

    /// Recognizes "YYYY-MM-DD", optionally followed by [T or space]"HH:MM[:SS[.fff]]" and "Z" or "±HH[:]MM".
    private static func isoPrefix(_ b: [UInt8]) -> Stamp? {
        func num(_ i: Int, _ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard b[k] >= 0x30 && b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), b.count >= 10, b[4] == 0x2D, let m = num(5, 2), b[7] == 0x2D, let d = num(8, 2) else {
            return nil
        }
        let date = CalendarDate(year: y, month: m, day: d)
        guard date.isValid, m > 0 else { return nil }
        guard b.count > 10 else { return Stamp(iso: date.iso, hasTime: false, zoneKnown: false) }
        guard b[10] == 0x54 || b[10] == 0x20 || b[10] == 0x74, let h = num(11, 2), b.count > 13, b[13] == 0x3A,
              let mi = num(14, 2), h < 24, mi < 60 else { return nil }
        var i = 16
        var s = 0
        if i < b.count, b[i] == 0x3A, let sec = num(i + 1, 2), sec < 61 { s = min(sec, 59); i += 3 }
        if i < b.count, b[i] == 0x2E || b[i] == 0x2C { i += 1; while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 } }
        var zone: String?
        if i < b.count {
            if b[i] == 0x5A || b[i] == 0x7A { zone = "Z" }
            else if b[i] == 0x2B || b[i] == 0x2D, let zh = num(i + 1, 2), zh <= 14 {
                var zm = 0
                if let v = num(i + 3, 2) { zm = v } else if i + 3 < b.count, b[i + 3] == 0x3A, let v = num(i + 4, 2) { zm = v }
                zone = (zh == 0 && zm == 0) ? "Z" : (b[i] == 0x2B ? "+" : "-") + twoDigits(zh) + ":" + twoDigits(zm)
            }
        }
        let time = twoDigits(h) + ":" + twoDigits(mi) + ":" + twoDigits(s)
        return Stamp(iso: date.iso + "T" + time + (zone ?? ""), hasTime: true, zoneKnown: zone != nil)
    }
}
