import FilePaths
import Foundation
import Logging

/// Consume mode: a committed file leaves the inbox for the archive folder; a failed one goes to the failed
/// folder with a `.reason` file beside it. Relative paths are kept, and a name already taken gets a suffix.
///
/// Only the files move here; the ``IndexWriter`` that calls it changes the ledger to match.
public struct ConsumeMode: Sendable {
    public let inbox: String
    public let archive: String
    public let failed: String

    public init(inbox: String, archive: String, failed: String) {
        self.inbox = inbox
        self.archive = archive
        self.failed = failed
    }

    /// Moves a committed file to the archive; its new path, or nil when it could not be moved (logged).
    func archive(_ path: String, logger: Logger) -> String? {
        move(path, into: archive, logger: logger)
    }

    /// Moves a failed file to the failed folder with its reason beside it; its new path, or nil.
    func reject(_ path: String, reason: String, logger: Logger) -> String? {
        guard let target = move(path, into: failed, logger: logger) else { return nil }
        if !FileManager.default.createFile(atPath: target + ".reason", contents: Data((reason + "\n").utf8)) {
            logger.error("could not write \(FileName.displayed(target)).reason")
        }
        return target
    }

    private func move(_ path: String, into folder: String, logger: Logger) -> String? {
        // Byte-wise: a path is below the inbox when its bytes start with the inbox's and a slash.
        guard path.utf8.starts(with: (inbox + "/").utf8) else { return nil }
        let relative = String(Substring(path.utf8.dropFirst(inbox.utf8.count + 1)))
        var target = folder + "/" + relative
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                   withIntermediateDirectories: true)
            var n = 1
            while fm.fileExists(atPath: target) {
                let url = URL(fileURLWithPath: folder + "/" + relative)
                let ext = url.pathExtension
                target = url.deletingPathExtension().path + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
                n += 1
            }
            let moved = FileName.withPlatformPath(path) { from in FileName.withPlatformPath(target) { rename(from, $0) } }
            guard moved == 0 else {
                throw NSError(domain: "rename", code: Int(errno),
                              userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            return target
        } catch {
            logger.error("could not move \(FileName.displayed(path)) to \(folder): \(error.localizedDescription)")
            return nil
        }
    }
}
