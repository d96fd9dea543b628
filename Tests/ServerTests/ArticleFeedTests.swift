import ArticleIndex
import Alerts
import Foundation
import Ingestion
import Logging
import ServiceLifecycleTestKit
import Testing
import TestSupport
@testable import Server

/// The follower of new commits that streams and alerts share, run as a service on a real index.
@Suite("Following new commits")
struct ArticleFeedTests {
    @Test("a subscriber is told of a commit within the poll interval, keep-alives come on time, shutdown ends it")
    func ticks() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir + "/m.db"
            let writer = try ArticleIndex(path: db)
            let handle = IndexHandle(location: db)
            let feed = ArticleFeed(index: handle, pollInterval: .milliseconds(10), keepAliveInterval: .milliseconds(300))
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await feed.run() }
                    let subscription = try await feed.subscribe()
                    #expect(subscription.start == 0)
                    _ = await Ingestor(store: writer).ingest([seedsDirectory])
                    let clock = ContinuousClock()
                    let start = clock.now
                    var iterator = subscription.ticks.makeAsyncIterator()
                    var latest: Int64 = 0
                    var keepAlives = 0
                    while clock.now - start < .seconds(2), latest < 5 || keepAlives == 0 {
                        guard let tick = await iterator.next() else { break }
                        latest = max(latest, tick.latest)
                        if tick.keepAlive { keepAlives += 1 }
                    }
                    #expect(latest == 5)
                    #expect(keepAlives >= 1)
                    trigger.triggerGracefulShutdown()
                    // The feed ends every subscription as it stops.
                    while await iterator.next() != nil {}
                    try await group.waitForAll()
                }
            }
            try writer.close()
            await handle.close()
        }
    }

    @Test("past its capacity a subscription is a 503, and one frees its place when it ends")
    func capacity() async throws {
        let broadcast = TickBroadcast(capacity: 2)
        let first = try await broadcast.subscribe(start: 0)
        let second = try await broadcast.subscribe(start: 0)
        await #expect(throws: APIError.self) { try await broadcast.subscribe(start: 0) }
        do {
            _ = try await broadcast.subscribe(start: 0)
        } catch {
            #expect(error.status == .serviceUnavailable && error.code == "unavailable")
        }
        first.end()
        await broadcast.unsubscribe(first.id)
        #expect(await broadcast.count == 1)
        let third = try await broadcast.subscribe(start: 0)
        // A subscription whose stream ended without unsubscribing (its connection closed before its reader
        // ran) is swept when the cap is reached.
        third.end()
        let fourth = try await broadcast.subscribe(start: 0)
        #expect(await broadcast.count == 2)
        _ = (second, fourth)
        await broadcast.finish()
        await #expect(throws: APIError.self) { try await broadcast.subscribe(start: 0) }
    }

    /// An alert matcher following a feed of the seeds' index in `dir`, neither running.
    static func alertService(in dir: String) async throws -> (IndexHandle, ArticleFeed, AlertService) {
        let handle = IndexHandle(location: try await ServerTests.seededIndex(dir))
        let feed = ArticleFeed(index: handle)
        let service = AlertService(store: try AlertStore(directory: dir + "/state"), index: handle, feed: feed,
                                   capacity: 10, logger: Logger(label: "test"))
        return (handle, feed, service)
    }

    @Test("the alert matcher outlives the feed's end: it returns on its own shutdown, not when the ticks stop")
    func alertServiceWaitsForItsTurn() async throws {
        try await withTemporaryDirectory { dir in
            let (handle, feed, service) = try await Self.alertService(in: dir)
            // In a ServiceGroup the feed stops first and so ends the matcher's ticks. Had the matcher returned then,
            // while the group was still waiting for the feed, ServiceGroup would fail with "finished unexpectedly"
            // (`marsad serve` exited 1 on SIGTERM in about half of scripts/test-api's runs).
            let returned = Flag()
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await service.run()
                        await returned.set()
                    }
                    while await feed.followers.count == 0 { try await Task.sleep(for: .milliseconds(5)) }
                    await feed.followers.finish()
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(await returned.value == false)
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                    #expect(await returned.value)
                }
            }
            await handle.close()
        }
    }

    @Test("the feed already stopped when the alert matcher starts: it waits for shutdown and returns without error")
    func alertServiceAfterTheFeed() async throws {
        try await withTemporaryDirectory { dir in
            let (handle, feed, service) = try await Self.alertService(in: dir)
            await feed.followers.finish()
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await service.run() }
                    try await Task.sleep(for: .milliseconds(100))
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
            }
            await handle.close()
        }
    }
}

actor Flag {
    private(set) var value = false
    func set() { value = true }
}
