/// The fold of one scalar for matching words: the spelling differences that do not change an Arabic word
/// are folded away, so that "أكد", "اكد" and "أكّد" compare equal.
///
/// It is the per-scalar part of ``ArabicNormalizer``'s extended rules, exported for passes that compare words
/// scalar by scalar without running the normalizer (the parser's lexicon of outlets, months and speech verbs):
///
/// - alef with hamza above or below, with madda, and alef wasla → bare alef (ا); alef maqsura (ى) → yeh (ي);
///   teh marbuta (ة) → heh (ه)
/// - Persian and Urdu yeh (ی) and keheh (ک) → Arabic yeh and kaf
/// - tatweel, the harakat and the other Arabic diacritics (U+064B–U+065F) and superscript alef (U+0670) →
///   dropped
/// - Arabic-Indic and Extended Arabic-Indic digits → ASCII digits; ASCII letters → lower case
///
/// It does not apply NFKC or full Unicode case folding: its callers see text the parser already made NFC.
public enum ArabicFold {
    /// The matching form of `s`, or nil when the scalar is dropped.
    @inlinable @inline(__always)
    public static func matchingForm(_ s: UInt32) -> UInt32? {
        switch s {
        case 0x41...0x5A: return s + 0x20
        case 0x0622, 0x0623, 0x0625, 0x0671: return 0x0627
        case 0x0649, 0x06CC: return 0x064A
        case 0x0629: return 0x0647
        case 0x06A9: return 0x0643
        case 0x0640, 0x064B...0x065F, 0x0670: return nil
        case 0x0660...0x0669: return 0x30 + (s - 0x0660)
        case 0x06F0...0x06F9: return 0x30 + (s - 0x06F0)
        default: return s
        }
    }
}
