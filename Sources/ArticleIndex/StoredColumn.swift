import CZstd
import Foundation
import GRDB

/// How the long text columns of `articles` (`body`, `captions`, `details`) are kept: compressed with zstd.
///
/// An article's text is what the index holds most of: stored plainly, the `articles` table alone took 1.4 times
/// the bytes of the files it came from (the text itself, plus the half-empty overflow page that a row of 5 KB
/// leaves in a 4 KB-page b-tree). Compressed (zstd level 1, 2.5× on the benchmark's articles), a row fits in a
/// page, and the whole index is 1.23 times the articles' bytes instead of 1.85.
///
/// A value is stored as a BLOB holding one zstd frame of UTF-8 when that is smaller than the text, and as TEXT
/// otherwise (an empty caption, a short JSON): readers accept both, which is also how an index written before
/// schema v3 reads until its migration has compressed it.
///
/// ```swift
/// let value = StoredColumn.value(for: article.body)   // .blob(zstd frame) or .string(text)
/// let body = try StoredColumn.text(row, "body")       // the text again, whichever it was
/// ```
enum StoredColumn {
    /// zstd's fastest standard level: compressing runs on the ingest workers, beside parsing and analysis, at
    /// several hundred MB/s; higher levels gain a few percent of size for half the speed.
    static let level: Int32 = 1
    /// Values shorter than this stay text: a zstd frame costs about a dozen bytes of its own.
    static let minimumSize = 64

    /// The database value that stores `text`.
    static func value(for text: String) -> DatabaseValue {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count >= minimumSize, let frame = compress(UnsafeRawBufferPointer(utf8)),
                  frame.count < utf8.count else {
                return String(decoding: utf8, as: UTF8.self).databaseValue
            }
            return frame.databaseValue
        }
    }

    /// The text of `column` in `row`, decompressed when it is stored compressed.
    /// - Throws: ``DamagedText`` when a BLOB is not a zstd frame.
    static func text(_ row: Row, _ column: String) throws -> String {
        let value: DatabaseValue = row[column] ?? .null
        switch value.storage {
        case .blob(let data):
            do { return try decompress(data) } catch var error {
                error.article = row["id"]
                error.column = column
                throw error
            }
        case .string(let string): return string
        case .null: return ""
        case .int64(let value): return String(value)
        case .double(let value): return String(value)
        }
    }

    /// One zstd frame of `bytes`, or nil when zstd fails (it does not for valid sizes).
    static func compress(_ bytes: UnsafeRawBufferPointer) -> Data? {
        guard let context = CompressionContext.current else { return nil }
        let bound = ZSTD_compressBound(bytes.count)
        var frame = Data(count: bound)
        let written = frame.withUnsafeMutableBytes { out in
            ZSTD_compressCCtx(context, out.baseAddress, bound, bytes.baseAddress, bytes.count, level)
        }
        guard ZSTD_isError(written) == 0 else { return nil }
        frame.count = written
        return frame
    }

    /// The UTF-8 text of one zstd frame. The frame's header gives the size: a frame without it, or claiming
    /// more than ``maximumTextSize``, is refused rather than trusted.
    static func decompress(_ frame: Data) throws(DamagedText) -> String {
        func corrupt(_ reason: String) -> DamagedText { DamagedText(reason: reason) }
        let size = frame.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN else {
            throw corrupt("is a BLOB but not a zstd frame")
        }
        guard size <= UInt64(maximumTextSize) else { throw corrupt("claims \(size) bytes, more than any article holds") }
        var failed = false
        let text = String(unsafeUninitializedCapacity: max(Int(size), 1)) { out in
            let written = frame.withUnsafeBytes { ZSTD_decompress(out.baseAddress, Int(size), $0.baseAddress, $0.count) }
            guard ZSTD_isError(written) == 0, written == Int(size) else { failed = true; return 0 }
            return written
        }
        if failed { throw corrupt("is a damaged zstd frame") }
        return text
    }

    /// No article is larger than this (the daemon refuses files over 10 MiB by default; the parser never grows a
    /// text): a bound on what a damaged frame header can make a reader allocate.
    static let maximumTextSize = 256 << 20
}

/// One zstd compression context per thread, made on the thread's first compression and freed when it exits.
///
/// `ZSTD_compress` sets up and tears down a context on every call: with it zstd took 12.5% of ingest CPU, with a
/// reused context 9%. A context cannot be used by two threads at once; a thread's own needs no lock, and the
/// ingest workers' threads live as long as the pool that runs them.
enum CompressionContext {
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        guard pthread_key_create(&key, { ZSTD_freeCCtx(OpaquePointer($0)) }) == 0 else { return nil }
        return key
    }()

    /// This thread's context; nil only when the system refuses the memory (the text is then stored as it is).
    static var current: OpaquePointer? {
        guard let key else { return nil }  // no thread-local slot: the text is stored uncompressed
        if let context = pthread_getspecific(key) { return OpaquePointer(context) }
        guard let context = ZSTD_createCCtx() else { return nil }
        pthread_setspecific(key, UnsafeRawPointer(context))
        return context
    }
}

/// A stored text column that cannot be read back: the article's row is damaged (the rest of the index is not).
struct DamagedText: Error, CustomStringConvertible {
    var reason: String
    var article: Int64?
    var column = "text"

    var description: String {
        "the stored \(column) of article \(article.map(String.init) ?? "?") \(reason)"
    }
}
