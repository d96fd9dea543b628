/// Joins the two halves of each rename, and holds events back (in order) while a half is missing.
///
/// A `rename(2)` inside the watched tree produces an `IN_MOVED_FROM` in the old directory and an `IN_MOVED_TO`
/// in the new one, queued back to back with the same cookie. A move out of the tree produces only the
/// `IN_MOVED_FROM`; a move in, only the `IN_MOVED_TO`. The two halves usually come in the same `read(2)`, but a
/// read can end between them (its buffer is full, or the renaming thread has queued only the first half), so
/// an unmatched `IN_MOVED_FROM` is not a move out until a short ``window`` has passed without its partner.
///
/// Events are released strictly in kernel order: everything after a pending `IN_MOVED_FROM` waits with it.
/// That keeps the watch table consistent with the order of events (a directory renamed, then a file written
/// in it, must be reported with the new path), at the cost of delaying events by at most ``window``.
///
/// An `IN_Q_OVERFLOW` ends every wait at once: the kernel drops events from the moment its queue is full, so a
/// partner that did not arrive before the overflow never will.
struct RenamePairing {
    /// An event ready to be acted on, in kernel order.
    enum Resolved: Equatable {
        /// Any event other than a rename half.
        case single(RawInotifyEvent)
        /// Both halves of a rename inside the tree.
        case rename(from: RawInotifyEvent, to: RawInotifyEvent)
        /// An `IN_MOVED_FROM` whose partner did not come within the window: a move out of the tree.
        case movedOut(RawInotifyEvent)
    }

    private enum Item {
        case single(RawInotifyEvent)
        case move(from: RawInotifyEvent, to: RawInotifyEvent?, deadline: ContinuousClock.Instant)
    }

    /// How long an unmatched `IN_MOVED_FROM` waits for its `IN_MOVED_TO`.
    let window: Duration

    private var items: [Item] = []
    private var head = 0
    /// Index in `items` of each unmatched `IN_MOVED_FROM`, by cookie.
    private var unmatched: [UInt32: Int] = [:]

    init(window: Duration = .milliseconds(20)) {
        self.window = window
    }

    /// Whether events are being held back.
    var isHolding: Bool { head < items.count }

    /// When the first held `IN_MOVED_FROM` stops waiting; nil when nothing is held.
    var nextDeadline: ContinuousClock.Instant? {
        guard head < items.count, case .move(_, nil, let deadline) = items[head] else { return nil }
        return deadline
    }

    /// Adds the events of one read, received at `now`.
    mutating func append(_ events: [RawInotifyEvent], now: ContinuousClock.Instant) {
        for event in events {
            if event.mask.contains(.movedFrom) {
                unmatched[event.cookie] = items.count
                items.append(.move(from: event, to: nil, deadline: now + window))
            } else if event.mask.contains(.movedTo), let index = unmatched.removeValue(forKey: event.cookie),
                case .move(let from, nil, let deadline) = items[index]
            {
                items[index] = .move(from: from, to: event, deadline: deadline)
            } else {
                if event.mask.contains(.queueOverflow) { expireAll(now: now) }
                items.append(.single(event))
            }
        }
    }

    /// The events that can be acted on at `now`, in order: everything up to the first `IN_MOVED_FROM` that is
    /// still unmatched and still within its window.
    mutating func takeReady(now: ContinuousClock.Instant) -> [Resolved] {
        var ready: [Resolved] = []
        while head < items.count {
            switch items[head] {
            case .single(let event):
                ready.append(.single(event))
            case .move(let from, let to?, _):
                ready.append(.rename(from: from, to: to))
            case .move(let from, nil, let deadline):
                guard deadline <= now else { return finishTaking(ready) }
                unmatched[from.cookie] = nil
                ready.append(.movedOut(from))
            }
            head += 1
        }
        return finishTaking(ready)
    }

    /// Everything held, with every unmatched `IN_MOVED_FROM` taken as a move out (when the watcher stops).
    mutating func takeAll() -> [Resolved] {
        expireAll(now: .now)
        return takeReady(now: .now)
    }

    private mutating func expireAll(now: ContinuousClock.Instant) {
        for index in unmatched.values {
            if case .move(let from, nil, _) = items[index] {
                items[index] = .move(from: from, to: nil, deadline: now)
            }
        }
    }

    private mutating func finishTaking(_ ready: [Resolved]) -> [Resolved] {
        if head == items.count {
            items.removeAll(keepingCapacity: items.capacity <= 4096)
            head = 0
            unmatched.removeAll()
        } else if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            unmatched = unmatched.mapValues { $0 - head }
            head = 0
        }
        return ready
    }
}
