/// How an article finds its story: the similarity of two articles, and the choice among candidate stories.
///
/// A story is one real-world event as any number of outlets report it over a few days. Two articles belong
/// together when they are similar enough (``joinThreshold``); a story is what such links connect, so an article
/// similar to articles of two stories merges them. Because the rule is a property of pairs, the stories do
/// not depend on the order articles arrive in, only on which pairs the candidate search finds.
public enum StoryRules {
    /// Bumped whenever a change here would group articles differently: an index built by another version
    /// rebuilds its stories on `marsad reindex`.
    public static let version = 1
    /// Candidates are articles published at most this many days before or after the article (default).
    public static let defaultWindowDays = 4
    /// Two articles at least this similar tell the same story.
    public static let joinThreshold = 0.10
    /// What a shared quoted speaker, and a shared date named in the text, add to the similarity.
    public static let speakerBonus = 0.08
    public static let dateBonus = 0.08
    /// What each day between two publication dates takes off.
    public static let dayPenalty = 0.01

    /// How alike two articles are: the cosine of their weighted distinctive terms, plus what they share of
    /// speakers and named dates, less a little for each day between them. 0 (nothing shared) to about 1.2.
    public static func similarity(_ a: StoryProfile, _ b: StoryProfile) -> Double {
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for key in a.keys { normA += Double(key.weight * key.weight) }
        for key in b.keys {
            normB += Double(key.weight * key.weight)
            if let match = a.keys.first(where: { $0.term == key.term }) { dot += Double(match.weight * key.weight) }
        }
        guard normA > 0, normB > 0 else { return 0 }
        var score = dot / (normA * normB).squareRoot()
        if sharesAny(a.speakers, b.speakers) { score += speakerBonus }
        if sharesAny(a.datesMentioned, b.datesMentioned) { score += dateBonus }
        if let da = a.day, let db = b.day { score -= dayPenalty * Double(abs(Int(da) - Int(db))) }
        return score
    }

    /// An earlier article that the candidate search found for a new one.
    public struct Candidate: Sendable, Hashable {
        public var articleID: Int64
        public var storyID: Int64
        public var profile: StoryProfile
        public init(articleID: Int64, storyID: Int64, profile: StoryProfile) {
            self.articleID = articleID
            self.storyID = storyID
            self.profile = profile
        }
    }

    /// Where a new article goes.
    public enum Decision: Sendable, Hashable {
        /// No candidate is similar enough: the article starts a story of its own.
        case start
        /// It joins this story.
        case join(Int64)
        /// It is similar to articles of several stories: they are one event. The oldest (smallest id) survives
        /// and the others merge into it; the article joins it.
        case merge(into: Int64, others: [Int64])
    }

    /// The decision for `profile` among `candidates`, and the best similarity found (0 when none).
    public static func decide(_ profile: StoryProfile, among candidates: [Candidate]) -> (Decision, Double) {
        var stories = Set<Int64>()
        var best = 0.0
        for candidate in candidates {
            let s = similarity(profile, candidate.profile)
            best = max(best, s)
            if s >= joinThreshold { stories.insert(candidate.storyID) }
        }
        let sorted = stories.sorted()
        guard let oldest = sorted.first else { return (.start, best) }
        return sorted.count == 1 ? (.join(oldest), best) : (.merge(into: oldest, others: Array(sorted.dropFirst())), best)
    }

    static func sharesAny(_ a: [Int32], _ b: [Int32]) -> Bool {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { return true }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return false
    }
}
