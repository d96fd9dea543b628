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
        a.path.utf8.elementsEqual(b.path.utf8)
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
    ///
    /// On the contiguous UTF-8 of native strings this is a plain loop over two buffers; the generic
    /// `utf8.lexicographicallyPrecedes` costs several times more, which a walk of 100,000 names sorted in one
    /// folder (1.7 million comparisons) feels.
    @inlinable
    public static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb -> Bool in
                let n = min(pa.count, pb.count)
                var i = 0
                while i < n {
                    if pa[i] != pb[i] { return pa[i] < pb[i] }
                    i &+= 1
                }
                return pa.count < pb.count
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    public var description: String { path }
}

extension Sequence<String> {
    /// The paths as byte-compared keys.
    @inlinable
    public func pathKeys() -> Set<PathKey> { Set(map(PathKey.init)) }
}
