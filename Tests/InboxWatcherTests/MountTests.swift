import Foundation
import Glibc
import Testing

@testable import InboxWatcher

@Suite struct MountInfoParsingTests {
    @Test func mountPointsInsideTheRootWithEscapes() {
        let text = """
            22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            36 22 0:32 / /srv/inbox rw shared:2 - ext4 /dev/vdb rw
            37 36 0:33 / /srv/inbox/remote\\040share rw - nfs4 server:/export rw
            38 22 0:34 / /srv/inboxes rw - tmpfs tmpfs rw
            39 37 0:35 / /srv/inbox/a/b rw - tmpfs tmpfs rw
            """
        #expect(MountTable.mountPoints(inMountInfo: text, inside: "/srv/inbox") == ["", "remote share", "a/b"])
        #expect(MountTable.mountPoints(inMountInfo: text, inside: "/") == [
            "", "srv/inbox", "srv/inbox/remote share", "srv/inboxes", "srv/inbox/a/b",
        ])
    }
}

extension WatcherIntegration {
    @Suite struct Mounts {
        /// A filesystem mounted on a directory of the tree after the watcher started: no inotify event says so,
        /// but the mount table does. The mount point is watched afresh and announced; after the unmount, the
        /// directory underneath is watched again.
        @Test(.enabled(if: geteuid() == 0, "mounting a tmpfs needs root: skipping the mount test"))
        func aFilesystemMountedInsideTheTree() async throws {
            try await withHarness(prepare: { root in
                try FileManager.default.createDirectory(atPath: root + "/mnt", withIntermediateDirectories: true)
            }) { h in
                let mountPoint = h.path("mnt")
                guard try run("/bin/mount", "-t", "tmpfs", "-o", "size=1m", "marsad-test", mountPoint) == 0 else {
                    print("cannot mount a tmpfs here (no CAP_SYS_ADMIN?): skipping the mount test")
                    return
                }
                var mounted = true
                defer { if mounted { _ = try? run("/bin/umount", "-l", mountPoint) } }
                #expect(await h.wait(for: .directoryAppeared(mountPoint)))
                try write("x", to: mountPoint + "/x.txt")
                #expect(await h.wait(for: .fileWritten(mountPoint + "/x.txt")))
                #expect(h.watcher.watchedDirectoryCount == 2)

                let before = h.log.events.count
                #expect(try run("/bin/umount", mountPoint) == 0)
                mounted = false
                #expect(await h.wait { events in events.dropFirst(before).contains(.directoryAppeared(mountPoint)) })
                try write("y", to: mountPoint + "/y.txt")
                #expect(await h.wait(for: .fileWritten(mountPoint + "/y.txt")))
                #expect(h.watcher.watchedDirectoryCount == 2)
            }
        }
    }
}
