import Synchronization

/// The hand-off between the reader thread and the consumer: batches of events in order, with bounded memory.
///
/// **Why not a plain `AsyncStream` buffer.** An unbounded buffer lets a stalled consumer (a slow disk, a
/// database lock) grow the daemon's memory for as long as files keep arriving. A buffer that silently drops
/// (`.bufferingNewest`) loses files. This queue does neither: it holds up to ``limit`` events, and when a batch
/// would go past that it drops the batch and queues a single ``InboxEvent/overflow`` in its place, exactly like
/// the kernel's own queue does. The consumer reconciles the tree when it reaches that marker, which is after
/// every dropped event happened, so nothing is lost; memory stays below roughly `limit` × 100 bytes.
///
/// Consecutive drops share one marker while it is still waiting in the queue; once the consumer has taken it,
/// the next drop queues a new one (the consumer's reconcile may already have run).
///
/// The reader never blocks on the consumer: ``push(_:)`` only takes a lock.
final class BatchQueue: Sendable {
    private struct State {
        var batches: [[InboxEvent]] = []
        var head = 0
        var queuedEvents = 0
        var tailIsWaitingOverflow = false
        var finished = false
        var waiter: CheckedContinuation<[InboxEvent]?, Never>?
        var droppedEvents = 0

        mutating func popFirst() -> [InboxEvent]? {
            guard head < batches.count else { return nil }
            let batch = batches[head]
            batches[head] = []
            head += 1
            queuedEvents -= batch.count
            if head == batches.count {
                batches.removeAll(keepingCapacity: true)
                head = 0
                tailIsWaitingOverflow = false
            } else if head >= 256, head * 2 >= batches.count {
                batches.removeFirst(head)
                head = 0
            }
            return batch
        }
    }

    /// The most events held for the consumer before batches are replaced by an overflow marker.
    let limit: Int
    private let state = Mutex(State())

    /// - Parameter limit: 250,000 events by default: at most a few tens of megabytes, and more than a burst of
    ///   100,000 files produces (two events each at most, minus what the consumer takes meanwhile).
    init(limit: Int = 250_000) {
        self.limit = max(1, limit)
    }

    /// Queues a batch for the consumer; returns false when it was dropped for an overflow marker, or the queue
    /// is finished.
    @discardableResult
    func push(_ batch: [InboxEvent]) -> Bool {
        guard !batch.isEmpty else { return true }
        var handOff: (waiter: CheckedContinuation<[InboxEvent]?, Never>, batch: [InboxEvent])?
        let accepted = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            var batch = batch
            var accepted = true
            if state.queuedEvents + batch.count > limit {
                accepted = false
                state.droppedEvents += batch.count
                if state.tailIsWaitingOverflow { return false }
                batch = [.overflow]
            }
            if let waiter = state.waiter {
                // The consumer is waiting, so the queue is empty: hand the batch over directly.
                state.waiter = nil
                handOff = (waiter, batch)
            } else {
                state.batches.append(batch)
                state.queuedEvents += batch.count
                state.tailIsWaitingOverflow = !accepted
            }
            return accepted
        }
        if let handOff { handOff.waiter.resume(returning: handOff.batch) }
        return accepted
    }

    /// Ends the stream: the consumer gets what is queued, then nil. Later pushes are ignored.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[InboxEvent]?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// How many events were dropped for overflow markers so far.
    var droppedEvents: Int {
        state.withLock { $0.droppedEvents }
    }

    /// The next batch, waiting for one if needed; nil once the queue is finished and empty, or when the calling
    /// task is cancelled.
    func next() async -> [InboxEvent]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[InboxEvent]?, Never>) in
                let immediate = state.withLock { state -> [InboxEvent]?? in
                    if let batch = state.popFirst() { return .some(batch) }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<[InboxEvent]?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
