#if canImport(Glibc)
import Glibc
#endif

/// A path as a key of a set or a dictionary, equal to another only when their bytes are equal.
///
/// Swift's `String` compares by canonical equivalence, so `"café"` in NFC (`63 61 66 C3 A9`) and in NFD
/// (`63 61 66 65 CC 81`) are one `String` key — and two files on Linux, whose paths are byte strings. A
/// `Set<String>` of paths keeps one of them; the other is never indexed and `marsad wait` times out on it.
/// Every set or dictionary of paths in Marsad is keyed by `PathKey` instead.
///
/// ```swift
/// let nfc = "caf\u{E9}.txt", nfd = "cafe\u{301}.txt"
/// nfc == nfd                      // true
/// PathKey(nfc) == PathKey(nfd)    // false
/// ```
public struct PathKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let path: String

    @inlinable
    public init(_ path: String) {
        self.path = path
    }

    @inlinable
    public static func == (a: PathKey, b: PathKey) -> Bool {
        PathKey.compare(a.path, b.path) == 0
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        let hashed: Void? = path.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil {
            for byte in path.utf8 { hasher.combine(byte) }
        }
    }

    /// Byte order, which is also the order SQLite's default (BINARY) collation gives.
    @inlinable
    public static func < (a: PathKey, b: PathKey) -> Bool {
        PathKey.precedes(a.path, b.path)
    }

    /// Whether `a`'s bytes sort before `b`'s: the order of a folder walk and of the ledger.
    @inlinable
    public static func precedes(_ a: String, _ b: String) -> Bool {
        compare(a, b) < 0
    }

    /// `memcmp` order of the two strings' UTF-8, shorter first on a tie: negative, zero or positive.
    ///
    /// On the contiguous UTF-8 of native strings this is one `memcmp`. The generic
    /// `utf8.elementsEqual`/`lexicographicallyPrecedes` cost several times more (callgrind, `marsad ingest` of
    /// 2,000 files: 28 million instructions for the dictionary look-ups of paths alone, against 2 million),
    /// and a walk sorts 100,000 names of one folder with 1.7 million comparisons.
    public static func compare(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb -> Int in
                let n = min(pa.count, pb.count)
                if n > 0 {
                    let order = memcmp(pa.baseAddress!, pb.baseAddress!, n)
                    if order != 0 { return Int(order) }
                }
                return pa.count - pb.count
            }
        }
        if let fast, let result = fast { return result }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    public var description: String { path }
}

extension Sequence<String> {
    /// The paths as byte-compared keys.
    @inlinable
    public func pathKeys() -> Set<PathKey> { Set(map(PathKey.init)) }
}
