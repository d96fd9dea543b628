import ArticleIndex
import Foundation
import Ingestion

/// Brings the index and a folder into agreement: the one step used at start-up, after lost events
/// (IN_Q_OVERFLOW), on a timer, and to poll subtrees inotify cannot watch.
///
/// It walks the tree and compares each file's stamp (size, mtime, device, inode) with the ledger — no file is
/// read — then queues what is new or changed and what vanished (the worker finds it gone and removes it). A
/// file renamed while the daemon was stopped is recognized by its device and inode and only renamed in the
/// index, without re-parsing. Files that failed keep failing quietly until they change.
struct Reconciler: Sendable {
    let store: ArticleIndex
    let queue: WorkQueue
    let walker: DirectoryWalker

    struct Report: Sendable, CustomStringConvertible {
        var files = 0
        var queued = 0
        var vanished = 0
        var renamed = 0
        /// Still on disk, but no longer accepted by the filter (after a reload): removed from the index.
        var excluded = 0
        var seconds = 0.0

        var description: String {
            "\(files) files, \(queued) new or changed, \(vanished) vanished, \(renamed) renamed, "
                + (excluded > 0 ? "\(excluded) now excluded, " : "") + String(format: "%.2f s", seconds)
        }
    }

    func reconcile(_ directory: String) async throws -> Report {
        let start = ContinuousClock.now
        var report = Report()
        let walk = walker.files(under: directory)
        let ledger = try await store.fileRecords(under: directory)
        report.files = walk.files.count

        var changed: [String] = []
        var onDisk = Set<String>()
        onDisk.reserveCapacity(walk.files.count)
        var stamps: [String: FileStamp] = [:]
        for path in walk.files {
            onDisk.insert(path)
            guard let stamp = ArticleFile.stamp(path) else { continue }
            if let recorded = ledger[path]?.stamp, recorded == stamp { continue }
            changed.append(path)
            stamps[path] = stamp
        }
        // Unreadable directories are not proof that their files vanished.
        let unreadable = walk.unreadable.map { $0.path + "/" }
        var vanished = Set(ledger.keys.filter { path in
            !onDisk.contains(path) && !unreadable.contains { path.hasPrefix($0) }
        })

        // Renamed while nobody watched: same device and inode, same size and mtime.
        if !vanished.isEmpty && !changed.isEmpty {
            var byInode: [FileIdentity: String] = [:]
            for path in vanished {
                if let stamp = ledger[path]?.stamp, ledger[path]?.status != .failed {
                    byInode[FileIdentity(stamp)] = path
                }
            }
            var stillChanged: [String] = []
            for path in changed {
                if ledger[path] == nil, let stamp = stamps[path], let old = byInode.removeValue(forKey: FileIdentity(stamp)) {
                    try await store.rename(from: old, to: path)
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
        for path in vanished where ArticleFile.stamp(path) != nil
            && !walker.filter.accepts(String(path.split(separator: "/").last ?? ""))
        {
            try await store.remove(path: path)
            vanished.remove(path)
            report.excluded += 1
        }
        report.queued = changed.count
        report.vanished = vanished.count
        await queue.enqueue(changed)
        await queue.enqueue(vanished.sorted())
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
