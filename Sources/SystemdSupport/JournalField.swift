/// One journal field: a name journald accepts and a value (any bytes, newlines included).
public struct JournalField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// A name journald keeps: only `A-Z`, `0-9` and `_`, not starting with `_` (reserved for trusted fields)
    /// or a digit, at most 64 characters. journald silently drops fields whose names break these rules, so
    /// every metadata key passes through here: `article_path` → `ARTICLE_PATH`, `duration-ms` → `DURATION_MS`,
    /// `_secret` → `SECRET`, `2fa` → `F_2FA`. Returns nil when nothing usable is left.
    public static func sanitizedName(_ key: String) -> String? {
        var out: [UInt8] = []
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): out.append(byte - 32)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(byte)
            default: if out.last != UInt8(ascii: "_") { out.append(UInt8(ascii: "_")) }
            }
        }
        while out.first == UInt8(ascii: "_") { out.removeFirst() }
        while out.last == UInt8(ascii: "_") { out.removeLast() }
        guard let first = out.first else { return nil }
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) { out.insert(contentsOf: Array("F_".utf8), at: 0) }
        return String(decoding: out.prefix(64), as: UTF8.self)
    }
}

/// Where journal entries go. ``SystemJournal`` is journald itself; tests substitute a recorder, since
/// `sd_journal_sendv` cannot be pointed at another socket.
public protocol JournalSink: Sendable {
    /// Sends one entry; returns 0, or a negative errno as `sd_journal_sendv` does.
    func send(_ fields: [JournalField]) -> Int32
}
