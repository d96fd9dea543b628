import Foundation
import InboxWatcher
import Ingestion
import Logging
import ServiceLifecycle
import UnixSignals

// The services of one daemon run, started in this order by `DaemonRun.start()` and stopped in reverse.

/// The pipeline: workers and the writer. Stopped last: on shutdown the queue closes (what waits is dropped,
/// and found again by the next start), in-flight files finish, and the writer commits everything they made.
struct PipelineService: Service {
    let run: DaemonRun

    func run() async throws {
        let pipeline = run.pipeline
        await withDiscardingTaskGroup { group in
            group.addTask {
                do { try await gracefulShutdown() } catch { return }
                await pipeline.close(draining: false)
            }
            await pipeline.run()
            group.cancelAll()
        }
    }
}

/// The start-up reconcile, then the re-parse of articles made by an older parser. Returns when done.
struct StartupService: Service {
    let run: DaemonRun

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await run.reconcile(run.root, why: .startUp)
            let polling = await run.state.configuration.forcePolling
            await run.state.enter(polling ? .polling : .watching)
            await run.snapshot().write(database: run.daemon.databasePath)
            await run.reparseStale()
        }
    }
}

/// Turns the watcher's events into queued paths and writer changes, until the watcher stops.
struct EventPump: Service {
    let run: DaemonRun
    let watcher: InboxWatcher

    func run() async throws {
        await withGracefulShutdownHandler {
            for await batch in watcher.events() {
                for event in batch { await run.handle(event) }
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
    }
}

/// Four times a second: the timed reconcile, the polls, the status file and the observer's tick.
struct TimerService: Service {
    let run: DaemonRun

    func run() async throws {
        var lastReconcile = ContinuousClock.now
        var lastPoll = ContinuousClock.now
        var lastCommitCount = 0
        var lastProgress = ContinuousClock.now
        var published: DaemonStatus?
        var publishedAt = ContinuousClock.now
        while !Task.isShuttingDownGracefully {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(250)) } } catch {
                return
            }
            let now = ContinuousClock.now
            let live = await run.state.configuration
            if live.reconcileInterval > 0, now - lastReconcile >= .seconds(live.reconcileInterval) {
                lastReconcile = now
                await run.reconcile(run.root, why: .timer)
            }
            if now - lastPoll >= .seconds(live.pollInterval) {
                lastPoll = now
                for path in await run.state.pollTargets(root: run.root) { await run.reconcile(path, why: .poll) }
            }
            // Health: work waiting and nothing committed for longer than a file may take means a stuck pipeline.
            // (Waiting out a full disk is not stuck: the writer says why.)
            let depth = await run.pipeline.queue.depth
            let tally = await run.pipeline.writer.tally
            let committed = tally.files
            let waiting = await run.pipeline.writer.fault != nil
            if committed != lastCommitCount || depth == 0 || waiting {
                lastCommitCount = committed
                lastProgress = now
            }
            let healthy = now - lastProgress < .seconds(live.parseTimeout * 2 + 10)
            // Publish (status file, article count) when something moved, else every 5 s: an idle daemon stays quiet.
            let phase = await run.state.phase.rawValue
            let fault = await run.pipeline.writer.fault.map { "\($0.kind.rawValue): \($0.message)" }
            let moved = published.map {
                $0.queueDepth != depth || $0.indexedSinceStart != tally.committed || $0.failedSinceStart != tally.failed
                    || $0.state != phase || $0.indexDegraded != fault
            } ?? true
            if moved || now - publishedAt >= .seconds(5) {
                let snapshot = await run.snapshot()
                snapshot.write(database: run.daemon.databasePath)
                run.metrics.write(snapshot, workers: live.effectiveWorkers, database: run.daemon.databasePath)
                published = snapshot
                publishedAt = now
            }
            if let published { run.daemon.observer.daemonTick(published, healthy: healthy) }
        }
    }
}

/// SIGHUP: re-reads the configuration file and applies what may change while running.
struct ReloadService: Service {
    let run: DaemonRun

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                if await run.state.isStopping { return }
                await run.reload()
            }
        }
    }
}
