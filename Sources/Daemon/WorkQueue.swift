import DequeModule

/// The daemon's queue of paths to look at.
///
/// It holds paths, never contents, so a burst of 100,000 files costs a few megabytes. Its rules:
/// - a path waits in the queue at most once, however many events name it;
/// - a path is handed to one worker at a time; an event for a path in flight marks it dirty, and it is queued
///   again when that worker's result is committed (the last write wins, and is never lost);
/// - workers wait, without spinning, while the queue is empty.
actor WorkQueue {
    private var pending = Deque<String>()
    private var queued = Set<String>()
    private var inFlight = Set<String>()
    private var dirty = Set<String>()
    private var waiters = Deque<CheckedContinuation<String?, Never>>()
    private var closed = false

    /// Paths waiting plus paths being worked on.
    var depth: Int { pending.count + inFlight.count }

    /// Whether `path` is waiting or being worked on.
    func isBusy(_ path: String) -> Bool {
        queued.contains(path) || inFlight.contains(path)
    }

    /// Queues `path` (or marks it dirty when a worker has it).
    func enqueue(_ path: String) {
        guard !closed else { return }
        if inFlight.contains(path) {
            dirty.insert(path)
        } else if queued.insert(path).inserted {
            if let waiter = waiters.popFirst() {
                queued.remove(path)
                inFlight.insert(path)
                waiter.resume(returning: path)
            } else {
                pending.append(path)
            }
        }
    }

    func enqueue(_ paths: some Sequence<String>) {
        for path in paths { enqueue(path) }
    }

    /// The next path for a worker, or nil once the queue is closed.
    func next() async -> String? {
        await next(upTo: 1)?.first
    }

    /// The next paths for a worker, or nil once the queue is closed: at most `limit`, and at most a quarter of
    /// what is waiting, so a short queue is still shared between the workers (one file each) while a burst is
    /// handed out in chunks. Waits while the queue is empty.
    func next(upTo limit: Int) async -> [String]? {
        if !pending.isEmpty {
            let count = min(limit, max(1, pending.count / 4))
            var paths: [String] = []
            paths.reserveCapacity(count)
            while paths.count < count, let path = pending.popFirst() {
                queued.remove(path)
                inFlight.insert(path)
                paths.append(path)
            }
            return paths
        }
        if closed { return nil }
        return await withCheckedContinuation { waiters.append($0) }.map { [$0] }
    }

    /// A worker's result for `path` is committed: the path is free; if it was dirtied meanwhile, queue it again.
    func finished(_ path: String) {
        inFlight.remove(path)
        if dirty.remove(path) != nil { enqueue(path) }
    }

    func finished(_ paths: some Sequence<String>) {
        for path in paths { finished(path) }
    }

    /// Stops handing out work: waiting workers get nil; queued paths are dropped (the next start's reconcile
    /// finds them again).
    func close() {
        closed = true
        pending.removeAll()
        queued.removeAll()
        while let waiter = waiters.popFirst() { waiter.resume(returning: nil) }
    }
}
