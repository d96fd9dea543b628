import Glibc

/// An `errno` value, printable.
struct Errno: Error, Equatable, CustomStringConvertible {
    let code: Int32

    init(_ code: Int32) {
        self.code = code
    }

    var description: String {
        String(cString: strerror(code))
    }
}
