public import ArticleIndex
import FilePaths
import Foundation

/// Brings the index and a folder into agreement: the one step used at start-up, after lost events
/// (IN_Q_OVERFLOW), on a timer, and to poll subtrees inotify cannot watch.
///
/// It walks the tree and compares each file's stamp (size, mtime, device, inode) with the ledger — no file is
/// read — then queues what is new or changed and what vanished (the worker finds it gone and the writer removes
/// it). A file renamed while nobody watched is recognized by its device and inode and only renamed in the
/// index, without re-parsing. Files that failed keep failing quietly until they change. It writes nothing
/// itself: renames and removals go to the ``IndexWriter``.
public struct Reconciler: Sendable {
    public let store: any ArticleReading
    public let queue: WorkQueue
    public let writer: IndexWriter
    public let walker: DirectoryWalker

    public init(store: any ArticleReading, queue: WorkQueue, writer: IndexWriter, walker: DirectoryWalker) {
        self.store = store
        self.queue = queue
        self.writer = writer
        self.walker = walker
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var files = 0
        public var queued = 0
        public var vanished = 0
        public var renamed = 0
        /// Still on disk, but no longer accepted by the filter (after a reload): removed from the index.
        public var excluded = 0
        public var seconds = 0.0

        /// Whether the tree and the index already agreed.
        public var foundNothing: Bool { queued + vanished + renamed + excluded == 0 }

        public var description: String {
            "\(files) files, \(queued) new or changed, \(vanished) vanished, \(renamed) renamed, "
                + (excluded > 0 ? "\(excluded) now excluded, " : "") + String(format: "%.2f s", seconds)
        }
    }

    public func reconcile(_ directory: String) async throws -> Report {
        let start = ContinuousClock.now
        var report = Report()
        let walk = walker.files(under: directory)
        let ledger = try await store.fileRecords(under: directory)
        report.files = walk.files.count

        var changed: [String] = []
        var onDisk = Set<PathKey>()
        onDisk.reserveCapacity(walk.files.count)
        var stamps: [PathKey: FileStamp] = [:]
        for path in walk.files {
            let key = PathKey(path)
            onDisk.insert(key)
            guard let stamp = ArticleFile.stamp(path) else { continue }
            if let recorded = ledger[key]?.stamp, recorded == stamp { continue }
            changed.append(path)
            stamps[key] = stamp
        }
        // Unreadable directories are not proof that their files vanished.
        let unreadable = walk.unreadable.map { Array(($0.path + "/").utf8) }
        var vanished = Set(ledger.keys.filter { key in
            !onDisk.contains(key) && !unreadable.contains { key.path.utf8.starts(with: $0) }
        })

        var changes: [IndexChange] = []
        // Renamed while nobody watched: same device and inode, same size and mtime.
        if !vanished.isEmpty && !changed.isEmpty {
            var byInode: [FileIdentity: PathKey] = [:]
            for key in vanished {
                if let record = ledger[key], let stamp = record.stamp, record.status != .failed {
                    byInode[FileIdentity(stamp)] = key
                }
            }
            var stillChanged: [String] = []
            for path in changed {
                let key = PathKey(path)
                if ledger[key] == nil, let stamp = stamps[key], let old = byInode.removeValue(forKey: FileIdentity(stamp)) {
                    changes.append(.rename(from: old.path, to: path))
                    vanished.remove(old)
                    report.renamed += 1
                } else {
                    stillChanged.append(path)
                }
            }
            changed = stillChanged
        }
        // Still there but no longer accepted (a reload changed include, exclude or extensions): the index
        // mirrors the accepted tree, so they leave it without being read.
        for key in vanished where ArticleFile.stamp(key.path) != nil
            && !walker.filter.accepts(String(key.path.split(separator: "/").last ?? ""))
        {
            changes.append(.exclude(key.path))
            vanished.remove(key)
            report.excluded += 1
        }
        if !changes.isEmpty { await writer.submit(changes) }
        report.queued = changed.count
        report.vanished = vanished.count
        await queue.enqueue(changed)
        await queue.enqueue(vanished.sorted().map(\.path))
        report.seconds = (ContinuousClock.now - start) / .seconds(1)
        return report
    }
}

/// Device, inode, size and mtime: what identifies a file across a rename.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var mtime: Double

    init(_ stamp: FileStamp) {
        device = stamp.device
        inode = stamp.inode
        size = stamp.byteSize
        mtime = stamp.mtime
    }
}
