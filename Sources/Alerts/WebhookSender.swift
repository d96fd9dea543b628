import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
public import ServiceLifecycle

/// Calls the webhooks of alert matches: a `POST` of JSON naming the alert and the article
/// (``AlertStore/payload(matchID:)``), retried with backoff (1 s, 2 s, 4 s… at most 5 minutes apart, 10 attempts,
/// then given up and logged) until the receiver answers 2xx.
///
/// Calls are read from ``AlertStore``'s `deliveries` table, where the matcher left them: matching never waits
/// for a receiver, a slow or dead receiver only delays its own calls, and a restarted serve resumes the
/// pending ones. At most ``concurrency`` calls run at once, each with a 10 s time limit; a call that is
/// still running when another is due does not hold it up (the calls run in one rolling task group). Redirects
/// are not followed: a webhook is the URL its owner gave.
public struct WebhookSender: Service {
    let store: AlertStore
    let logger: Logger
    let interval: Duration
    /// Told of each call's outcome (true when delivered), for the metrics.
    let onResult: @Sendable (Bool) -> Void

    static let concurrency = 8
    static let maximumAttempts = 10
    static let requestTimeout: TimeAmount = .seconds(10)

    public init(store: AlertStore, interval: Duration = .milliseconds(250), logger: Logger,
                onResult: @escaping @Sendable (Bool) -> Void = { _ in }) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.onResult = onResult
    }

    /// The delay before attempt `attempts + 1` after `attempts` failures.
    static func backoff(afterFailures attempts: Int) -> Double {
        min(300, pow(2, Double(max(0, attempts - 1))))
    }

    public func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Int64.self) { group in
                var running = Set<Int64>()
                while !Task.isCancelled {
                    let due: [Delivery]
                    do {
                        due = try await store.dueDeliveries(now: Date().timeIntervalSince1970, limit: Self.concurrency * 4)
                    } catch {
                        logger.warning("cannot read the pending webhook calls: \(error)")
                        due = []
                    }
                    for delivery in due where running.count < Self.concurrency && !running.contains(delivery.matchID) {
                        running.insert(delivery.matchID)
                        group.addTask { await self.send(delivery, client: client); return delivery.matchID }
                    }
                    // Collect the calls that finished, without waiting for the others.
                    while let done = await Self.next(of: &group, within: interval) { running.remove(done) }
                }
                group.cancelAll()
            }
        }
        try? await client.shutdown()
    }

    /// The next finished call of `group`, or nil once `interval` has passed (or the group is empty).
    static func next(of group: inout TaskGroup<Int64>, within interval: Duration) async -> Int64? {
        if group.isEmpty {
            try? await Task.sleep(for: interval)
            return nil
        }
        let deadline = ContinuousClock.now + interval
        // The group also gets a timer task, whose result (-1) ends the wait.
        group.addTask { try? await Task.sleep(until: deadline); return -1 }
        guard let done = await group.next(), done != -1 else { return nil }
        return done
    }

    func send(_ delivery: Delivery, client: HTTPClient) async {
        guard let body = try? await store.payload(matchID: delivery.matchID) else { return }
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "marsad")
        request.body = .bytes(ByteBuffer(bytes: body))
        var failure: String?
        do {
            let response = try await client.execute(request, timeout: Self.requestTimeout, logger: logger)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if !(200..<300).contains(response.status.code) { failure = "the receiver answered \(response.status.code)" }
        } catch {
            failure = "\(error)"
        }
        // Stopping: the call was cut short, not refused. It stays pending, as it was.
        if Task.isCancelled { return }
        let attempts = delivery.attempts + 1
        do {
            if let failure {
                onResult(false)
                let giveUp = attempts >= Self.maximumAttempts
                let retryAt = giveUp ? nil : Date().timeIntervalSince1970 + Self.backoff(afterFailures: attempts)
                try await store.failed(matchID: delivery.matchID, error: failure, retryAt: retryAt)
                let message = "webhook \(delivery.url) failed (attempt \(attempts) of \(Self.maximumAttempts)): \(failure)"
                    + (giveUp ? "; giving up" : "")
                logger.log(level: giveUp ? .error : .warning, "\(message)",
                           metadata: ["event": giveUp ? "webhook_given_up" : "webhook_failed", "error": "\(failure)"])
            } else {
                onResult(true)
                try await store.delivered(matchID: delivery.matchID)
                logger.debug("webhook \(delivery.url) delivered match #\(delivery.matchID)", metadata: ["event": "webhook_delivered"])
            }
        } catch {
            logger.warning("cannot record the outcome of a webhook call: \(error)")
        }
    }
}
