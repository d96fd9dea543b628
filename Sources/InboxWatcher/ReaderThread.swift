import Glibc
import SystemPackage

/// Starts a detached POSIX thread.
///
/// Not a `Task` (it blocks in `poll`, see `WatchEngine+Reading.swift`), and not Foundation's `Thread`, to keep
/// Foundation out of the watcher. The thread is detached: it ends by itself after `stop()`, and the end of the
/// event stream (which it finishes last) tells when.
enum ReaderThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    static func start(_ run: @escaping @Sendable () -> Void) throws(InboxWatcherError) {
        let context = Unmanaged.passRetained(Body(run)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw .inotifyUnavailable(reason: "cannot start the reader thread: \(Errno(rawValue: result))")
        }
        pthread_detach(thread)
    }
}
