/// The scalars that may stand between the digits of one number, as written (before NFKC, which would
/// turn the no-break spaces into plain spaces). See "Numbers" in ``ArabicTokenizer``.
enum NumberSeparator {
    /// `.` (U+002E) and the Arabic decimal separator `٫` (U+066B): always a decimal separator.
    case decimal
    /// `,` (U+002C): a thousands separator where it groups thousands, a decimal separator elsewhere.
    case comma
    /// The Arabic thousands separator `٬` (U+066C): always a thousands separator.
    case arabicThousands
    /// THIN SPACE (U+2009), NARROW NO-BREAK SPACE (U+202F) and NO-BREAK SPACE (U+00A0): a thousands
    /// separator where it groups thousands, a space elsewhere.
    case space

    /// The role of the scalar `cp`, or nil when it is not a number separator.
    @inline(__always)
    init?(_ cp: UInt32) {
        switch cp {
        case 0x2E, 0x066B: self = .decimal
        case 0x2C: self = .comma
        case 0x066C: self = .arabicThousands
        case 0x2009, 0x202F, 0x00A0: self = .space
        default: return nil
        }
    }

    /// The decimal separator every number is written with in a term: `٫` (U+066B), never `.` or `,`.
    ///
    /// The full-text table is SQLite FTS5 with the `ascii` tokenizer over the analyzed text. That
    /// tokenizer splits at every ASCII character that is not a letter or a digit, but keeps every
    /// non-ASCII character inside a token, so `5٫4` stays one FTS5 token where `5.4` would become `5`
    /// and `4` again.
    static let canonicalDecimal: UInt32 = 0x066B
}

/// The scalars a ``NumberReader`` reads, by position: the original bytes on the scanner's fast path,
/// the NFKC scalars on its slow path.
protocol NumberScalars {
    /// Where the scalars end.
    var endIndex: Int { get }
    /// The number separator at `k`, if the scalar there is one, and where the scalar after it starts.
    func separator(at k: Int) -> (role: NumberSeparator, next: Int)?
    /// Whether the scalar at `k` is a decimal digit, and where the next scalar starts; nil when only
    /// the slow path can tell (the scalar changes under NFKC).
    func digit(at k: Int) -> (isDigit: Bool, next: Int)?
    /// The scalar at `k` and the original bytes it comes from.
    func scalar(at k: Int) -> (value: UInt32, start: Int, end: Int, next: Int)
}

/// Reads the separators of one number, from the first separator after its first run of digits:
/// `1,350.5` is the run `1`, then `,` and the run `350`, then `.` and the run `5`.
///
/// Each step decides what one separator is (see "Numbers" in ``ArabicTokenizer``); the number ends
/// where a separator is not followed by a digit, or is a space that does not group thousands.
/// Whether the number is a decimal number (at most one decimal separator) is only known at its
/// end, so the scanner reads it twice: once to count (``plan(_:at:previousDigits:)``), once to write.
struct NumberReader<Scalars: NumberScalars> {
    enum Use {
        /// Dropped: the digits on both sides are one run.
        case group
        /// A decimal separator (written ٫ when the number has only one, a split otherwise).
        case decimal
    }

    struct Step {
        var separator: Range<Int>
        var use: Use
        /// Where the run of digits after the separator ends.
        var runEnd: Int
    }

    enum Outcome {
        case step(Step)
        /// The number ends before this position.
        case end
        /// A scalar that NFKC changes stands in the way: only the slow path can read this number.
        case unknown
    }

    let scalars: Scalars
    /// Where the next separator may start: the end of the last run of digits read.
    private(set) var position: Int
    /// How many digits the last run has (only whether it is more than 3 matters).
    private var previousDigits: Int
    private var previousWasGroup = false

    /// A reader at the first separator, `previousDigits` being the length of the run before it.
    init(_ scalars: Scalars, at position: Int, previousDigits: Int) {
        self.scalars = scalars
        self.position = position
        self.previousDigits = previousDigits
    }

    /// The next separator of the number and the run after it.
    mutating func next() -> Outcome {
        guard position < scalars.endIndex, let (role, runStart) = scalars.separator(at: position) else { return .end }
        var k = runStart, digits = 0
        while k < scalars.endIndex {
            guard let (isDigit, next) = scalars.digit(at: k) else { return .unknown }
            if !isDigit { break }
            digits &+= 1
            k = next
        }
        guard digits > 0 else { return .end }
        // Thousands are grouped by three, after a first group of one to three digits.
        let groupsThousands = digits == 3 && (previousDigits <= 3 || previousWasGroup)
        let use: Use
        switch role {
        case .decimal: use = .decimal
        case .arabicThousands: use = .group
        case .comma: use = groupsThousands ? .group : .decimal
        case .space:
            guard groupsThousands else { return .end }
            use = .group
        }
        let step = Step(separator: position..<runStart, use: use, runEnd: k)
        position = k
        previousDigits = digits
        previousWasGroup = use == .group
        return .step(step)
    }

    /// How many separators the number that starts at the separator `position` has, and how many of
    /// them are decimal separators; nil when only the slow path can read it.
    static func plan(_ scalars: Scalars, at position: Int, previousDigits: Int) -> (separators: Int, decimals: Int)? {
        var reader = NumberReader(scalars, at: position, previousDigits: previousDigits)
        var separators = 0, decimals = 0
        while true {
            switch reader.next() {
            case .step(let step):
                separators &+= 1
                if step.use == .decimal { decimals &+= 1 }
            case .end:
                return (separators, decimals)
            case .unknown:
                return nil
            }
        }
    }
}
