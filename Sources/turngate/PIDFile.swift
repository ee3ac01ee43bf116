import Foundation

/// The process id written to coturn's `pidfile` while the server runs.
struct PIDFile {
    let path: String

    /// Writes the current process id to `path`.
    init(path: String) throws {
        self.path = path
        try "\(ProcessInfo.processInfo.processIdentifier)\n".write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Deletes the file.
    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
