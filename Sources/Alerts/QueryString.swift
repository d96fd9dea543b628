import Foundation

/// Query-string values as links carry them: everything but RFC 3986's unreserved characters
/// percent-encoded, as UTF-8. One encoding for every link Marsad writes (an alert's search, the pages' links,
/// a feed's self link).
public enum QueryString {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
