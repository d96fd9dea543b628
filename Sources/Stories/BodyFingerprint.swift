/// A MinHash signature of an article's body, for finding its near-duplicates among thousands without
/// comparing it with each of them.
///
/// The body is the text the parser kept (lead and paragraphs: no header, dateline, captions, related links or
/// boilerplate), analyzed: so line endings, spacing, diacritics and the other outlet's furniture make no
/// difference. Its *shingles* are the pairs of consecutive terms. Two bodies that share most of their pairs are
/// the same text republished; two outlets telling the same story in their own words share few.
///
/// The signature keeps, for each of ``hashCount`` hash functions, the smallest hash of any shingle: the share
/// of positions where two signatures agree estimates the Jaccard similarity of the two sets of shingles
/// (Broder, 1997). Bands of ``rowsPerBand`` positions make keys: two bodies with a Jaccard similarity `j`
/// share at least one of the ``bandCount`` keys with probability `1 − (1 − j³)¹⁶`: 0.98 at `j` = 0.6,
/// 0.9998 at 0.75, and 0.12 at 0.2. The index keeps the keys in a B-tree, so finding the candidates of a new
/// article costs 16 look-ups, whatever the size of the index.
///
/// Why MinHash rather than SimHash, measured on Tests/StorySet (`marsad-bench fingerprints`): over the same
/// shingles, the 17 labelled copies agree with their originals on at least 0.79 of the 48 positions, and no two
/// other articles on more than 0.25: a wide gap that one threshold splits. A 64-bit SimHash puts the copies up
/// to 10 bits from their originals and other articles at 15 bits or more: a narrow gap, and finding every
/// fingerprint within 10 bits needs 11 tables of 5–6-bit blocks (pigeonhole), each look-up returning about a
/// fiftieth of the index, where a MinHash band of three 32-bit values matches by chance almost never.
public struct BodyFingerprint: Sendable, Hashable {
    /// The signature: ``hashCount`` minima.
    public var signature: [UInt32]
    /// How many distinct shingles the body has.
    public var shingleCount: Int

    public static let hashCount = 48
    public static let rowsPerBand = 3
    public static let bandCount = hashCount / rowsPerBand
    /// Bodies with fewer shingles get no fingerprint: a body of one or two words says nothing about where it
    /// was copied from.
    public static let minimumShingles = 3
    /// Two bodies whose signatures agree on at least this share of positions are near-duplicates.
    public static let threshold = 0.5

    /// The fingerprint of an analyzed body (``ArabicText/ArabicAnalyzer/indexText(_:)``), or nil when it is too short.
    public init?(analyzedBody: String) {
        var previous: UInt64? = nil
        var shingles = Set<UInt64>()
        TermStream.forEach(analyzedBody) { term in
            if let previous { shingles.insert(Self.mix(previous &* 0x9E37_79B9_7F4A_7C15 ^ term.hash)) }
            previous = term.hash
        }
        guard shingles.count >= Self.minimumShingles else { return nil }
        var minima = [UInt32](repeating: .max, count: Self.hashCount)
        for shingle in shingles {
            // Multiply-shift hashing (Dietzfelbinger): an odd multiplier per position, the high 32 bits.
            for k in 0..<Self.hashCount {
                let value = UInt32(truncatingIfNeeded: (shingle &* Self.multipliers[k] &+ Self.addends[k]) >> 32)
                if value < minima[k] { minima[k] = value }
            }
        }
        signature = minima
        shingleCount = shingles.count
    }

    public init(signature: [UInt32], shingleCount: Int) {
        self.signature = signature
        self.shingleCount = shingleCount
    }

    /// The estimated Jaccard similarity of two bodies' shingles: the share of positions where they agree.
    public func similarity(to other: BodyFingerprint) -> Double {
        guard signature.count == other.signature.count, !signature.isEmpty else { return 0 }
        var same = 0
        for k in signature.indices where signature[k] == other.signature[k] { same += 1 }
        return Double(same) / Double(signature.count)
    }

    public func isNearDuplicate(of other: BodyFingerprint) -> Bool { similarity(to: other) >= Self.threshold }

    /// One key per band: the band's number and its values, hashed to 63 bits (an SQLite integer).
    public var bandKeys: [Int64] {
        (0..<Self.bandCount).map { band in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(band)
            for k in band * Self.rowsPerBand..<(band + 1) * Self.rowsPerBand {
                h = Self.mix(h ^ UInt64(signature[k]))
            }
            return Int64(bitPattern: h >> 1)
        }
    }

    /// The signature as stored: ``hashCount`` little-endian 32-bit values.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(signature.count * 4)
        for value in signature { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        return out
    }

    /// A stored signature, or nil when `bytes` is not one.
    public init?(bytes: [UInt8], shingleCount: Int = 0) {
        guard bytes.count == Self.hashCount * 4 else { return nil }
        signature = stride(from: 0, to: bytes.count, by: 4).map { i in
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        }
        self.shingleCount = shingleCount
    }

    /// splitmix64's finalizer: spreads every input bit over the output.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fixed, so that fingerprints stay comparable across runs and machines (derived from splitmix64 of 1, 2, …).
    static let multipliers: [UInt64] = (0..<hashCount).map { mix(UInt64($0) * 2 + 1) | 1 }
    static let addends: [UInt64] = (0..<hashCount).map { mix(UInt64($0) * 2 + 2) }
}
