public import Hummingbird
import Foundation

/// An error answered as JSON, `{"error": {"code": "...", "message": "..."}}`, with its HTTP status.
///
/// `code` is stable and meant for programs (`bad_parameter`, `not_found`, `unauthorized`, `unavailable`,
/// `timeout`); `message` is one line meant for people, and names the parameter when one is at fault.
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

    public static func unavailable(_ reason: String) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", message: reason)
    }

    /// Every route answers GET only.
    public static func methodNotAllowed(_ method: HTTPRequest.Method) -> APIError {
        APIError(.methodNotAllowed, code: "method_not_allowed", message: "\(method.rawValue) is not allowed here; use GET")
    }

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
        if status == .methodNotAllowed { headers[.allow] = "GET" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
