import ArticleIndex
import Dispatch
import Ingestion
import Synchronization

/// Prepares paths for the writer under a time limit, off Swift's cooperative thread pool.
///
/// Parsing is linear-time and fuzzed, but a daemon must survive the file nobody foresaw: each file's reading,
/// parsing and analysis runs on a Dispatch thread, and when it overruns `timeout` the worker records the file as
/// failed and moves on. The overrunning thread is abandoned (it cannot be killed), never the queue.
struct Worker: Sendable {
    let preparer: ArticlePreparer
    let store: ArticleIndex
    let timeout: Duration

    func prepare(_ path: String) async -> Preparation {
        let record = try? await store.fileRecord(path: path)
        let preparer = self.preparer
        let timeout = self.timeout
        return await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let timer = Task {
                do { try await Task.sleep(for: timeout) } catch { return }
                once.resume(.failed(PreparationFailure(
                    path: path, stamp: ArticleFile.stamp(path),
                    reason: "parsing took longer than \(timeout.components.seconds) s; the file was skipped",
                    record: true)))
            }
            DispatchQueue.global().async {
                once.resume(preparer.prepare(path, record: record, trustStamps: true))
                timer.cancel()
            }
        }
    }
}

/// Resumes a continuation with the first value offered, ignoring the rest.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: T) {
        let taken = continuation.withLock { c -> CheckedContinuation<T, Never>? in
            defer { c = nil }
            return c
        }
        taken?.resume(returning: value)
    }
}
