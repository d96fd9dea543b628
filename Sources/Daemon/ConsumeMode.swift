import ArticleIndex
import Foundation
import Logging

/// Consume mode: a committed file leaves the inbox for the archive folder; a failed one goes to the failed
/// folder with a `.reason` file beside it. Relative paths are kept, and a name already taken gets a suffix.
struct ConsumeMode: Sendable {
    let inbox: String
    let archive: String
    let failed: String

    func archive(_ path: String, store: ArticleIndex, logger: Logger) async {
        guard let target = move(path, into: archive, logger: logger) else { return }
        // The ledger follows the file, so the watcher's removal event for the inbox path changes nothing.
        try? await store.rename(from: path, to: target)
    }

    func reject(_ path: String, reason: String, store: ArticleIndex, logger: Logger) async {
        guard let target = move(path, into: failed, logger: logger) else { return }
        _ = FileManager.default.createFile(atPath: target + ".reason", contents: Data((reason + "\n").utf8))
        try? await store.remove(path: path)
    }

    private func move(_ path: String, into folder: String, logger: Logger) -> String? {
        guard path.hasPrefix(inbox + "/") else { return nil }
        let relative = String(path.dropFirst(inbox.count + 1))
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
            guard rename(path, target) == 0 else {
                throw NSError(domain: "rename", code: Int(errno),
                              userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            return target
        } catch {
            logger.error("could not move \(path) to \(folder): \(error.localizedDescription)")
            return nil
        }
    }
}
