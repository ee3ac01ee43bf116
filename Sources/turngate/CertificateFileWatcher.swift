import Foundation
import Logging
import ServiceLifecycle

/// `cert-reload-interval`: checks the TLS certificate and key files (TURN's and the API's) for a
/// change and reloads them, with no signal, until graceful shutdown.
///
/// A file counts as changed when its device, inode, size or modification time differs, read
/// through symbolic links: a file replaced by a rename, rewritten in place, or swapped by
/// Kubernetes (which repoints the `..data` link of a mounted Secret) is noticed at the next check.
struct CertificateFileWatcher: Service {
    let paths: [String]
    let interval: Duration
    /// Reloads every certificate; false when one was refused (the files are then read again
    /// at each check until a reload succeeds or they change back).
    let reload: @Sendable () -> Bool
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
                self.logger.info("certificate files changed; reloading", metadata: [
                    "turn.event": "certificate_files_changed", "turn.files": "\(changed.joined(separator: ", "))",
                ])
                if self.reload() {
                    versions = next
                }
            }
        }
    }
}
