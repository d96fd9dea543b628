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

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public var count: Int { subscribers.count }

    public func subscribe(start: Int64) throws(APIError) -> Subscription {
        guard !finished else { throw .unavailable("the server is shutting down") }
        guard subscribers.count < capacity else {
            throw .unavailable("too many open streams (\(capacity)); try again later")
        }
        let (ticks, continuation) = AsyncStream.makeStream(of: Tick.self, bufferingPolicy: .bufferingNewest(1))
        nextID += 1
        subscribers[nextID] = continuation
        return Subscription(id: nextID, start: start, ticks: ticks, continuation: continuation)
    }

    /// Ends a subscription: its holder calls this when it stops reading.
    public func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    public func publish(_ tick: Tick) {
        for continuation in subscribers.values { continuation.yield(tick) }
    }

    /// Ends every subscription and refuses new ones.
    public func finish() {
        finished = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }
}
