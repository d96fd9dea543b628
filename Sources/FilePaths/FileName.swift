#if canImport(Glibc)
import Glibc
#endif

/// File names that are not UTF-8, kept losslessly in a `String`.
///
/// Linux file names are bytes, and nothing stops a scraper from writing `bad-\xFF.txt`. Marsad's paths are
/// `String`s (the ledger, the logs, JSON), so a name is decoded the way Python's `surrogateescape` does it, with
/// one change because a Swift `String` cannot hold a lone surrogate: each byte that is not part of valid UTF-8
/// becomes the private-use scalar U+10FF00 + byte (U+10FFFF at most, the last scalar). Scalars that a valid
/// name really holds in that range (none in practice) are escaped byte by byte too, so the mapping is one to
/// one: ``systemBytes(_:)`` gives back exactly the bytes the kernel gave.
///
/// Every system call on a path (`open`, `lstat`, `opendir`, `inotify_add_watch`, `rename`) goes through
/// ``withPlatformPath(_:_:)``; every name read from the kernel (`readdir`, inotify) through ``decode(_:)``.
/// People see such a name with ``displayed(_:)``: `bad-\xFF.txt`.
public enum FileName {
    /// The first scalar of the escape range.
    static let escapeBase: UInt32 = 0x10FF00

    /// The name or path for these bytes (no NUL among them).
    ///
    /// Every name the folder walk and the watcher read goes through here, so the common case is one concrete,
    /// specialized pass: bytes without 0xF4 (the lead byte of every escape scalar) that are valid UTF-8 are
    /// the name as it is.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if !bytes.contains(0xF4), let exact = String(validating: bytes, as: UTF8.self) {
            return exact
        }
        return escaping(Array(bytes))
    }

    /// The name or path for these bytes (no NUL among them).
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        decode(bytes.bindMemory(to: UInt8.self))
    }

    /// The name or path for these bytes (no NUL among them).
    public static func decode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    /// The slow path of ``decode(_:)-(UnsafeBufferPointer<UInt8>)``: byte by byte, escaping what is not valid.
    static func escaping(_ array: [UInt8]) -> String {
        if let exact = String(validating: array, as: UTF8.self), !exact.unicodeScalars.contains(where: isEscape) {
            return exact
        }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < array.count {
            let length = validSequenceLength(array, at: i)
            if length > 0, let scalar = String(decoding: array[i..<(i + length)], as: UTF8.self).unicodeScalars.first,
               !isEscape(scalar) {
                scalars.append(scalar)
                i += length
            } else {
                let count = max(1, length)
                for byte in array[i..<(i + count)] { scalars.append(Unicode.Scalar(escapeBase + UInt32(byte))!) }
                i += count
            }
        }
        return String(scalars)
    }

    /// The name or path of a C string from the kernel.
    public static func decode(cString: UnsafePointer<CChar>) -> String {
        let length = strlen(cString)
        return cString.withMemoryRebound(to: UInt8.self, capacity: length) {
            decode(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Whether `path` holds escaped bytes, i.e. names something that is not UTF-8.
    @inlinable
    public static func hasEscapes(_ path: String) -> Bool {
        // Every escape scalar is encoded F4 8F BC..BF xx: a quick byte test first.
        containsEscapeLead(path) && path.unicodeScalars.contains(where: isEscape)
    }

    /// Whether the UTF-8 of `path` holds the byte 0xF4: one `memchr` on a native string (every system call on
    /// a path asks; the generic `utf8.contains` cost 9 instructions a byte).
    @usableFromInline
    static func containsEscapeLead(_ path: String) -> Bool {
        path.utf8.withContiguousStorageIfAvailable { $0.isEmpty ? false : memchr($0.baseAddress!, 0xF4, $0.count) != nil }
            ?? path.utf8.contains(0xF4)
    }

    /// The bytes the kernel knows `path` by.
    public static func systemBytes(_ path: String) -> [UInt8] {
        guard hasEscapes(path) else { return Array(path.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if isEscape(scalar) {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Calls `body` with the NUL-terminated bytes of `path` as the kernel knows it.
    @inlinable
    public static func withPlatformPath<T, E: Error>(_ path: String,
                                                     _ body: (UnsafePointer<CChar>) throws(E) -> T) throws(E) -> T {
        if !hasEscapes(path) {
            return try path.withCStringTyped(body)
        }
        var bytes = systemBytes(path).map { CChar(bitPattern: $0) }
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(E) -> T in try body(buffer.baseAddress!) }
    }

    /// `path` for people: escaped bytes shown as `\xFF`, the rest as it is.
    public static func displayed(_ path: String) -> String {
        guard hasEscapes(path) else { return path }
        var out = ""
        for scalar in path.unicodeScalars {
            if isEscape(scalar) {
                let byte = scalar.value - escapeBase
                out += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @inlinable
    static func isEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x10FF00
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one.
    static func validSequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        return String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil ? 0 : length
    }
}

extension String {
    /// `withCString` with a typed throw.
    @usableFromInline
    func withCStringTyped<T, E: Error>(_ body: (UnsafePointer<CChar>) throws(E) -> T) throws(E) -> T {
        let result: Result<T, E> = withCString { pointer in
            do throws(E) { return .success(try body(pointer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
