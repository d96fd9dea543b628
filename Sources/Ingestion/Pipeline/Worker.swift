public import ArticleIndex
import Dispatch
import FilePaths
import Foundation
import Synchronization

/// Prepares paths for the writer under a time limit per file, off Swift's cooperative thread pool.
///
/// A worker takes a chunk of paths at a time (one when the queue is short, up to 16 in a burst): one ledger read
/// for the chunk, then one Dispatch thread reads, parses and analyzes its files in turn. In a burst that turns
/// four thread hops per file into four per chunk, which is what kept two cores from being busy.
///
/// Parsing is linear-time and fuzzed, but a daemon must survive the file nobody foresaw: when one file overruns
/// `timeout`, the worker records it as failed and carries on with the rest of the chunk on a fresh thread. The
/// overrunning thread is abandoned (it cannot be killed), never the queue.
public struct Worker: Sendable {
    /// Reads, parses and analyzes one file, given its ledger row (blocking; runs on a Dispatch thread).
    let prepareFile: @Sendable (String, FileRecord?) -> Preparation
    /// The ledger rows of a chunk of paths.
    let records: @Sendable ([String]) async -> [PathKey: FileRecord]
    let timeout: Duration

    /// - Parameter trustStamps: see ``ArticlePreparer/prepare(_:record:trustStamps:)``: the daemon trusts the
    ///   ledger's stamps, `marsad ingest` reads every file it is given.
    public init(preparer: ArticlePreparer, store: any ArticleReading, timeout: Duration, trustStamps: Bool) {
        self.init(timeout: timeout,
                  records: { (try? await store.fileRecords(paths: $0)) ?? [:] },
                  prepareFile: { path, record in
                      Self.retryingTransient { preparer.prepare(path, record: record, trustStamps: trustStamps) }
                  })
    }

    /// Waits between attempts when a read fails with a temporary error: 1.3 s in all, well inside the time limit.
    static let retryDelays: [Duration] = [.milliseconds(50), .milliseconds(250), .seconds(1)]

    /// Runs `attempt` again after each delay while it fails with a transient error (see
    /// ``PreparationFailure/transient``); the last failure names how many attempts were made.
    static func retryingTransient(delays: [Duration] = retryDelays, sleep: (Duration) -> Void = Self.sleep,
                                  _ attempt: () -> Preparation) -> Preparation {
        var result = attempt()
        for delay in delays {
            guard case .failed(let failure) = result, failure.transient else { return result }
            sleep(delay)
            result = attempt()
        }
        if case .failed(var failure) = result, failure.transient {
            failure.reason += ", still after \(delays.count + 1) attempts"
            return .failed(failure)
        }
        return result
    }

    static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }

    init(timeout: Duration, records: @escaping @Sendable ([String]) async -> [PathKey: FileRecord],
         prepareFile: @escaping @Sendable (String, FileRecord?) -> Preparation) {
        self.timeout = timeout
        self.records = records
        self.prepareFile = prepareFile
    }

    /// One result per path, in order.
    public func prepare(_ paths: [String]) async -> [Preparation] {
        guard !paths.isEmpty else { return [] }
        let records = await self.records(paths)
        var results: [Preparation] = []
        var remaining = paths[...]
        while !remaining.isEmpty {
            let outcome = await prepareOnThread(Array(remaining), records: records)
            results += outcome.results
            remaining = remaining.dropFirst(outcome.results.count)
        }
        return results
    }

    /// Runs the chunk on a Dispatch thread until it ends or one file overruns the time limit. Returns the results
    /// so far; when a file overran, the last result is its failure and the caller goes on with the rest.
    private func prepareOnThread(_ paths: [String], records: [PathKey: FileRecord]) async -> ChunkRun.Outcome {
        let prepareFile = self.prepareFile
        let run = ChunkRun()
        return await withCheckedContinuation { continuation in
            run.start(continuation)
            run.watch(paths, timeout: timeout)
            DispatchQueue.global().async {
                for (i, path) in paths.enumerated() {
                    guard run.begin(i) else { return }
                    let result = prepareFile(path, records[PathKey(path)])
                    guard run.append(result) else { return }
                }
                run.finish()
            }
        }
    }
}

/// The shared state of one chunk between its Dispatch thread and its watchdog. Whoever ends the chunk first
/// (the thread by finishing, the watchdog by a timeout) resumes the continuation; the other finds it taken.
final class ChunkRun: Sendable {
    struct Outcome: Sendable {
        var results: [Preparation]
    }

    private struct State {
        var continuation: CheckedContinuation<Outcome, Never>?
        var results: [Preparation] = []
        /// The file being prepared and since when.
        var current = 0
        var started = ContinuousClock.now
        var ended = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Outcome, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// The thread starts file `index`; false when the chunk was abandoned.
    func begin(_ index: Int) -> Bool {
        state.withLock { s in
            guard !s.ended else { return false }
            s.current = index
            s.started = .now
            return true
        }
    }

    /// The thread's result for the current file; false when the chunk was abandoned meanwhile (the result is
    /// dropped: the watchdog has already reported the file as failed).
    func append(_ result: Preparation) -> Bool {
        state.withLock { s in
            guard !s.ended else { return false }
            s.results.append(result)
            return true
        }
    }

    func finish() {
        end { _ in true }
    }

    /// Checks at the current file's deadline, again and again, until the chunk ends or a file overruns.
    ///
    /// The checks run on Dispatch's clock, not as a sleeping task: a time limit must fire even when every thread
    /// of Swift's cooperative pool is busy.
    func watch(_ paths: [String], timeout: Duration) {
        let (index, started, ended) = state.withLock { ($0.current, $0.started, $0.ended) }
        if ended { return }
        let wait = max(.zero, started + timeout - .now)
        let nanoseconds = Int(wait.components.seconds) * 1_000_000_000 + Int(wait.components.attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
            guard !self.state.withLock({ $0.ended }) else { return }
            let path = paths[index]
            let failure = Preparation.failed(PreparationFailure(
                path: path, stamp: ArticleFile.stamp(path),
                reason: "parsing took longer than \(Self.seconds(timeout)) s; the file was skipped", record: true,
                kind: "timeout"))
            // Only if the thread is still on that same file: checked and ended under one lock.
            let overran = self.end { s in
                guard s.current == index && s.started == started else { return false }
                s.results.append(failure)
                return true
            }
            if !overran { self.watch(paths, timeout: timeout) }
        }
    }

    /// A time limit for people: `30`, `0.5`.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)" }
        return String(format: "%g", Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Ends the chunk when `decide` agrees (under the lock) and resumes the continuation. False when the chunk
    /// had already ended or `decide` declined.
    @discardableResult
    private func end(_ decide: (inout State) -> Bool) -> Bool {
        let taken = state.withLock { s -> (CheckedContinuation<Outcome, Never>, [Preparation])? in
            guard !s.ended, let continuation = s.continuation, decide(&s) else { return nil }
            s.ended = true
            s.continuation = nil
            defer { s.results = [] }  // a pending check may hold this chunk until its deadline: not its articles
            return (continuation, s.results)
        }
        guard let (continuation, results) = taken else { return false }
        continuation.resume(returning: Outcome(results: results))
        return true
    }
}
