import Glibc

/// C functions that glibc has but Swift's `Glibc` module does not import, reached through `dlsym(3)`.
///
/// The module map of the Swift toolchain leaves out `<sys/vfs.h>` (so there is no `statfs`) and
/// `pthread_setname_np` (a GNU extension). Adding a C target for two functions would mean a manifest change,
/// so each is looked up once in the already loaded libc, by name, and called through a typed function pointer.
/// When a lookup fails (another libc), the feature quietly does without: the filesystem is taken to be one
/// that delivers events, the thread keeps its default name.
enum GlibcGaps {
    private typealias StatfsFunction = @convention(c) (UnsafePointer<CChar>, UnsafeMutableRawPointer) -> Int32
    private typealias SetNameFunction = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32

    private static let statfsFunction: StatfsFunction? = dlsym(nil, "statfs").map {
        unsafeBitCast($0, to: StatfsFunction.self)
    }
    private static let setNameFunction: SetNameFunction? = dlsym(nil, "pthread_setname_np").map {
        unsafeBitCast($0, to: SetNameFunction.self)
    }

    /// `statfs(path).f_type`: the magic number of the filesystem holding `path`, or nil when it cannot be told.
    ///
    /// `struct statfs` begins with `__fsword_t f_type` (a `long`) on the 64-bit Linux ABIs Swift supports
    /// (x86_64, aarch64); the whole struct is 120 bytes there, and a 512-byte buffer leaves room to spare.
    static func filesystemMagic(ofPath path: String) -> UInt32? {
        #if arch(x86_64) || arch(arm64)
        guard let statfsFunction else { return nil }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { buffer.deallocate() }
        guard statfsFunction(path, buffer) == 0 else { return nil }
        return UInt32(truncatingIfNeeded: buffer.load(as: Int.self))
        #else
        return nil
        #endif
    }

    /// Names the calling thread (at most 15 bytes show, in `top -H`, `ps -L` and debuggers).
    static func nameCurrentThread(_ name: String) {
        _ = setNameFunction?(pthread_self(), String(name.utf8.prefix(15)) ?? name)
    }
}
