import Foundation
import GRDB

extension ArticleIndex {
    /// Forgets every path below `directory` (a directory deleted or moved out of the tree).
    public func removeAll(under directory: String) async throws {
        try await mapErrors {
            try await write { db, fullText in
                let paths = try String.fetchAll(db, sql: "SELECT path FROM files WHERE path >= ? AND path < ?",
                                                arguments: Self.prefixRange(directory))
                for path in paths { try Self.remove(path: path, in: db, fullText: fullText) }
            }
        }
    }

    /// Moves every path below `from` to the same place below `to` (a directory renamed inside the tree).
    public func renameAll(under from: String, to: String) async throws {
        try await mapErrors {
            try await write { db, fullText in
                let paths = try String.fetchAll(db, sql: "SELECT path FROM files WHERE path >= ? AND path < ?",
                                                arguments: Self.prefixRange(from))
                for path in paths {
                    let target = to + path.dropFirst(from.count)
                    if try Ledger.exists(db, target) { try Self.remove(path: target, in: db, fullText: fullText) }
                    try db.execute(sql: "UPDATE files SET path = ? WHERE path = ?", arguments: [target, path])
                    try db.execute(sql: "UPDATE articles SET path = ? WHERE path = ?", arguments: [target, path])
                }
            }
        }
    }

    /// `path >= "dir/" AND path < "dir0"`: every path below `dir`, using the primary key's order.
    static func prefixRange(_ directory: String) -> StatementArguments {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return [base + "/", base + "0"]  // "0" is the character after "/"
    }
}
