import ArticleIndex
import Articles
import FilePaths
import Foundation
import Ingestion

/// The original text of an article, from its file: the first of its paths whose bytes still hash to the
/// article's content (so a file changed since it was indexed is never passed off as the article).
///
/// UTF-8 comes back byte for byte (without a byte-order mark); the other encodings Marsad reads (UTF-16,
/// Windows-1256) come back decoded to UTF-8, as the parser read them.
enum OriginalText {
    static func read(_ stored: StoredArticle) throws(APIError) -> [UInt8] {
        let paths = [stored.path] + stored.duplicatePaths
        for path in paths {
            guard let file = try? ArticleFile.read(path), ContentHash.sha256Hex(file.bytes) == stored.article.contentSHA256
            else { continue }
            var bytes = file.bytes[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            if String(validating: bytes, as: UTF8.self) != nil { return Array(bytes) }
            if let text = try? ArticleParser.decodedText(file.bytes) { return Array(text.utf8) }
        }
        let places = paths.map { FileName.displayed($0) }.joined(separator: ", ")
        throw .notFound("the original file of article #\(stored.id) is no longer at \(places) (or it has changed since)")
    }
}
