public import Hummingbird
import Foundation

/// An error answered as JSON, `{"error": {"code": "...", "message": "..."}}`, with its HTTP status.
///
/// `code` is stable and meant for programs (`bad_parameter`, `not_found`, `unauthorized`, `unavailable`,
/// `timeout`, `too_large`, `method_not_allowed`); `message` is one line meant for people, and names the parameter when one is at fault.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func badParameter(_ name: String, _ reason: String) -> APIError {
        APIError(.badRequest, code: "bad_parameter", message: "\(name): \(reason)")
    }

    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", message: what)
    }

    /// Never says whether the token was missing or wrong.
    public static let unauthorized = APIError(.unauthorized, code: "unauthorized",
                                              message: "a valid bearer token is required")

    public static func forbidden(_ reason: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message: reason)
    }

    public static func unavailable(_ reason: String) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", message: reason)
    }

    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method] = [.get]) -> APIError {
        var error = APIError(.methodNotAllowed, code: "method_not_allowed",
                             message: "\(method.rawValue) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: " or "))")
        error.allowed = allowed
        return error
    }

    public static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "too_large", message: "the request body is over \(limit / 1024) KB")
    }

    public static func timedOut(_ reason: String) -> APIError {
        APIError(.serviceUnavailable, code: "timeout", message: reason)
    }

    /// The methods a 405 names in `Allow`.
    var allowed: [HTTPRequest.Method] = []

    public var headers: HTTPFields { [:] }

    struct Body: Encodable {
        struct Inner: Encodable {
            var code: String
            var message: String
        }
        var error: Inner
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(Body(error: .init(code: code, message: message)))
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"marsad\"" }
        if status == .methodNotAllowed { headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ") }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
