import Foundation
import Logging
import ServiceLifecycle

/// Checks files for a change and reloads what they hold, with no signal, until graceful
/// shutdown: the TLS certificates and keys (`cert-reload-interval`), and coturn's SQLite user
/// database after `turnadmin` writes to it.
///
/// A file counts as changed when its device, inode, size or modification time differs, read
/// through symbolic links: a file replaced by a rename, rewritten in place, or swapped by
/// Kubernetes (which repoints the `..data` link of a mounted Secret) is noticed at the next check.
struct FileChangeWatcher: Service {
    let paths: [String]
    let interval: Duration
    /// What the files are, for the log ("certificate files").
    let subject: String
    /// Reloads from the files. A refused reload (logged by it) is tried again when the files
    /// change again: a certificate renewed by two renames (key, then certificate) is refused at
    /// the first and loaded at the second.
    let reload: @Sendable () async -> Void
    let logger: Logger

    /// What identifies one version of a file; nil while it cannot be read.
    struct Version: Hashable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modified: Int
        let modifiedNanoseconds: Int

        init?(path: String) {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            self.device = UInt64(status.st_dev)
            self.inode = UInt64(status.st_ino)
            self.size = Int64(status.st_size)
            self.modified = status.st_mtim.tv_sec
            self.modifiedNanoseconds = status.st_mtim.tv_nsec
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var versions = self.paths.map(Version.init(path:))
            while !Task.isCancelled {
                try? await Task.sleep(for: self.interval)
                let next = self.paths.map(Version.init(path:))
                guard next != versions else { continue }
                let changed = zip(self.paths, zip(versions, next)).filter { $1.0 != $1.1 }.map(\.0)
                versions = next
                self.logger.info("\(self.subject) changed; reloading", metadata: [
                    "turn.event": "files_changed", "turn.files": "\(changed.joined(separator: ", "))",
                ])
                await self.reload()
            }
        }
    }
}
