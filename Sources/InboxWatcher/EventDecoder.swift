import FilePaths

/// One `struct inotify_event` as the kernel wrote it, with its name decoded.
struct RawInotifyEvent: Sendable, Hashable {
    /// The watch descriptor of the directory the event happened in (or to); -1 for a queue overflow.
    var wd: Int32
    /// What happened. See ``InotifyMask``.
    var mask: InotifyMask
    /// Ties the two halves of a rename together: a `movedFrom` and a `movedTo` with the same non-zero cookie
    /// are one `rename(2)`.
    var cookie: UInt32
    /// The name of the entry inside the watched directory; empty for events about the directory itself.
    /// A name that is not valid UTF-8 keeps its bytes escaped (``FileName``), so its path still opens.
    var name: String

    var isDirectory: Bool { mask.contains(.isDirectory) }
}

/// Splits the bytes of one `read(2)` on an inotify descriptor into events.
///
/// The kernel writes whole records back to back. Each is a fixed 16-byte header
///
///     int32 wd; uint32 mask; uint32 cookie; uint32 len;
///
/// followed by `len` bytes of name: the name, a NUL, and NUL padding (so `len` is a multiple of the header
/// alignment, and 0 when the event has no name). A read never returns part of a record: a buffer too small for
/// the next record makes `read` fail with `EINVAL` instead, which is why the reader uses a large buffer (64 KiB
/// holds at least 240 records even with 255-byte names).
enum EventDecoder {
    /// `sizeof(struct inotify_event)`, the header before the name.
    static let headerSize = 16

    /// The events in `bytes`, in the order the kernel queued them.
    ///
    /// Malformed input (a truncated header or a name running past the end) stops decoding at the last whole
    /// record: the kernel never produces it, and a test buffer that does gets a prefix rather than a crash.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [RawInotifyEvent] {
        var events: [RawInotifyEvent] = []
        events.reserveCapacity(bytes.count / (headerSize + 16))
        var offset = 0
        while offset + headerSize <= bytes.count {
            let wd = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameStart = offset + headerSize
            guard nameStart + length <= bytes.count else { break }
            var event = RawInotifyEvent(wd: wd, mask: InotifyMask(rawValue: mask), cookie: cookie, name: "")
            if length > 0 {
                let field = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + length)])
                let end = field.firstIndex(of: 0) ?? field.endIndex
                event.name = FileName.decode(UnsafeRawBufferPointer(rebasing: field[..<end]))
            }
            events.append(event)
            offset = nameStart + length
        }
        return events
    }

    /// The bytes the kernel would write for `events`: the inverse of ``decode(_:)``, for tests.
    static func encode(_ events: [RawInotifyEvent]) -> [UInt8] {
        var bytes: [UInt8] = []
        for event in events {
            let name = FileName.systemBytes(event.name)
            let length = name.isEmpty ? 0 : (name.count + 1 + 15) / 16 * 16
            withUnsafeBytes(of: event.wd) { bytes += $0 }
            withUnsafeBytes(of: event.mask.rawValue) { bytes += $0 }
            withUnsafeBytes(of: event.cookie) { bytes += $0 }
            withUnsafeBytes(of: UInt32(length)) { bytes += $0 }
            bytes += name
            bytes += [UInt8](repeating: 0, count: length - name.count)
        }
        return bytes
    }
}
