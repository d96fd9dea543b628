import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One daemon per index: an exclusive `fcntl` lock on `<db>.lock`, held for the daemon's life.
///
/// The kernel drops the lock when the process dies, however it dies, so a crashed daemon never blocks the next
/// start. Other processes can ask who holds it (``holder(database:)``) without taking it.
public final class InstanceLock: Sendable {
    public let path: String
    private let fd: Int32

    /// Why the lock could not be taken.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func lockPath(database: String) -> String { database + ".lock" }

    /// Takes the lock, or throws naming the process that has it.
    public init(database: String) throws(Error) {
        path = Self.lockPath(database: database)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Error(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        if fcntl(fd, F_SETLK, &lock) != 0 {
            let holder = Self.holder(database: database)
            close(fd)
            throw Error(description: "another marsad is already running on \(database)"
                        + (holder.map { " (pid \($0))" } ?? "") + "; stop it first or use another --db")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }

    /// The pid of the daemon holding the lock on `database`, or nil when none runs.
    public static func holder(database: String) -> Int32? {
        let fd = open(lockPath(database: database), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        guard fcntl(fd, F_GETLK, &lock) == 0, lock.l_type != Int16(F_UNLCK) else { return nil }
        return lock.l_pid
    }

    deinit {
        close(fd)
    }
}
