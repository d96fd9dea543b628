import Foundation
import GRDB
import GRDBSQLite

/// `marsad_rank(article_fts, w_title, w_body, w_captions, document_frequencies [, limit])`: FTS5's own bm25,
/// except that the caller supplies each phrase's document frequency.
///
/// FTS5's `bm25()` learns each phrase's document frequency by walking the phrase's whole doclist before it
/// scores the first row: a query with a word found in 100,000 articles pays for 100,000 rows even when it keeps
/// ten. Marsad counts the frequencies itself, stopping early (see ``ArticleIndex/documentFrequencies(_:_:)``),
/// and passes them in as text: one number per phrase, in the order the phrases appear in the MATCH expression,
/// separated by spaces. A negative number means "not known yet": that phrase's idf is taken as exactly 1, and
/// the caller multiplies the score by the real idf afterwards (a one-phrase query, counted while it is ranked).
///
/// With `limit`, only the first `limit` rows of the statement are scored; later rows get NULL. A search that
/// counts matches newest first and ranks only the newest of them does both in one pass this way.
///
/// `marsad_row_count(article_fts)` is the number of rows in the table, as bm25 uses it.
///
/// ## Best match
///
/// `marsad_rank(article_fts, w_title, w_body, w_captions, document_frequencies, limit, units, ranking)` ranks a
/// loosened query (``SearchQuery/isLoosened``; `limit` may be NULL). `units` is ``SearchQuery/unitSpec``: the
/// query unit of each phrase, `/`, the optional units. The row's *tier* is how many optional units have a phrase
/// in it, and `ranking` says what it does to bm25:
/// - `tiers`: every tier above the next, bm25 within a tier (the rank is `−(tier × 10⁴ + bm25)`; bm25 stays far
///   below 10⁴: a phrase adds at most idf × (k1 + 1), about 27 on a million rows);
/// - `coordination`: bm25 × tier ÷ optional units, classic Lucene's coordination factor.
///
/// `marsad_tier(article_fts, units)` is the tier alone (a search's floor is `marsad_tier(…) >= n`), and
/// `marsad_matched(article_fts, units)` a bit mask of the units (the first 63) that have a phrase in the row.
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
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), "marsad_row_count", nil, rowCount, nil)
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), "marsad_tier", nil, tier, nil)
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), "marsad_matched", nil, matched, nil)
    }

    /// Per-query constants, computed on the first row and kept as the cursor's aux data.
    final class Constants {
        var idf: [Double]
        var weights: [Double]
        var averageLength: Double
        /// Rows left to score (`limit` minus the rows scored so far); nil without a limit.
        var remaining: Int64?
        /// The query's units, for a loosened query; nil otherwise.
        var units: Units?
        /// Whether tiers order the rows (else the coordination factor scales bm25).
        var tiers: Bool

        init(idf: [Double], weights: [Double], averageLength: Double, limit: Int64?, units: Units? = nil,
             tiers: Bool = true) {
            self.idf = idf
            self.weights = weights
            self.averageLength = averageLength
            self.remaining = limit
            self.units = units
            self.tiers = tiers
        }
    }

    /// ``SearchQuery/unitSpec``, parsed once per cursor.
    final class Units {
        /// The unit of each phrase (-1: an excluded phrase).
        let phraseUnit: [Int]
        /// Per unit, whether it is optional.
        let optional: [Bool]
        let optionalCount: Int

        init?(_ spec: String) {
            let halves = spec.split(separator: "/", omittingEmptySubsequences: false)
            guard halves.count == 2 else { return nil }
            phraseUnit = halves[0].split(separator: " ").compactMap { Int($0) }
            let optionalUnits = halves[1].split(separator: " ").compactMap { Int($0) }
            let count = max(phraseUnit.max() ?? -1, optionalUnits.max() ?? -1) + 1
            var optional = [Bool](repeating: false, count: max(count, 0))
            for unit in optionalUnits where unit >= 0 { optional[unit] = true }
            self.optional = optional
            optionalCount = optionalUnits.count
        }

        /// The tier (optional units present) and the mask (units present, the first 63) of the current row.
        func measure(_ x: Fts5ExtensionApi, _ fts: OpaquePointer) -> (tier: Int, mask: Int64)? {
            var mask: Int64 = 0
            var tier = 0
            var present = [Bool](repeating: false, count: optional.count)
            for phrase in phraseUnit.indices {
                let unit = phraseUnit[phrase]
                guard unit >= 0, !present[unit] else { continue }
                // The phrase's first instance in the row, if any: column < 0 means none.
                var iterator = Fts5PhraseIter()
                var column: Int32 = -1
                var offset: Int32 = -1
                guard x.xPhraseFirst(fts, Int32(phrase), &iterator, &column, &offset) == SQLITE_OK else { return nil }
                if column >= 0 {
                    present[unit] = true
                    if unit < 63 { mask |= 1 << Int64(unit) }
                    if optional[unit] { tier += 1 }
                }
            }
            return (tier, mask)
        }
    }

    /// `units` from the cursor's aux data of this function, parsed on its first row.
    private static func units(_ x: Fts5ExtensionApi, _ fts: OpaquePointer, _ value: OpaquePointer?) -> Units? {
        if let saved = x.xGetAuxdata(fts, 0) { return Unmanaged<Units>.fromOpaque(saved).takeUnretainedValue() }
        guard let value, let text = sqlite3_value_text(value), let units = Units(String(cString: text)) else { return nil }
        _ = x.xSetAuxdata(fts, Unmanaged.passRetained(units).toOpaque()) { pointer in
            if let pointer { Unmanaged<Units>.fromOpaque(pointer).release() }
        }
        return units
    }

    private static let tier: fts5_extension_function = { api, fts, context, argumentCount, arguments in
        guard let api, let fts, let context else { return }
        guard argumentCount == 1, let arguments, let units = units(api.pointee, fts, arguments[0]) else {
            return sqlite3_result_error(context, "marsad_tier: expected the query's units", -1)
        }
        guard let (tier, _) = units.measure(api.pointee, fts) else { return sqlite3_result_error_code(context, SQLITE_ERROR) }
        sqlite3_result_int64(context, Int64(tier))
    }

    private static let matched: fts5_extension_function = { api, fts, context, argumentCount, arguments in
        guard let api, let fts, let context else { return }
        guard argumentCount == 1, let arguments, let units = units(api.pointee, fts, arguments[0]) else {
            return sqlite3_result_error(context, "marsad_matched: expected the query's units", -1)
        }
        guard let (_, mask) = units.measure(api.pointee, fts) else { return sqlite3_result_error_code(context, SQLITE_ERROR) }
        sqlite3_result_int64(context, mask)
    }

    /// What a tier adds to the score under `tiers` ranking: more than bm25 can (see "Best match" above).
    static let tierWeight = 10_000.0

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
        if let remaining = constants.remaining {
            guard remaining > 0 else { return sqlite3_result_null(context) }
            constants.remaining = remaining - 1
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
            if let units = constants.units {
                // The tier from the frequencies just counted: a unit is present when one of its phrases is.
                var tier = 0
                var seen = [Bool](repeating: false, count: units.optional.count)
                for i in 0..<min(phrases, units.phraseUnit.count) where frequency[i] > 0 {
                    let unit = units.phraseUnit[i]
                    if unit >= 0, units.optional[unit], !seen[unit] { seen[unit] = true; tier += 1 }
                }
                score = constants.tiers ? Double(tier) * tierWeight + score
                    : score * Double(tier) / Double(max(units.optionalCount, 1))
            }
            sqlite3_result_double(context, -score)
        }
    }

    private static let rowCount: fts5_extension_function = { api, fts, context, _, _ in
        guard let api, let fts, let context else { return }
        var rows: Int64 = 0
        guard api.pointee.xRowCount(fts, &rows) == SQLITE_OK else { return sqlite3_result_error_code(context, SQLITE_ERROR) }
        sqlite3_result_int64(context, rows)
    }

    /// The cursor's constants: made on its first row from the arguments, the row count and the total length.
    private static func constants(_ x: Fts5ExtensionApi, _ fts: OpaquePointer, _ argumentCount: Int32,
                                  _ arguments: UnsafeMutablePointer<OpaquePointer?>?) -> Constants? {
        if let saved = x.xGetAuxdata(fts, 0) {
            return Unmanaged<Constants>.fromOpaque(saved).takeUnretainedValue()
        }
        let columns = Int(x.xColumnCount(fts))
        guard let arguments, (columns + 1...columns + 4).contains(Int(argumentCount)),
              let text = sqlite3_value_text(arguments[columns]) else { return nil }
        let limit = Int(argumentCount) >= columns + 2 && sqlite3_value_type(arguments[columns + 1]) != SQLITE_NULL
            ? sqlite3_value_int64(arguments[columns + 1]) : nil
        var units: Units?
        if Int(argumentCount) >= columns + 3 {
            guard let spec = sqlite3_value_text(arguments[columns + 2]), let parsed = Units(String(cString: spec)) else {
                return nil
            }
            units = parsed
        }
        var tiers = true
        if Int(argumentCount) == columns + 4, let ranking = sqlite3_value_text(arguments[columns + 3]) {
            tiers = String(cString: ranking) != "coordination"
        }
        let frequencies = String(cString: text).split(separator: " ").compactMap { Double($0) }
        let phrases = Int(x.xPhraseCount(fts))
        guard frequencies.count == phrases else { return nil }
        var rows: Int64 = 0
        var tokens: Int64 = 0
        _ = x.xRowCount(fts, &rows)
        _ = x.xColumnTotalSize(fts, -1, &tokens)
        let n = Double(max(rows, 1))
        let constants = Constants(
            idf: frequencies.map { $0 < 0 ? 1 : idf(hits: min($0, n), rows: n) },
            weights: (0..<columns).map { sqlite3_value_double(arguments[$0]) },
            averageLength: max(Double(tokens) / n, 1e-9), limit: limit, units: units, tiers: tiers)
        let retained = Unmanaged.passRetained(constants).toOpaque()
        _ = x.xSetAuxdata(fts, retained) { pointer in
            if let pointer { Unmanaged<Constants>.fromOpaque(pointer).release() }
        }
        return constants
    }
}
