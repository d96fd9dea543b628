import Glibc
import SystemPackage

/// The reader thread's loop: wait, read, decode, pair, translate, hand over.
///
/// **Why a thread of its own.** Waiting for inotify means blocking in `poll(2)`. Doing that on one of Swift
/// concurrency's cooperative threads (there are as many as cores, two on a small server) would take a core
/// away from every task in the process for as long as the folder is quiet. A dedicated thread blocks at no
/// cost to anyone, and can read the moment the kernel has something: a prompt reader is what keeps the kernel
/// queue (16,384 events by default) from overflowing during a burst.
///
/// **Reading.** The inotify descriptor is non-blocking; when `poll` says it is readable the loop reads into a
/// 64 KiB buffer until it is empty, handling each read as it comes: decode, pair renames, translate, push one
/// batch. A pause happens only when a rename's second half is missing (at most the pairing window, 20 ms), or
/// when nothing is queued.
extension WatchEngine {
    /// The size of each `read(2)`.
    static let readBufferSize = 64 * 1024

    /// Runs until `stop()`; then closes the descriptors and ends the consumer's stream.
    func run() {
        LinuxCalls.nameCurrentThread("marsad-inotify")
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var descriptors = [
            pollfd(fd: inotify.fd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: shared.wake.readEnd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: mounts.fd, events: Int16(POLLPRI), revents: 0),  // ignored by poll when -1
        ]
        while !shared.isStopping {
            let timeout = pollTimeout(now: .now)
            for index in descriptors.indices { descriptors[index].revents = 0 }
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("poll failed: \(Errno(rawValue: errno)); the watcher stops")
                break
            }
            if descriptors[1].revents != 0 { break }
            if descriptors[0].revents & Int16(POLLIN) != 0 {
                readAvailable(into: buffer)
            } else if descriptors[0].revents != 0 {
                logger.error("the inotify descriptor failed (poll revents \(descriptors[0].revents)); the watcher stops")
                break
            }
            release(now: .now)
            if descriptors[2].revents != 0 {
                var batch: [InboxEvent] = []
                mountTableChanged(into: &batch)
                shared.queue.push(batch)
            }
            checkForRoot(now: .now)
        }
        shutDown()
    }

    /// Reads until the kernel queue is empty (or a stop is asked for), one batch per read.
    private func readAvailable(into buffer: UnsafeMutableRawBufferPointer) {
        while !shared.isStopping {
            switch inotify.read(into: buffer) {
            case .success(0):
                return
            case .success(let count):
                let events = EventDecoder.decode(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                pairing.append(events, now: .now)
                release(now: .now)
            case .failure(let error):
                logger.error("reading inotify events failed: \(error)")
                return
            }
        }
    }

    /// Translates the events that are no longer held back, and pushes them as one batch.
    private func release(now: ContinuousClock.Instant) {
        let ready = pairing.takeReady(now: now)
        guard !ready.isEmpty else { return }
        var batch: [InboxEvent] = []
        batch.reserveCapacity(ready.count)
        for event in ready { handle(event, into: &batch) }
        shared.queue.push(batch)
    }

    /// How long `poll` may sleep: until a held rename half expires, until the next look for a vanished root,
    /// or forever.
    private func pollTimeout(now: ContinuousClock.Instant) -> Int32 {
        var deadline = pairing.nextDeadline
        if !rootPresent { deadline = min(deadline ?? nextRootCheck, nextRootCheck) }
        guard let deadline else { return -1 }
        guard deadline > now else { return 0 }
        let (seconds, attoseconds) = (deadline - now).components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    /// Hands over what is still held, closes the descriptors, ends the stream.
    private func shutDown() {
        var batch: [InboxEvent] = []
        for event in pairing.takeAll() { handle(event, into: &batch) }
        shared.queue.push(batch)
        inotify.close()
        mounts.close()
        shared.wake.close()
        shared.watchedDirectories.store(0, ordering: .relaxed)
        shared.queue.finish()
        logger.debug("the watcher stopped", metadata: ["root": "\(root)"])
    }

    /// Closes everything without reading (`stop()` before the reader started).
    func shutDownUnstarted() {
        inotify.close()
        mounts.close()
        shared.wake.close()
        shared.watchedDirectories.store(0, ordering: .relaxed)
        shared.queue.finish()
    }
}
