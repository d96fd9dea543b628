/// Receives the tokens a ``TokenScanner`` finds.
///
/// When `token` is called, the folded bytes of the token are `writer[outputStart..<writer.count]`.
/// The sink may edit them in place, keep them (leave `writer.count` where it is, maybe after
/// appending a separator) or drop them (set `writer.count = outputStart`).
protocol TokenSink {
    mutating func token(original: Range<Int>, outputStart: Int, writer: inout ByteWriter)
}

/// The sink of a scanner that does not split: its single token is the whole output, left in place.
struct WholeOutputSink: TokenSink {
    func token(original: Range<Int>, outputStart: Int, writer: inout ByteWriter) {}
}

/// Decodes the scalar that starts at `p[i]` in valid UTF-8 (``UTF8Scalars/decode(_:_:)``).
@inline(__always)
func decodeScalar(_ p: UnsafePointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
    UTF8Scalars.decode(p, i)
}

/// The tokenizer loop shared by ``ArabicTokenizer``, ``ArabicNormalizer`` and ``ArabicAnalyzer``.
///
/// It reads the UTF-8 bytes of the text once, finds the tokens, and writes each token's folded
/// form (see ``FoldMode``) into a ``ByteWriter``, calling a ``TokenSink`` at the end of each token.
///
/// ## The fast path and the slow path
///
/// Almost every scalar of an Arabic article is an ASCII byte or a two-byte sequence
/// (U+0080–U+07FF, lead bytes 0xC2–0xDF; Arabic letters have lead bytes 0xD8–0xDB). For those,
/// one load from ``UnicodeTables/info`` says what the scalar is and one load from a fold table
/// says what it becomes: no `Unicode.Scalar.Properties`, no `Character`, no allocation.
///
/// The loop alternates between two steps. A tight inner loop (`plainRun`) copies a run of such
/// letters and digits straight into the output, folded; that is most of the text. Whatever ends
/// the run — a space, a mark, a joiner, a three-byte letter — is then handled one scalar at a
/// time, and the inner loop resumes after it.
///
/// NFKC is the exception. A scalar that NFKC would change (an Arabic presentation form such as
/// the lam-alef ligature U+FEFB, a fullwidth letter, a superscript digit) or that NFC would
/// compose with the scalar before it (U+0654 after ا, which NFKC turns into أ) is flagged
/// ``InfoBit/slow``. When the loop meets one, it throws away the token it was building and
/// hands the whole run, from the start of that token to the next plain separator, to the slow
/// path, which applies NFKC properly (per-scalar compatibility mappings, then canonical
/// composition and reordering) while remembering which original bytes each output scalar came
/// from. Token offsets therefore always point into the *original* text, even when the token
/// text itself was folded from a ligature. When one original scalar becomes several tokens
/// (U+FDFA ﷺ becomes four words), all of them carry that scalar's range.
///
/// Runs of combining marks whose order NFC would change are sent to the slow path too, unless
/// the fold deletes them anyway (harakat in the extended normalizer): reordering marks that are
/// about to be removed changes nothing.
///
/// ## Numbers
///
/// A number separator (`.` `,` `٫` `٬` and the thin and no-break spaces, ``ScalarKind/numberSeparator``)
/// ends the plain run like any separator. Only when a digit stands on both sides of it does the
/// scanner read the number it belongs to (``NumberReader``), ahead to its end: whether a `.` is kept
/// (as ٫) or splits depends on whether another decimal separator follows, and a `,` on the length of
/// the run after it. The number is read once to count and once to write; neither allocates. When a
/// scalar that NFKC changes touches the number (a fullwidth digit), the token goes to the slow
/// path, which reads the number the same way over the NFKC scalars, deciding what is a separator
/// on the scalars as written.
struct TokenScanner {
    let tables = UnicodeTables.shared
    let mode: FoldMode
    /// Whether the scanner splits at all. A normalizer given one word keeps it whole: every
    /// scalar, separators included, is folded and kept (joiners are still dropped by the
    /// extended fold).
    let splits: Bool

    init(mode: FoldMode, splits: Bool = true) {
        self.mode = mode
        self.splits = splits
    }

    private var foldTable: UnsafeMutablePointer<UInt16>? {
        switch mode {
        case .identity: nil
        case .base: tables.baseFold
        case .extended: tables.extendedFold
        }
    }

    /// The state of the token being built.
    private struct TokenState {
        var active = false
        /// Original byte range: from the first scalar to the end of the last non-joiner scalar.
        var start = 0
        var end = 0
        /// Output byte range: `outputEnd` excludes trailing joiners.
        var outputStart = 0
        var outputEnd = 0
        /// Whether the token has a letter or a digit (a token of marks alone is dropped).
        var hasLetterOrDigit = false
    }

    /// Tokenizes `text`, writing folded tokens into `writer` and handing each to `sink`.
    func scan<Sink: TokenSink>(_ text: UnsafeBufferPointer<UInt8>, into writer: inout ByteWriter,
                               sink: inout Sink) {
        guard let p = text.baseAddress, !text.isEmpty else { return }
        let n = text.count
        let fold = foldTable
        var state = TokenState()
        var i = 0
        while i < n {
            // Most of the text: a run of plain letters and digits, copied and folded in a tight loop.
            let outputBefore = writer.count
            let runEnd = plainRun(p, n, from: i, fold, &writer)
            if runEnd > i {
                if !state.active {
                    state = TokenState(active: true, start: i, end: i, outputStart: outputBefore,
                                       outputEnd: outputBefore)
                }
                state.end = runEnd
                state.outputEnd = writer.count
                state.hasLetterOrDigit = true
                i = runEnd
                if i == n { break }
            }

            // Everything else, one scalar at a time.
            let (cp, length) = decodeScalar(p, i)
            let entry = tables.info(of: cp)
            if entry & InfoBit.slow != 0 {
                i = slowRun(p, n, from: state.active ? state.start : i, trigger: i, &state, &writer, &sink)
                continue
            }
            var kind = entry & InfoBit.kindMask
            if kind == ScalarKind.numberSeparator, let end = number(p, n, at: i, length, &state, &writer, &sink) {
                i = end
                continue
            }
            if !splits { kind = keptWhole(kind) }
            if kind == ScalarKind.letter || kind == ScalarKind.digit {
                extend(&state, &writer, cp, entry, fold, i, length)
                state.hasLetterOrDigit = true
            } else if kind == ScalarKind.separator {
                finish(&state, &writer, &sink)
            } else if kind == ScalarKind.mark {
                if needsReordering(p, i, cp, entry, state, fold) {
                    i = slowRun(p, n, from: state.active ? state.start : i, trigger: i, &state, &writer, &sink)
                    continue
                }
                extend(&state, &writer, cp, entry, fold, i, length)
            } else if kind == ScalarKind.joiner {
                if state.active && mode != .extended { writer.append(scalar: cp) }
            } else {  // ScalarKind.numberSeparator outside a number: a separator like any other
                finish(&state, &writer, &sink)
            }
            i &+= length
        }
        finish(&state, &writer, &sink)
    }

    /// Copies the plain letters and digits that start at `p[start]` into `writer`, folded, and
    /// returns where they end. Plain: ASCII or two-byte, not ``InfoBit/slow``, and folding to
    /// nothing longer than themselves (so the run writes at most as many bytes as it reads).
    /// Anything else ends the run and is left to the scalar-by-scalar loop.
    @inline(__always)
    private func plainRun(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int,
                          _ fold: UnsafeMutablePointer<UInt16>?, _ writer: inout ByteWriter) -> Int {
        let info = tables.info
        let plain = InfoBit.letterOrDigit, mask = InfoBit.letterOrDigit | InfoBit.slow
        writer.reserve(n &- start)
        let out = writer.base
        var o = writer.count
        var i = start
        while i < n {
            let b0 = p[i]
            if b0 < 0x80 {
                guard info[Int(b0)] & mask == plain else { break }
                out[o] = fold.map { UInt8(truncatingIfNeeded: $0[Int(b0)]) } ?? b0  // ASCII folds to ASCII
                o &+= 1
                i &+= 1
            } else if b0 < 0xE0 {
                let b1 = p[i &+ 1]
                let cp = Int(b0 & 0x1F) &<< 6 | Int(b1 & 0x3F)
                guard info[cp] & mask == plain else { break }
                let target = fold.map { Int($0[cp]) } ?? cp
                if target == cp {
                    out[o] = b0
                    out[o &+ 1] = b1
                    o &+= 2
                } else if target < 0x80 {  // a digit: ٣ → 3
                    out[o] = UInt8(truncatingIfNeeded: target)
                    o &+= 1
                } else if target < 0x800 {  // أ → ا, É → é
                    out[o] = UInt8(truncatingIfNeeded: 0xC0 | target &>> 6)
                    out[o &+ 1] = UInt8(truncatingIfNeeded: 0x80 | target & 0x3F)
                    o &+= 2
                } else {  // deleted (tatweel), or longer (Ⱥ → ⱥ)
                    break
                }
                i &+= 2
            } else {
                break
            }
        }
        writer.count = o
        return i
    }

    /// In a scanner that does not split, what a scalar of `kind` counts as: separators are kept
    /// like letters, and so are joiners unless the extended fold drops them.
    @inline(__always)
    private func keptWhole(_ kind: UInt16) -> UInt16 {
        switch kind {
        case ScalarKind.separator, ScalarKind.numberSeparator: ScalarKind.letter
        case ScalarKind.joiner where mode != .extended: ScalarKind.letter
        default: kind
        }
    }

    /// Adds a scalar to the token (starting one if needed).
    @inline(__always)
    private func extend(_ state: inout TokenState, _ writer: inout ByteWriter, _ cp: UInt32, _ entry: UInt16,
                        _ fold: UnsafeMutablePointer<UInt16>?, _ i: Int, _ length: Int) {
        if !state.active {
            state = TokenState(active: true, start: i, end: i, outputStart: writer.count, outputEnd: writer.count)
        }
        appendFolded(cp, entry, fold, &writer)
        state.end = i &+ length
        state.outputEnd = writer.count
    }

    /// Whether the fold drops the scalar `cp` (harakat and tatweel, in extended mode).
    @inline(__always)
    private func isDeleted(_ cp: UInt32, _ fold: UnsafeMutablePointer<UInt16>?) -> Bool {
        guard let fold, cp < 0x800 else { return false }
        return fold[Int(cp)] == UnicodeTables.deleted
    }

    /// Whether NFC would move the mark `cp` at `p[i]` before a mark already in the token.
    ///
    /// Marks that the fold deletes are ignored on both sides: reordering marks that are about to
    /// be removed changes nothing. (This is what keeps shadda + fatha, typed in the order NFC
    /// reverses, on the fast path.) A scalar of class 0 stops the search: nothing moves across it.
    private func needsReordering(_ p: UnsafePointer<UInt8>, _ i: Int, _ cp: UInt32, _ entry: UInt16,
                                 _ state: TokenState, _ fold: UnsafeMutablePointer<UInt16>?) -> Bool {
        let combiningClass = entry >> 8
        guard combiningClass != 0, state.active, !isDeleted(cp, fold) else { return false }
        var k = i
        while k > state.start {
            let (previous, previousStart) = scalarBefore(p, k)
            let previousEntry = tables.info(of: previous)
            let previousClass = previousEntry >> 8
            if previousEntry & InfoBit.kindMask != ScalarKind.mark || previousClass == 0 { return false }
            if !isDeleted(previous, fold) { return previousClass > combiningClass }
            k = previousStart
        }
        return false
    }

    /// The scalar that ends just before `p[i]` in valid UTF-8, and where it starts.
    @inline(__always)
    private func scalarBefore(_ p: UnsafePointer<UInt8>, _ i: Int) -> (value: UInt32, start: Int) {
        var k = i &- 1
        while p[k] & 0xC0 == 0x80 { k &-= 1 }
        return (decodeScalar(p, k).value, k)
    }

    @inline(__always)
    private func appendFolded(_ cp: UInt32, _ entry: UInt16, _ fold: UnsafeMutablePointer<UInt16>?,
                              _ writer: inout ByteWriter) {
        if let fold {
            if cp < 0x800 {
                let target = fold[Int(cp)]
                if target != UnicodeTables.deleted { writer.append(scalar: UInt32(target)) }
                return
            }
            if entry & InfoBit.foldsBeyondTables != 0 {
                tables.appendFoldedBeyondTables(cp, to: &writer)
                return
            }
        }
        writer.append(scalar: cp)
    }

    @inline(__always)
    private func finish<Sink: TokenSink>(_ state: inout TokenState, _ writer: inout ByteWriter,
                                         _ sink: inout Sink) {
        guard state.active else { return }
        state.active = false
        writer.count = state.outputEnd  // drop trailing joiners
        if state.hasLetterOrDigit && state.outputEnd > state.outputStart || !splits {
            sink.token(original: state.start..<state.end, outputStart: state.outputStart, writer: &writer)
        } else {
            writer.count = state.outputStart
        }
    }

    /// Adds the scalar `value`, from the original bytes `start..<end`, to the token (starting one if needed).
    @inline(__always)
    private func add(_ value: UInt32, from start: Int, to end: Int, _ state: inout TokenState,
                     _ writer: inout ByteWriter, _ fold: UnsafeMutablePointer<UInt16>?) {
        if !state.active {
            state = TokenState(active: true, start: start, end: start, outputStart: writer.count,
                               outputEnd: writer.count)
        }
        appendFolded(value, tables.info(of: value), fold, &writer)
        state.end = Swift.max(state.end, end)
        state.outputEnd = writer.count
    }

    // MARK: Numbers

    /// At the number separator `p[i]` (`.` `,` `٫` `٬` or a thin or no-break space): when it stands
    /// right after a digit of the token and before a digit, reads the number it belongs to into the
    /// token (see "Numbers" in ``ArabicTokenizer``) and returns where the number ends; nil when the
    /// separator is no part of a number.
    ///
    /// `.` and `,` are frequent in text and rarely between digits, so this first looks at the
    /// scalars on both sides (one table load each) and leaves everything else to ``readNumber``.
    @inline(__always)
    private func number<Sink: TokenSink>(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int, _ length: Int,
                                         _ state: inout TokenState, _ writer: inout ByteWriter,
                                         _ sink: inout Sink) -> Int? {
        guard state.active, state.end == i, i &+ length < n else { return nil }
        let next = tables.info(of: decodeScalar(p, i &+ length).value)
        guard next & InfoBit.kindMask == ScalarKind.digit || next & InfoBit.slow != 0,
              tables.info(of: scalarBefore(p, i).value) & InfoBit.kindMask == ScalarKind.digit else { return nil }
        return readNumber(p, n, at: i, &state, &writer, &sink)
    }

    /// The fast path's number: read from the original bytes, or handed to the slow path when a scalar
    /// that NFKC changes touches it (a fullwidth digit, ²).
    @inline(never)
    private func readNumber<Sink: TokenSink>(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int,
                                             _ state: inout TokenState, _ writer: inout ByteWriter,
                                             _ sink: inout Sink) -> Int? {
        // The run of digits before the separator (only whether it has more than 3 matters).
        var digits = 0, k = i
        while digits < 4, k > state.start {
            let (value, start) = scalarBefore(p, k)
            guard tables.info(of: value) & InfoBit.kindMask == ScalarKind.digit else { break }
            digits &+= 1
            k = start
        }
        let scalars = OriginalScalars(p: p, endIndex: n, tables: tables)
        guard let plan = NumberReader.plan(scalars, at: i, previousDigits: digits) else {
            return slowRun(p, n, from: state.start, trigger: i, &state, &writer, &sink)
        }
        guard plan.separators > 0 else { return nil }
        return writeNumber(scalars, at: i, previousDigits: digits, plan: plan, &state, &writer, &sink)
    }

    /// Writes the number whose first separator is at `position` (after a run of `previousDigits`
    /// digits already in the token), as `plan` counted it, and returns where it ends.
    ///
    /// Digits are folded like any others. A thousands separator is dropped (the original range still
    /// covers it). The decimal separator of a decimal number is written ٫
    /// (``NumberSeparator/canonicalDecimal``). When the number has several decimal separators (a date,
    /// a version, an address), each of them ends a token instead, or, in a scanner that does not
    /// split, is kept as written.
    private func writeNumber<Scalars: NumberScalars, Sink: TokenSink>(
        _ scalars: Scalars, at position: Int, previousDigits: Int, plan: (separators: Int, decimals: Int),
        _ state: inout TokenState, _ writer: inout ByteWriter, _ sink: inout Sink
    ) -> Int {
        let fold = foldTable
        var reader = NumberReader(scalars, at: position, previousDigits: previousDigits)
        for _ in 0..<plan.separators {
            guard case .step(let step) = reader.next() else { break }  // the same steps as the plan's
            switch step.use {
            case .group:
                break
            case .decimal where plan.decimals == 1:
                writer.append(scalar: NumberSeparator.canonicalDecimal)
                state.outputEnd = writer.count
            case .decimal:
                if splits {
                    finish(&state, &writer, &sink)
                } else {
                    let separator = scalars.scalar(at: step.separator.lowerBound)
                    add(separator.value, from: separator.start, to: separator.end, &state, &writer, fold)
                }
            }
            var k = step.separator.upperBound
            while k < step.runEnd {
                let digit = scalars.scalar(at: k)
                add(digit.value, from: digit.start, to: digit.end, &state, &writer, fold)
                k = digit.next
            }
            state.hasLetterOrDigit = true
        }
        return reader.position
    }

    /// The original bytes, as the fast path reads a number: a scalar that NFKC changes is unknown.
    private struct OriginalScalars: NumberScalars {
        let p: UnsafePointer<UInt8>
        let endIndex: Int
        let tables: UnicodeTables

        func separator(at k: Int) -> (role: NumberSeparator, next: Int)? {
            let (cp, length) = decodeScalar(p, k)
            return NumberSeparator(cp).map { ($0, k &+ length) }
        }

        func digit(at k: Int) -> (isDigit: Bool, next: Int)? {
            let (cp, length) = decodeScalar(p, k)
            let entry = tables.info(of: cp)
            if entry & InfoBit.slow != 0 { return nil }
            return (entry & InfoBit.kindMask == ScalarKind.digit, k &+ length)
        }

        func scalar(at k: Int) -> (value: UInt32, start: Int, end: Int, next: Int) {
            let (cp, length) = decodeScalar(p, k)
            return (cp, k, k &+ length, k &+ length)
        }
    }

    /// The NFKC scalars of the slow path. Whether a scalar is a number separator is decided on the
    /// original scalar it comes from: NFKC turns the no-break spaces into plain spaces, and ．(U+FF0E)
    /// into `.`, which is no number separator as written.
    private struct NormalizedScalars: NumberScalars {
        let scalars: [SourcedScalar]
        let p: UnsafePointer<UInt8>
        let tables: UnicodeTables

        var endIndex: Int { scalars.count }

        func separator(at k: Int) -> (role: NumberSeparator, next: Int)? {
            let item = scalars[k]
            let (cp, length) = decodeScalar(p, item.start)
            guard length == item.end - item.start, let role = NumberSeparator(cp) else { return nil }
            return (role, k + 1)
        }

        func digit(at k: Int) -> (isDigit: Bool, next: Int)? {
            (tables.info(of: scalars[k].value) & InfoBit.kindMask == ScalarKind.digit, k + 1)
        }

        func scalar(at k: Int) -> (value: UInt32, start: Int, end: Int, next: Int) {
            (scalars[k].value, scalars[k].start, scalars[k].end, k + 1)
        }
    }

    // MARK: The slow path

    /// Re-tokenizes `p[start..<end]` after NFKC, where `end` is the first plain separator at or
    /// after `trigger` (the flagged scalar). Returns `end`.
    @inline(never)
    private func slowRun<Sink: TokenSink>(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int,
                                                       trigger: Int, _ state: inout TokenState,
                                                       _ writer: inout ByteWriter, _ sink: inout Sink) -> Int {
        if state.active { writer.count = state.outputStart }
        state = TokenState()
        var end = trigger
        while end < n {
            let (cp, length) = decodeScalar(p, end)
            let entry = tables.info(of: cp)
            if splits && entry & InfoBit.kindMask == ScalarKind.separator && entry & InfoBit.slow == 0 { break }
            end += length
        }
        let scalars = nfkc(p, start..<end)
        let fold = foldTable
        let numberScalars = NormalizedScalars(scalars: scalars, p: p, tables: tables)
        var lastWasDigit = false
        var index = 0
        while index < scalars.count {
            let item = scalars[index]
            let entry = tables.info(of: item.value)
            var kind = entry & InfoBit.kindMask
            if kind == ScalarKind.separator || kind == ScalarKind.numberSeparator, state.active, lastWasDigit,
               index + 1 < scalars.count, numberScalars.digit(at: index + 1)!.isDigit,
               numberScalars.separator(at: index) != nil {
                var digits = 0
                while digits < 4, index - digits > 0, numberScalars.digit(at: index - digits - 1)!.isDigit {
                    digits += 1
                }
                let plan = NumberReader.plan(numberScalars, at: index, previousDigits: digits)!
                if plan.separators > 0 {
                    index = writeNumber(numberScalars, at: index, previousDigits: digits, plan: plan,
                                        &state, &writer, &sink)
                    continue  // lastWasDigit stays true: a number ends with a digit
                }
            }
            if !splits { kind = keptWhole(kind) }
            switch kind {
            case ScalarKind.letter, ScalarKind.digit, ScalarKind.mark:
                add(item.value, from: item.start, to: item.end, &state, &writer, fold)
                state.hasLetterOrDigit = state.hasLetterOrDigit || kind != ScalarKind.mark
            case ScalarKind.joiner:
                if state.active && mode != .extended { writer.append(scalar: item.value) }
            default:
                finish(&state, &writer, &sink)
            }
            lastWasDigit = kind == ScalarKind.digit
            index += 1
        }
        finish(&state, &writer, &sink)
        return end
    }

    /// A scalar produced by NFKC and the original bytes it comes from.
    struct SourcedScalar {
        var value: UInt32
        var start: Int
        var end: Int
    }

    /// The NFKC form of `p[range]`, each scalar tagged with the original bytes it comes from.
    ///
    /// NFKC(s) = NFC(NFKD(s)), and NFC of a concatenation of per-scalar NFKC forms is NFKC(s), so
    /// this maps each scalar with the generated compatibility table, then applies NFC (the
    /// standard library's `_nfcCodeUnits`) segment by segment. A segment starts at each scalar
    /// that has combining class 0 and cannot compose with what precedes it, so no reordering or
    /// composition crosses a segment boundary; the scalars NFC makes out of a segment are all
    /// attributed to the segment's original bytes.
    func nfkc(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> [SourcedScalar] {
        var mapped: [SourcedScalar] = []
        var i = range.lowerBound
        while i < range.upperBound {
            let (cp, length) = decodeScalar(p, i)
            if let mapping = tables.compatibilityMapping(cp) {
                for v in mapping { mapped.append(SourcedScalar(value: v, start: i, end: i + length)) }
            } else {
                mapped.append(SourcedScalar(value: cp, start: i, end: i + length))
            }
            i += length
        }
        var result: [SourcedScalar] = []
        result.reserveCapacity(mapped.count)
        var segmentStart = 0
        for index in 0...mapped.count {
            if index < mapped.count {
                let entry = tables.info(of: mapped[index].value)
                let startsSegment = entry >> 8 == 0 && entry & InfoBit.composesWithPrevious == 0
                if !startsSegment || index == segmentStart { continue }
            }
            guard index > segmentStart else { continue }
            let segment = mapped[segmentStart..<index]
            if segment.count == 1 {
                result.append(segment.first!)
            } else {
                var scalars = String.UnicodeScalarView()
                for item in segment { scalars.append(Unicode.Scalar(item.value)!) }
                let composed = String(decoding: String(scalars)._nfcCodeUnits, as: UTF8.self).unicodeScalars
                    .map(\.value)
                if composed.elementsEqual(segment.lazy.map(\.value)) {
                    result += segment  // already NFC: every scalar keeps its own bytes
                } else {
                    // If the first scalar survived as it was, only the marks after it were reordered
                    // or composed among themselves: it keeps its bytes and they share theirs.
                    // Otherwise the first scalar absorbed marks, and all share the segment's bytes.
                    let keepsFirst = composed.first == segment.first!.value
                    let shared = keepsFirst ? segment.dropFirst() : segment
                    let start = shared.map(\.start).min()!, end = shared.map(\.end).max()!
                    if keepsFirst { result.append(segment.first!) }
                    for value in composed.dropFirst(keepsFirst ? 1 : 0) {
                        result.append(SourcedScalar(value: value, start: start, end: end))
                    }
                }
            }
            segmentStart = index
        }
        return result
    }
}
