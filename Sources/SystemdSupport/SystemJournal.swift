import CSystemd

/// journald, through `sd_journal_sendv`.
///
/// The variadic `sd_journal_send` cannot be called from Swift, so the fields are packed as `NAME=value` into
/// one buffer and handed over as an array of `iovec`s pointing into it: one allocation per entry.
public struct SystemJournal: JournalSink {
    public init() {}

    public func send(_ fields: [JournalField]) -> Int32 {
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        buffer.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 1 })
        for field in fields {
            let start = buffer.count
            buffer.append(contentsOf: field.name.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: field.value.utf8)
            ranges.append(start..<buffer.count)
        }
        return buffer.withUnsafeMutableBytes { raw -> Int32 in
            let vectors = ranges.map { range in
                iovec(iov_base: raw.baseAddress!.advanced(by: range.lowerBound), iov_len: range.count)
            }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }
}
