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

/// Decodes the scalar that starts at `p[i]` in valid UTF-8: its value and its length in bytes.
@inline(__always)
func decodeScalar(_ p: UnsafePointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
    let b0 = UInt32(p[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(p[i &+ 1] & 0x3F), 2) }
    if b0 < 0xF0 {
        return ((b0 & 0x0F) << 12 | UInt32(p[i &+ 1] & 0x3F) << 6 | UInt32(p[i &+ 2] & 0x3F), 3)
    }
    return ((b0 & 0x07) << 18 | UInt32(p[i &+ 1] & 0x3F) << 12 | UInt32(p[i &+ 2] & 0x3F) << 6
            | UInt32(p[i &+ 3] & 0x3F), 4)
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
        var lastWasDigit = false
        /// Canonical combining class of the last kept scalar (0 after a non-mark).
        var lastCombiningClass: UInt16 = 0
    }

    /// Tokenizes `text`, writing folded tokens into `writer` and handing each to `sink`.
    func scan<Sink: TokenSink>(_ text: UnsafeBufferPointer<UInt8>, into writer: inout ByteWriter,
                                           sink: inout Sink) {
        guard let p = text.baseAddress, !text.isEmpty else { return }
        let n = text.count
        let info = tables.info
        let fold = foldTable
        var state = TokenState()
        var i = 0
        while i < n {
            let (cp, length) = decodeScalar(p, i)
            let entry = cp < 0x1_0000 ? info[Int(cp)] : tables.supplementaryInfo(cp)
            var kind = entry & InfoBit.kindMask
            if entry & InfoBit.slow != 0 {
                i = slowRun(p, n, from: state.active ? state.start : i, trigger: i, &state, &writer, &sink)
                continue
            }
            if !splits { kind = keptWhole(kind) }
            switch kind {
            case ScalarKind.letter, ScalarKind.digit, ScalarKind.mark:
                var combiningClass: UInt16 = 0
                if kind == ScalarKind.mark {
                    combiningClass = entry >> 8
                    if combiningClass != 0 {
                        let deleted = fold.map { cp < 0x800 && $0[Int(cp)] == UnicodeTables.deleted } ?? false
                        if deleted {
                            combiningClass = state.lastCombiningClass
                        } else if combiningClass < state.lastCombiningClass {
                            // NFC would reorder these marks.
                            i = slowRun(p, n, from: state.active ? state.start : i, trigger: i,
                                        &state, &writer, &sink)
                            continue
                        }
                    }
                }
                if !state.active { begin(&state, at: i, writer.count) }
                appendFolded(cp, entry, fold, &writer)
                state.end = i &+ length
                state.outputEnd = writer.count
                state.hasLetterOrDigit = state.hasLetterOrDigit || kind != ScalarKind.mark
                state.lastWasDigit = kind == ScalarKind.digit
                state.lastCombiningClass = combiningClass
            case ScalarKind.joiner:
                if state.active {
                    if mode != .extended { writer.append(scalar: cp) }
                    state.lastWasDigit = false
                    state.lastCombiningClass = 0
                }
            case ScalarKind.numberSeparator:
                if state.active, state.lastWasDigit, i &+ length < n {
                    let next = decodeScalar(p, i &+ length).value
                    let nextEntry = tables.info(of: next)
                    if nextEntry & InfoBit.slow != 0 {
                        i = slowRun(p, n, from: state.start, trigger: i, &state, &writer, &sink)
                        continue
                    }
                    if nextEntry & InfoBit.kindMask == ScalarKind.digit {
                        writer.append(scalar: cp)
                        state.end = i &+ length
                        state.outputEnd = writer.count
                        state.lastWasDigit = false
                        state.lastCombiningClass = 0
                        break
                    }
                }
                finish(&state, &writer, &sink)
            default:
                finish(&state, &writer, &sink)
            }
            i &+= length
        }
        finish(&state, &writer, &sink)
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

    @inline(__always)
    private func begin(_ state: inout TokenState, at start: Int, _ outputStart: Int) {
        state = TokenState(active: true, start: start, end: start, outputStart: outputStart,
                           outputEnd: outputStart)
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
        state.lastCombiningClass = 0
        writer.count = state.outputEnd  // drop trailing joiners
        if state.hasLetterOrDigit && state.outputEnd > state.outputStart || !splits {
            sink.token(original: state.start..<state.end, outputStart: state.outputStart, writer: &writer)
        } else {
            writer.count = state.outputStart
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
        for (index, item) in scalars.enumerated() {
            let entry = tables.info(of: item.value)
            var kind = entry & InfoBit.kindMask
            if !splits { kind = keptWhole(kind) }
            switch kind {
            case ScalarKind.letter, ScalarKind.digit, ScalarKind.mark:
                if !state.active { begin(&state, at: item.start, writer.count) }
                appendFolded(item.value, entry, fold, &writer)
                state.end = Swift.max(state.end, item.end)
                state.outputEnd = writer.count
                state.hasLetterOrDigit = state.hasLetterOrDigit || kind != ScalarKind.mark
                state.lastWasDigit = kind == ScalarKind.digit
            case ScalarKind.joiner:
                if state.active {
                    if mode != .extended { writer.append(scalar: item.value) }
                    state.lastWasDigit = false
                }
            case ScalarKind.numberSeparator
                where state.active && state.lastWasDigit && index + 1 < scalars.count
                    && tables.info(of: scalars[index + 1].value) & InfoBit.kindMask == ScalarKind.digit:
                writer.append(scalar: item.value)
                state.end = Swift.max(state.end, item.end)
                state.outputEnd = writer.count
                state.lastWasDigit = false
            default:
                finish(&state, &writer, &sink)
            }
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
