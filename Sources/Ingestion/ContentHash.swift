import Crypto

/// The identity of a file's content: the lower-case hex SHA-256 of its raw bytes.
///
/// The ledger and the articles table key content by it (the same bytes under two paths are one article
/// with a duplicate path). It is computed here, where the bytes are read, once per file; the parser only
/// carries it into the `Article`.
public enum ContentHash {
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        digest.withUnsafeBytes { raw in
            for byte in raw {
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
