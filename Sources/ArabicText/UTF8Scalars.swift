/// Decoding and encoding Unicode scalars in UTF-8 that is already valid, for the text passes of Marsad
/// (the tokenizer here, the parser in Articles, full-text rows in ArticleIndex): one implementation.
///
/// Working on bytes and scalars, never on `Character`s, keeps every pass linear and byte-exact: grapheme
/// breaking is slow on long lines and merges an Arabic letter with its diacritics in ways that make offsets
/// disagree with the bytes. Validation of untrusted input is not done here: that is the parser's
/// `TextDecoder`, which hands valid UTF-8 to everything else.
public enum UTF8Scalars {
    /// The length of the sequence that `lead` starts (1 for a stray continuation byte).
    @inlinable @inline(__always)
    public static func width(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0xC0: 1
        case 0xC0..<0xE0: 2
        case 0xE0..<0xF0: 3
        default: 4
        }
    }

    /// The scalar that starts at `p[i]` in valid UTF-8: its value and its length in bytes (the hot loop of
    /// the tokenizer: no bounds checks).
    @inlinable @inline(__always)
    public static func decode(_ p: UnsafePointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(p[i &+ 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(p[i &+ 1] & 0x3F) << 6 | UInt32(p[i &+ 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(p[i &+ 1] & 0x3F) << 12 | UInt32(p[i &+ 2] & 0x3F) << 6
                | UInt32(p[i &+ 3] & 0x3F), 4)
    }

    /// The scalar that starts at `b[i]`. A truncated final sequence reads only the bytes that exist and
    /// gives U+FFFD, so a bug upstream cannot turn into a crash here.
    @inlinable @inline(__always)
    public static func decode(at i: Int, in b: [UInt8]) -> (value: UInt32, length: Int) {
        b.withUnsafeBufferPointer { decode($0, i, end: $0.count) }
    }

    /// The scalar that starts at `p[i]`, reading no byte at or past `end`: a truncated final sequence gives
    /// U+FFFD (the parser's tokenizer, on a buffer it does not own the end of).
    @inlinable @inline(__always)
    public static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, end: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 {
            guard i + 1 < end else { return (0xFFFD, 1) }
            return (((b0 & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard i + 2 < end else { return (0xFFFD, end - i) }
            return (((b0 & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F), 3)
        }
        guard i + 3 < end else { return (0xFFFD, end - i) }
        return (((b0 & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12) | ((UInt32(p[i + 2]) & 0x3F) << 6)
                    | (UInt32(p[i + 3]) & 0x3F), 4)
    }

    /// The scalar that ends just before `b[end]`.
    @inlinable @inline(__always)
    public static func decode(endingAt end: Int, in b: [UInt8]) -> (value: UInt32, length: Int) {
        var start = end - 1
        while start > 0, end - start < 4, b[start] & 0xC0 == 0x80 { start -= 1 }
        let (value, length) = decode(at: start, in: b)
        return (value, min(length, end - start))
    }

    /// Appends the UTF-8 encoding of scalar value `s`.
    @inlinable @inline(__always)
    public static func append(_ s: UInt32, to out: inout [UInt8]) {
        if s < 0x80 {
            out.append(UInt8(s))
        } else if s < 0x800 {
            out.append(UInt8(0xC0 | (s >> 6)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        } else if s < 0x10000 {
            out.append(UInt8(0xE0 | (s >> 12)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (s >> 18)))
            out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }
}
