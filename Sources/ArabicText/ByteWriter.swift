/// A growable buffer of UTF-8 bytes that the analyzer writes its output into.
///
/// The analyzer never builds a `String` per token on its hot path: it writes each normalized
/// token straight into one `ByteWriter`, edits it in place (stop words are truncated away,
/// stemming moves the end and the start), and makes a `String` once at the end.
///
/// `[UInt8]` would work too, but every `append` on an array re-checks uniqueness and capacity,
/// and the in-place edits need unsafe pointers anyway. The writer is `~Copyable`, so it is
/// passed `inout` (statically checked exclusivity, no reference counting) and frees its memory
/// exactly once, in `deinit`.
///
/// The allocation always extends ``slack`` zeroed bytes past the capacity, so code that looks at
/// a short word in the buffer may load 8 or 16 bytes at once from anywhere below `count` and
/// mask off what lies beyond the word.
struct ByteWriter: ~Copyable {
    /// Readable bytes guaranteed past any position below the capacity.
    static let slack = 16

    /// The start of the buffer. Valid until the next call that may grow it.
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes written. Lowering it truncates; never raise it past what was written.
    var count = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 32)
        base = .allocate(capacity: self.capacity + Self.slack)
        base.initialize(repeating: 0, count: self.capacity + Self.slack)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(toAtLeast: count &+ extra) }
    }

    @inline(never)
    private mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = Swift.max(minimum, capacity &* 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + Self.slack)
        newBase.initialize(from: base, count: count)
        (newBase + count).initialize(repeating: 0, count: newCapacity + Self.slack - count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    /// Appends the UTF-8 encoding of the scalar whose value is `v` (which must be a valid scalar).
    @inline(__always)
    mutating func append(scalar v: UInt32) {
        reserve(4)
        let p = base + count
        if v < 0x80 {
            p[0] = UInt8(truncatingIfNeeded: v)
            count &+= 1
        } else if v < 0x800 {
            p[0] = UInt8(truncatingIfNeeded: 0xC0 | (v >> 6))
            p[1] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
            count &+= 2
        } else if v < 0x1_0000 {
            p[0] = UInt8(truncatingIfNeeded: 0xE0 | (v >> 12))
            p[1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
            p[2] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
            count &+= 3
        } else {
            p[0] = UInt8(truncatingIfNeeded: 0xF0 | (v >> 18))
            p[1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F))
            p[2] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
            p[3] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
            count &+= 4
        }
    }

    /// Removes `range` (a range of written bytes), moving the bytes after it down.
    mutating func remove(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        (base + range.lowerBound).update(from: base + range.upperBound, count: count - range.upperBound)
        count -= range.count
    }

    /// A `String` made of the written bytes in `range`.
    ///
    /// The bytes are valid UTF-8 by construction: the writer only ever receives whole scalars
    /// (encoded by ``append(scalar:)`` or copied from valid input), and every edit removes whole
    /// scalars. So the string is made without validating them again, which would cost about a
    /// tenth of ``ArabicAnalyzer/indexText(_:)``'s time. Debug builds check anyway.
    func string(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        let bytes = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
        assert(String(validating: bytes, as: UTF8.self) != nil, "the analyzer wrote invalid UTF-8")
        if #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) {
            return String(copying: UTF8Span(unchecked: Span(_unsafeElements: bytes)))
        }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            _ = buffer.initialize(from: bytes)
            return bytes.count
        }
    }
}

/// Calls `body` with the UTF-8 bytes of `text`, without copying them when `text` is a native string.
@inline(__always)
func withUTF8Bytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    var contiguous = text
    return contiguous.withUTF8(body)
}
