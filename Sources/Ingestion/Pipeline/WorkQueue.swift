import DequeModule
public import FilePaths

/// The pipeline's queue of paths to look at.
///
/// It holds paths, never contents, so a burst of 100,000 files costs a few megabytes. Its rules:
/// - a path waits in the queue at most once, however many events name it;
/// - a path is handed to one worker at a time; an event for a path in flight marks it dirty, and it is queued
///   again when that worker's result is committed (the last write wins, and is never lost);
/// - workers wait, without spinning, while the queue is empty;
/// - paths are compared as bytes (``PathKey``): `café.txt` in NFC and in NFD are two files, and both are queued.
public actor WorkQueue {
    private var pending = Deque<String>()
    private var queued = Set<PathKey>()
    private var inFlight = Set<PathKey>()
    /// Paths in flight that an event named again, with when it did.
    private var dirty: [PathKey: ContinuousClock.Instant] = [:]
    private var waiters = Deque<CheckedContinuation<String?, Never>>()
    private var closed = false
    /// When each path waiting or in flight was first queued: for the drop-to-searchable latency.
    private var queuedSince: [PathKey: ContinuousClock.Instant] = [:]

    public init() {}

    /// Paths waiting plus paths being worked on.
    public var depth: Int { pending.count + inFlight.count }

    /// Whether `path` is waiting or being worked on.
    public func isBusy(_ path: String) -> Bool {
        let key = PathKey(path)
        return queued.contains(key) || inFlight.contains(key)
    }

    /// Queues `path` (or marks it dirty when a worker has it).
    public func enqueue(_ path: String) {
        guard !closed else { return }
        let key = PathKey(path)
        if queuedSince[key] == nil { queuedSince[key] = .now }
        if inFlight.contains(key) {
            if dirty[key] == nil { dirty[key] = .now }
        } else if queued.insert(key).inserted {
            if let waiter = waiters.popFirst() {
                queued.remove(key)
                inFlight.insert(key)
                waiter.resume(returning: path)
            } else {
                pending.append(path)
            }
        }
    }

    public func enqueue(_ paths: some Sequence<String>) {
        for path in paths { enqueue(path) }
    }

    /// The next path for a worker, or nil once the queue is closed.
    public func next() async -> String? {
        await next(upTo: 1)?.first
    }

    /// The next paths for a worker, or nil once the queue is closed: at most `limit`, and at most a quarter of
    /// what is waiting, so a short queue is still shared between the workers (one file each) while a burst is
    /// handed out in chunks. Waits while the queue is empty.
    public func next(upTo limit: Int) async -> [String]? {
        if !pending.isEmpty {
            let count = min(limit, max(1, pending.count / 4))
            var paths: [String] = []
            paths.reserveCapacity(count)
            while paths.count < count, let path = pending.popFirst() {
                let key = PathKey(path)
                queued.remove(key)
                inFlight.insert(key)
                paths.append(path)
            }
            return paths
        }
        if closed { return nil }
        return await withCheckedContinuation { waiters.append($0) }.map { [$0] }
    }

    /// A worker's result for `path` is committed: the path is free; if it was dirtied meanwhile, queue it again.
    /// Returns how long ago the path was first queued.
    @discardableResult
    public func finished(_ path: String) -> Duration? {
        let key = PathKey(path)
        inFlight.remove(key)
        let waited = queuedSince.removeValue(forKey: key).map { ContinuousClock.now - $0 }
        if let dirtied = dirty.removeValue(forKey: key) {
            enqueue(path)
            queuedSince[key] = dirtied  // its wait began with the event that dirtied it
        }
        return waited
    }

    /// ``finished(_:)`` for each path; returns how long each had waited since it was first queued.
    @discardableResult
    public func finished(_ paths: some Sequence<String>) -> [PathKey: Duration] {
        var waits: [PathKey: Duration] = [:]
        for path in paths { if let waited = finished(path) { waits[PathKey(path)] = waited } }
        return waits
    }

    /// Stops handing out work: waiting workers get nil; queued paths are dropped (the next start's reconcile
    /// finds them again). With `draining`, what is queued is still handed out first (`marsad ingest`, whose
    /// queue holds exactly the files it was given).
    public func close(draining: Bool = false) {
        closed = true
        if !draining {
            pending.removeAll()
            queued.removeAll()
            queuedSince.removeAll()
        }
        while let waiter = waiters.popFirst() { waiter.resume(returning: nil) }
    }
}
