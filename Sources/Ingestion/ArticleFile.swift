public import ArticleIndex
import Articles
import FilePaths
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Why a file could not be read. `description` is one line meant for people.
public enum FileReadError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing
    case permissionDenied
    case isDirectory
    case notRegular(String)
    case tooLarge(size: Int64, limit: Int64)
    case io(String)
    /// An error that may pass if the read is tried again: EAGAIN, EINTR, EBUSY, ETXTBSY, ESTALE or EIO (a busy
    /// file, an NFS or FUSE hiccup).
    case temporary(String)

    /// Why a file of this `st_mode` (a `mode_t`) is not read as an article, or nil for a regular file.
    public init?(notRegular mode: UInt32) {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: self = .isDirectory
        case S_IFLNK: self = .notRegular("a symbolic link, not followed")
        case S_IFIFO: self = .notRegular("a FIFO")
        case S_IFSOCK: self = .notRegular("a socket")
        case S_IFCHR, S_IFBLK: self = .notRegular("a device")
        default: self = .notRegular("unknown type")
        }
    }

    public var description: String {
        switch self {
        case .missing: "no such file"
        case .permissionDenied: "permission denied"
        case .isDirectory: "is a directory, not a file"
        case .notRegular(let kind): "not a regular file (\(kind))"
        case .tooLarge(let size, let limit): "too large (\(size) bytes; the limit is \(limit))"
        case .io(let message): "read error: \(message)"
        case .temporary(let message): "read error: \(message) (temporary)"
        }
    }

    /// A short stable name of the reason, for metrics labels (`marsad_daemon_files_failed_total{reason=…}`).
    public var kind: String {
        switch self {
        case .missing: "missing"
        case .permissionDenied: "permission_denied"
        case .isDirectory, .notRegular: "not_regular"
        case .tooLarge: "too_large"
        case .io: "io"
        case .temporary: "temporary"
        }
    }
}

/// The bytes of one article file and its stamp, read in one open so they agree.
public struct ArticleFile: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public var stamp: FileStamp

    /// The default size limit: 10 MiB.
    public static let defaultSizeLimit: Int64 = 10 << 20

    /// Reads `path`. Opening is non-blocking, so a FIFO can never hang the reader, and does not follow a symbolic
    /// link: a link moved into the inbox (`mv`, or `ln -sf` over an article) must not index whatever it points
    /// at, `/etc/passwd` or a file of another user.
    public static func read(_ path: String, sizeLimit: Int64 = defaultSizeLimit) throws(FileReadError) -> ArticleFile {
        let fd: FileDescriptor
        do {
            let name = FileName.withPlatformPath(path) { FilePath(platformString: $0) }
            fd = try FileDescriptor.open(name, .readOnly, options: [.nonBlocking, .closeOnExec, .noFollow])
        } catch {
            throw map(error)
        }
        defer { try? fd.close() }
        var info = stat()
        guard fstat(fd.rawValue, &info) == 0 else { throw map(Errno(rawValue: errno)) }
        if let error = FileReadError(notRegular: info.st_mode) { throw error }
        let size = Int64(info.st_size)
        if size > sizeLimit { throw .tooLarge(size: size, limit: sizeLimit) }
        var bytes = [UInt8](repeating: 0, count: Int(size) + 1)
        var filled = 0
        do {
            while true {
                if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, filled))) }
                let n = try bytes.withUnsafeMutableBytes { buffer in
                    try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                }
                if n == 0 { break }
                filled += n
                if Int64(filled) > sizeLimit { throw FileReadError.tooLarge(size: Int64(filled), limit: sizeLimit) }
            }
        } catch let error as FileReadError {
            throw error
        } catch {
            throw map(error)
        }
        bytes.removeSubrange(filled...)
        let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return ArticleFile(path: path, bytes: bytes,
                           stamp: FileStamp(byteSize: Int64(filled), mtime: mtime, device: UInt64(info.st_dev),
                                            inode: UInt64(info.st_ino)))
    }

    static func map(_ error: any Error) -> FileReadError {
        guard let errno = error as? Errno else { return .io("\(error)") }
        switch errno {
        case .noSuchFileOrDirectory, .notDirectory: return .missing
        case .permissionDenied, .notPermitted: return .permissionDenied
        case .isDirectory: return .isDirectory
        case .tooManySymbolicLinkLevels: return .notRegular("a symbolic link, not followed")
        case .resourceTemporarilyUnavailable, .interrupted, .resourceBusy, .textFileBusy, .staleNFSFileHandle, .ioError:
            return .temporary(errno.description)
        default: return .io(errno.description)
        }
    }
}

extension ArticleFile {
    /// The stamp of a regular file at `path`, or nil when there is none (a symbolic link is not followed).
    public static func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard FileName.withPlatformPath(path, { lstat($0, &info) }) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileStamp(byteSize: Int64(info.st_size),
                         mtime: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9,
                         device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
