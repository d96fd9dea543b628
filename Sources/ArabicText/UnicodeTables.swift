/// How the tokenizer treats a scalar. Stored in the low three bits of a ``UnicodeTables`` info entry.
enum ScalarKind {
    /// Ends a token (spaces, punctuation, symbols, emoji, …).
    static let separator: UInt16 = 0
    /// A letter (general category L*), tatweel included.
    static let letter: UInt16 = 1
    /// A combining mark (M*): harakat, superscript alef, other scripts' accents. Never splits a word.
    static let mark: UInt16 = 2
    /// A decimal digit (Nd) of any script.
    static let digit: UInt16 = 3
    /// An invisible format character that never splits a word but never starts one either:
    /// ZWNJ, ZWJ, LRM, RLM and the Arabic letter mark (ALM).
    static let joiner: UInt16 = 4
    /// What may stand between the digits of one number (``NumberSeparator``): `.` `,` `٫` `٬` and the
    /// thin and no-break spaces U+2009, U+202F and U+00A0. Inside a number they are the decimal
    /// separator or dropped (see "Numbers" in ``ArabicTokenizer``); anywhere else they separate
    /// tokens like any ``separator``.
    static let numberSeparator: UInt16 = 5
}

/// Bits of a ``UnicodeTables`` info entry besides the kind (bits 0–2) and the canonical
/// combining class (bits 8–15).
enum InfoBit {
    static let kindMask: UInt16 = 0x7
    /// The scalar must go through the slow path: it changes under NFKC (presentation forms,
    /// ligatures, fullwidth letters…) or NFC may compose it with the scalar before it (ا + U+0654).
    static let slow: UInt16 = 0x8
    /// Lowercasing or digit folding changes this scalar and the fold tables (which stop at
    /// U+07FF) do not cover it.
    static let foldsBeyondTables: UInt16 = 0x10
    /// NFC may compose the scalar with the one before it (NFC_Quick_Check = Maybe).
    static let composesWithPrevious: UInt16 = 0x20
    /// The kind is ``ScalarKind/letter`` or ``ScalarKind/digit``: the scanner's most common case,
    /// tested as one bit so that it stays a predictable branch rather than a jump table.
    static let letterOrDigit: UInt16 = 0x40
}

/// Which folding the scanner applies while it copies a token.
enum FoldMode {
    /// None: the token text as written (after NFKC).
    case identity
    /// Lowercasing and decimal-digit folding only: Lucene's LowerCaseFilter and DecimalDigitFilter.
    case base
    /// Everything ``ArabicNormalizer/Mode/extended`` does.
    case extended
}

/// The lookup tables behind the tokenizer and the normalizer.
///
/// Asking `Unicode.Scalar.Properties` about every scalar of every article would be slow (each
/// property is a search in the standard library's tables), so the answers the hot loop needs are
/// flat arrays:
///
/// - `info`: one `UInt16` per BMP scalar: its ``ScalarKind``, the ``InfoBit`` flags and its
///   canonical combining class. It is decoded from ``unicodeInfoRuns`` (generated, see
///   `UnicodeInfoData.swift`), which ``computeInfo()`` derives from the standard library and the NFKC
///   data. Computing it at start-up asked the standard library about 65,536 scalars and parsed the
///   NFKC data: 12 ms of the 35 ms that `marsad search` took on the seeds' index (a third of the
///   process; release build, `perf record` over 20 runs). Decoding the runs takes microseconds, and a
///   test holds the generated runs equal to ``computeInfo()``, so a toolchain with another Unicode
///   version fails it rather than changing the analysis silently. Scalars outside the BMP (emoji, math
///   letters, historic scripts) are rare in news text and are looked up on demand.
/// - fold tables for U+0000–U+07FF (ASCII, Latin, Greek, Cyrillic, Hebrew, Arabic): the scalar
///   each one becomes, or ``deleted``. Everything Arabic that the normalizer changes is in this
///   range; the few scalars above it that fold (accented Latin of Vietnamese, Georgian capitals,
///   digits of Indic scripts…) carry ``InfoBit/foldsBeyondTables`` and are folded by a slower call.
/// - the NFKC mappings (``CompatibilityTable``), parsed only when a scalar that NFKC changes is met.
///
/// The tables are immutable after `init` and never freed, which is why sharing the raw pointers
/// between threads is safe (`@unchecked Sendable`).
final class UnicodeTables: @unchecked Sendable {
    static let shared = UnicodeTables()

    /// Fold-table value meaning "drop this scalar".
    static let deleted: UInt16 = 0xFFFF
    /// The fold tables cover scalars below this value.
    static let foldTableSize = 0x800

    let info: UnsafeMutablePointer<UInt16>
    /// Lowercasing + digit folding (``FoldMode/base``).
    let baseFold: UnsafeMutablePointer<UInt16>
    /// Lowercasing + digit folding + the extended Arabic rules (``FoldMode/extended``).
    let extendedFold: UnsafeMutablePointer<UInt16>
    /// Lucene's ArabicNormalizer alone.
    let luceneRules: UnsafeMutablePointer<UInt16>
    /// The extended Arabic rules alone (Lucene's plus ٱ, ی, ک, U+0670, ALM).
    let extendedRules: UnsafeMutablePointer<UInt16>

    private init() {
        info = .allocate(capacity: 0x1_0000)
        baseFold = .allocate(capacity: Self.foldTableSize)
        extendedFold = .allocate(capacity: Self.foldTableSize)
        luceneRules = .allocate(capacity: Self.foldTableSize)
        extendedRules = .allocate(capacity: Self.foldTableSize)

        Self.decode(unicodeInfoRuns, into: info)

        for v in 0..<UInt32(Self.foldTableSize) {
            let i = Int(v)
            baseFold[i] = UInt16(Self.lowercasedOrDigitFolded(Unicode.Scalar(v)!))
            luceneRules[i] = Self.luceneRule(v)
            extendedRules[i] = Self.extendedRule(v)
        }
        for i in 0..<Self.foldTableSize {
            let b = baseFold[i]
            extendedFold[i] = Int(b) < Self.foldTableSize ? extendedRules[Int(b)] : b
        }
    }

    // MARK: The info table's runs

    /// Fills the 65,536 entries of `info` from runs: each element is a run's first scalar (high 16 bits) and
    /// the entry of every scalar up to the next run's first (low 16 bits).
    static func decode(_ runs: [UInt32], into info: UnsafeMutablePointer<UInt16>) {
        for (n, run) in runs.enumerated() {
            let start = Int(run >> 16)
            let end = n + 1 < runs.count ? Int(runs[n + 1] >> 16) : 0x1_0000
            (info + start).update(repeating: UInt16(truncatingIfNeeded: run), count: end - start)
        }
    }

    /// The runs of an info table, as ``decode(_:into:)`` reads them.
    static func encode(_ info: [UInt16]) -> [UInt32] {
        var runs: [UInt32] = []
        for (cp, entry) in info.enumerated() where cp == 0 || info[cp - 1] != entry {
            runs.append(UInt32(cp) << 16 | UInt32(entry))
        }
        return runs
    }

    /// The info entry of every BMP scalar, from the standard library's properties and the NFKC data: what
    /// ``unicodeInfoRuns`` must encode.
    static func computeInfo() -> [UInt16] {
        var info = (0..<UInt32(0x1_0000)).map { Unicode.Scalar($0).map(basicInfo) ?? ScalarKind.separator }
        let compatibility = CompatibilityTable.shared
        // Slow path for whatever NFKC changes, unless it changes a separator into separators
        // only (NBSP → space, … → ...): those separate words either way.
        func markSlowIfItMatters(_ cp: UInt32) {
            if separates(info[Int(cp)]), let mapped = compatibility.mapping(cp),
               mapped.allSatisfy({ $0 < 0x1_0000 ? separates(info[Int($0)]) : separates(supplementaryBasicInfo($0)) }) {
                return
            }
            info[Int(cp)] |= InfoBit.slow
        }
        for (cp, _) in compatibility.singles where cp < 0x1_0000 { markSlowIfItMatters(cp) }
        for run in compatibility.runs where run.first < 0x1_0000 {
            for cp in run.first...Swift.min(run.last, 0xFFFF) { markSlowIfItMatters(cp) }
        }
        for range in compositionSecondRanges where range.lowerBound < 0x1_0000 {
            for cp in range { info[Int(cp)] |= InfoBit.slow | InfoBit.composesWithPrevious }
        }
        return info
    }

    /// Whether a scalar with this entry is a separator or a number separator. A scalar that NFKC turns
    /// into number separators (… into `...`, ．into `.`) is no number separator itself, and a no-break
    /// space that NFKC turns into a space is one as written: either way the fast path can read it.
    private static func separates(_ entry: UInt16) -> Bool {
        let kind = entry & InfoBit.kindMask
        return kind == ScalarKind.separator || kind == ScalarKind.numberSeparator
    }

    // MARK: Looking up scalars

    /// The info entry of any scalar value.
    @inline(__always)
    func info(of cp: UInt32) -> UInt16 {
        cp < 0x1_0000 ? info[Int(cp)] : supplementaryInfo(cp)
    }

    /// The info entry of a scalar outside the BMP, computed on demand.
    @inline(never)
    func supplementaryInfo(_ cp: UInt32) -> UInt16 {
        guard let scalar = Unicode.Scalar(cp) else { return ScalarKind.separator }
        var result = Self.basicInfo(scalar)
        if compositionSecondRanges.contains(where: { $0.contains(cp) }) {
            result |= InfoBit.slow | InfoBit.composesWithPrevious
        }
        if let mapped = compatibilityMapping(cp),
           !Self.separates(result) || mapped.contains(where: { !Self.separates(info(of: $0)) }) {
            result |= InfoBit.slow
        }
        return result
    }

    /// The NFKC form of the single scalar `cp`, or nil when NFKC leaves it alone.
    func compatibilityMapping(_ cp: UInt32) -> [UInt32]? { CompatibilityTable.shared.mapping(cp) }

    /// Appends the lowercased or digit-folded form of a scalar that ``InfoBit/foldsBeyondTables`` flags.
    @inline(never)
    func appendFoldedBeyondTables(_ cp: UInt32, to writer: inout ByteWriter) {
        let scalar = Unicode.Scalar(cp)!
        for v in Self.lowercasedOrDigitFoldedScalars(scalar) { writer.append(scalar: v) }
    }

    // MARK: Building the tables

    private static func basicInfo(_ scalar: Unicode.Scalar) -> UInt16 {
        let properties = scalar.properties
        var kind: UInt16
        switch scalar.value {
        case 0x200C...0x200F, 0x061C: kind = ScalarKind.joiner
        case _ where NumberSeparator(scalar.value) != nil: kind = ScalarKind.numberSeparator
        default:
            switch properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                kind = ScalarKind.letter
            case .nonspacingMark, .spacingMark, .enclosingMark:
                kind = ScalarKind.mark
            case .decimalNumber:
                kind = ScalarKind.digit
            default:
                kind = ScalarKind.separator
            }
        }
        var result = kind | UInt16(properties.canonicalCombiningClass.rawValue) << 8
        if kind == ScalarKind.letter || kind == ScalarKind.digit { result |= InfoBit.letterOrDigit }
        if scalar.value >= UInt32(foldTableSize),
           kind == ScalarKind.digit || (kind != ScalarKind.separator && properties.changesWhenLowercased) {
            result |= InfoBit.foldsBeyondTables
        }
        return result
    }

    /// What Lucene's LowerCaseFilter and DecimalDigitFilter make of one scalar.
    ///
    /// Like Java's `Character.toLowerCase(int)`, this is the *simple* lowercase mapping: one scalar
    /// in, one scalar out. The standard library only offers the full mapping, which differs for one
    /// scalar: U+0130 (İ) becomes "i" here, not "i" + U+0307.
    static func lowercasedOrDigitFoldedScalars(_ scalar: Unicode.Scalar) -> [UInt32] {
        let properties = scalar.properties
        if properties.generalCategory == .decimalNumber, let value = properties.numericValue {
            return [0x30 + UInt32(value)]
        }
        if scalar.value == 0x130 { return [0x69] }
        if properties.changesWhenLowercased {
            return properties.lowercaseMapping.unicodeScalars.map(\.value)
        }
        return [scalar.value]
    }

    private static func lowercasedOrDigitFolded(_ scalar: Unicode.Scalar) -> UInt32 {
        let folded = lowercasedOrDigitFoldedScalars(scalar)
        precondition(folded.count == 1 && folded[0] < 0x1_0000 && folded[0] != UInt32(deleted),
                     "a scalar below U+0800 lowercases to several scalars")
        return folded[0]
    }

    /// Lucene's `ArabicNormalizer`, one scalar at a time.
    private static func luceneRule(_ v: UInt32) -> UInt16 {
        switch v {
        case 0x0622, 0x0623, 0x0625: return 0x0627  // آ أ إ → ا
        case 0x0649: return 0x064A  // ى → ي
        case 0x0629: return 0x0647  // ة → ه
        case 0x0640, 0x064B...0x0652: return deleted  // tatweel, the eight harakat
        default: return UInt16(v)
        }
    }

    /// The extended Arabic rules: Lucene's plus ٱ → ا, ی → ي, ک → ك, and the removal of U+0670
    /// and ALM. (ZWJ, ZWNJ, LRM and RLM are above U+07FF: callers drop every ``ScalarKind/joiner``.)
    private static func extendedRule(_ v: UInt32) -> UInt16 {
        switch v {
        case 0x0671: return 0x0627  // ٱ (alef wasla) → ا
        case 0x06CC: return 0x064A  // ی (Farsi yeh) → ي
        case 0x06A9: return 0x0643  // ک (keheh) → ك
        case 0x0670, 0x061C: return deleted  // superscript alef, Arabic letter mark
        default: return luceneRule(v)
        }
    }

    /// The basic entry (kind, combining class, ``InfoBit/foldsBeyondTables``) of a scalar outside the BMP.
    private static func supplementaryBasicInfo(_ cp: UInt32) -> UInt16 {
        Unicode.Scalar(cp).map(basicInfo) ?? ScalarKind.separator
    }
}

/// The NFKC mappings of ``compatibilityMappingData``, parsed at first use: only text with a scalar that NFKC
/// changes (presentation forms, ligatures, fullwidth letters…) needs them, and parsing takes about 3 ms.
final class CompatibilityTable: Sendable {
    static let shared = CompatibilityTable()

    let singles: [UInt32: Range<Int>]
    let pool: [UInt32]
    let runs: [(first: UInt32, last: UInt32, target: UInt32)]

    private init() {
        var singles: [UInt32: Range<Int>] = [:]
        var pool: [UInt32] = []
        var runs: [(first: UInt32, last: UInt32, target: UInt32)] = []
        for line in compatibilityMappingData.utf8.split(separator: UInt8(ascii: "\n")) {
            let parts = line.split(separator: UInt8(ascii: ">"))
            let targets = parts[1].split(separator: UInt8(ascii: " ")).map(Self.hexValue)
            let sources = parts[0].split(separator: UInt8(ascii: "-")).map(Self.hexValue)
            if sources.count == 2 {
                runs.append((sources[0], sources[1], targets[0]))
            } else {
                singles[sources[0]] = pool.count..<pool.count + targets.count
                pool += targets
            }
        }
        (self.singles, self.pool, self.runs) = (singles, pool, runs.sorted { $0.first < $1.first })
    }

    /// The NFKC form of the single scalar `cp`, or nil when NFKC leaves it alone.
    func mapping(_ cp: UInt32) -> [UInt32]? {
        if let range = singles[cp] { return Array(pool[range]) }
        var low = 0, high = runs.count
        while low < high {
            let mid = (low + high) / 2
            if runs[mid].last < cp { low = mid + 1 } else { high = mid }
        }
        if low < runs.count, runs[low].first <= cp {
            return [runs[low].target + (cp - runs[low].first)]
        }
        return nil
    }

    private static func hexValue(_ digits: Substring.UTF8View.SubSequence) -> UInt32 {
        digits.reduce(0) { value, byte in
            value << 4 | UInt32(byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "A") + 10)
        }
    }
}
