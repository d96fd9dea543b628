import Glibc
import Synchronization

/// The pipe `stop()` writes to, to wake the reader thread out of `poll(2)`.
///
/// Writing and closing happen under one lock, so a late `stop()` never writes to a descriptor number that the
/// reader has closed and the process has reused for something else.
final class WakeSignal: Sendable {
    /// The end the reader polls.
    let readEnd: Int32
    private let writeEnd: Mutex<Int32?>

    init() throws(InboxWatcherError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw .inotifyUnavailable(reason: "pipe failed: \(String(cString: strerror(errno)))")
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = Mutex(ends[1])
    }

    /// Makes the read end readable (a full pipe is as readable as a pipe with one byte, so a failed write is
    /// fine).
    func signal() {
        writeEnd.withLock { end in
            guard let end else { return }
            var byte: UInt8 = 1
            _ = write(end, &byte, 1)
        }
    }

    /// Closes both ends; later signals do nothing.
    func close() {
        writeEnd.withLock { end in
            guard let open = end else { return }
            _ = Glibc.close(open)
            _ = Glibc.close(readEnd)
            end = nil
        }
    }
}
