/// Subscribers told how far something has got (the newest article id, the newest alert match id): each holds
/// only the latest ``Tick``, so a subscriber that reads slowly skips ticks, never piles them up, and catches up
/// from the index or the alert store, which hold the actual items.
///
/// At most ``capacity`` subscriptions are open at once: past it ``subscribe(start:)`` is a 503, so ten thousand
/// clients cost ten thousand refusals, not the memory of ten thousand streams.
public actor TickBroadcast {
    /// The newest id, and whether it is time for a keep-alive.
    public struct Tick: Sendable, Equatable {
        public var latest: Int64
        public var keepAlive: Bool
    }

    public struct Subscription: Sendable {
        public let id: Int
        /// The newest id when the subscription began: items after it are new to this subscriber.
        public let start: Int64
        public let ticks: AsyncStream<Tick>
        let continuation: AsyncStream<Tick>.Continuation

        /// Ends ``ticks`` at once, from any thread (a closed connection's callback): the reader's loop ends, and
        /// it unsubscribes.
        public func end() { continuation.finish() }
    }

    public let capacity: Int
    private var subscribers: [Int: AsyncStream<Tick>.Continuation] = [:]
    private var nextID = 0
    private var finished = false
    /// The newest id published so far.
    private var published: Int64 = 0

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public var count: Int { subscribers.count }

    public func subscribe(start: Int64) throws(APIError) -> Subscription {
        guard !finished else { throw .unavailable("the server is shutting down") }
        if subscribers.count >= capacity { sweep() }
        guard subscribers.count < capacity else {
            throw .unavailable("too many open streams (\(capacity)); try again later")
        }
        let (ticks, continuation) = AsyncStream.makeStream(of: Tick.self, bufferingPolicy: .bufferingNewest(1))
        nextID += 1
        subscribers[nextID] = continuation
        // A tick published between the caller's reading of `start` and now would otherwise wait for the next.
        if published > start { continuation.yield(Tick(latest: published, keepAlive: false)) }
        return Subscription(id: nextID, start: start, ticks: ticks, continuation: continuation)
    }

    /// Drops the subscriptions whose stream has ended (its connection closed before its reader ever ran, so it
    /// could not unsubscribe): a tick of the newest id, which a live subscriber takes as nothing new.
    private func sweep() {
        for (id, continuation) in subscribers {
            if case .terminated = continuation.yield(Tick(latest: published, keepAlive: false)) {
                subscribers[id] = nil
            }
        }
    }

    /// Ends a subscription: its holder calls this when it stops reading.
    public func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    public func publish(_ tick: Tick) {
        published = tick.latest
        for (id, continuation) in subscribers {
            if case .terminated = continuation.yield(tick) { subscribers[id] = nil }
        }
    }

    /// Ends every subscription; new ones are taken. (The index was rebuilt and its ids started again: the
    /// clients reconnect, and their `Last-Event-ID`, past the newest id, is read as the newest.)
    public func endAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
        published = 0
    }

    /// Ends every subscription and refuses new ones.
    public func finish() {
        finished = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }
}
