/// Where `marsad serve` listens: a loopback (or other) host and port, or a Unix socket.
///
/// `127.0.0.1:8080`, `[::1]:8080`, `localhost:0` (a free port, printed at start), `unix:/run/marsad/web.sock`.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case host(String, port: Int)
    case unixSocket(String)

    /// The default: loopback only.
    public static let loopback = ListenAddress.host("127.0.0.1", port: 8080)

    /// Why a `--listen` value was refused.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(Invalid) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard path.hasPrefix("/") else { throw Invalid(description: "--listen unix:PATH needs an absolute path, not '\(path)'") }
            self = .unixSocket(path)
            return
        }
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw Invalid(description: "--listen '\(text)': expected [IPv6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw Invalid(description: "--listen '\(text)': expected HOST:PORT or unix:PATH")
            }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw Invalid(description: "--listen '\(text)': no host") }
        guard let number = Int(port), (0...65535).contains(number) else {
            throw Invalid(description: "--listen '\(text)': the port must be a number from 0 to 65535")
        }
        self = .host(String(host), port: number)
    }

    /// Whether only this machine can connect: a loopback address or a Unix socket.
    public var isLocalOnly: Bool {
        switch self {
        case .unixSocket: true
        case .host(let host, _): host == "localhost" || host == "::1" || host.hasPrefix("127.")
        }
    }

    public var description: String {
        switch self {
        case .host(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixSocket(let path): "unix:\(path)"
        }
    }
}
