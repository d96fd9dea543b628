import Foundation
import GRDB
import GRDBSQLite

/// `marsad_rank(article_fts, w_title, w_body, w_captions, document_frequencies)`: FTS5's own bm25, except that
/// the caller supplies each phrase's document frequency.
///
/// FTS5's `bm25()` learns each phrase's document frequency by walking the phrase's whole doclist before it
/// scores the first row: a query with a word found in 100,000 articles pays for 100,000 rows even when it keeps
/// ten. Marsad counts the frequencies itself, stopping early (see ``RankPlan``), and passes them in as text: one
/// number per phrase, in the order the phrases appear in the MATCH expression, separated by spaces.
///
/// Everything else is FTS5's formula (`fts5_aux.c`), so with exact frequencies the scores are bm25's to the last
/// bit: for each phrase, `idf × f × (k1 + 1) / (f + k1 × (1 − b + b × D / avgdl))`, where `f` is the phrase's
/// column-weighted count in the row, `D` the row's length in tokens, `k1 = 1.2`, `b = 0.75`,
/// `idf = ln((N − n + 0.5) / (n + 0.5))` (at least 1e-6); the result is negated, so smaller ranks first.
enum RankFunction {
    static let name = "marsad_rank"

    /// Registers the function on a connection (every connection of the pool, in `prepareDatabase`).
    static func register(_ db: Database) {
        let api = FTS5.api(db)
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), name, nil, rank, nil)
    }

    /// Per-query constants, computed on the first row and kept as the cursor's aux data.
    final class Constants {
        var idf: [Double]
        var weights: [Double]
        var averageLength: Double

        init(idf: [Double], weights: [Double], averageLength: Double) {
            self.idf = idf
            self.weights = weights
            self.averageLength = averageLength
        }
    }

    static let k1 = 1.2
    static let b = 0.75

    /// The inverse document frequency FTS5 gives a phrase found in `hits` of `rows` rows.
    static func idf(hits: Double, rows: Double) -> Double {
        let idf = log((rows - hits + 0.5) / (hits + 0.5))
        return idf <= 0 ? 1e-6 : idf
    }

    private static let rank: fts5_extension_function = { api, fts, context, argumentCount, arguments in
        guard let api, let fts, let context else { return }
        let x = api.pointee
        guard let constants = constants(x, fts, argumentCount, arguments) else {
            sqlite3_result_error(context, "marsad_rank: expected the column weights and the document frequencies", -1)
            return
        }
        let phrases = constants.idf.count
        var instances: Int32 = 0
        guard x.xInstCount(fts, &instances) == SQLITE_OK else { return sqlite3_result_error_code(context, SQLITE_ERROR) }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(phrases, 1)) { frequency in
            frequency.initialize(repeating: 0)
            var phrase: Int32 = 0
            var column: Int32 = 0
            var offset: Int32 = 0
            for i in 0..<instances where x.xInst(fts, i, &phrase, &column, &offset) == SQLITE_OK {
                let weight = Int(column) < constants.weights.count ? constants.weights[Int(column)] : 1
                if Int(phrase) < phrases { frequency[Int(phrase)] += weight }
            }
            var length: Int32 = 0
            _ = x.xColumnSize(fts, -1, &length)
            let norm = k1 * (1 - b + b * Double(length) / constants.averageLength)
            var score = 0.0
            for i in 0..<phrases {
                let f = frequency[i]
                score += constants.idf[i] * (f * (k1 + 1)) / (f + norm)
            }
            sqlite3_result_double(context, -score)
        }
    }

    /// The cursor's constants: made on its first row from the arguments, the row count and the total length.
    private static func constants(_ x: Fts5ExtensionApi, _ fts: OpaquePointer, _ argumentCount: Int32,
                                  _ arguments: UnsafeMutablePointer<OpaquePointer?>?) -> Constants? {
        if let saved = x.xGetAuxdata(fts, 0) {
            return Unmanaged<Constants>.fromOpaque(saved).takeUnretainedValue()
        }
        let columns = Int(x.xColumnCount(fts))
        guard let arguments, Int(argumentCount) == columns + 1,
              let text = sqlite3_value_text(arguments[columns]) else { return nil }
        let frequencies = String(cString: text).split(separator: " ").compactMap { Double($0) }
        let phrases = Int(x.xPhraseCount(fts))
        guard frequencies.count == phrases else { return nil }
        var rows: Int64 = 0
        var tokens: Int64 = 0
        _ = x.xRowCount(fts, &rows)
        _ = x.xColumnTotalSize(fts, -1, &tokens)
        let n = Double(max(rows, 1))
        let constants = Constants(
            idf: frequencies.map { idf(hits: min($0, n), rows: n) },
            weights: (0..<columns).map { sqlite3_value_double(arguments[$0]) },
            averageLength: max(Double(tokens) / n, 1e-9))
        let retained = Unmanaged.passRetained(constants).toOpaque()
        _ = x.xSetAuxdata(fts, retained) { pointer in
            if let pointer { Unmanaged<Constants>.fromOpaque(pointer).release() }
        }
        return constants
    }
}
