import Foundation
import Synchronization
import TURNConfig

/// Where log lines go: standard output, a log file, or both (`log-file`, `no-stdout-log`).
final class LogOutput: Sendable {
    private let handles: Mutex<[FileHandle]>

    init(configuration: TURNServerConfiguration) throws {
        var handles: [FileHandle] = []
        if configuration.stdoutLog {
            handles.append(.standardOutput)
        }
        if let path = configuration.logFile {
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw LogFileError(path: path)
            }
            _ = try? handle.seekToEnd()
            handles.append(handle)
        }
        self.handles = Mutex(handles)
    }

    /// Writes one line (a newline is added) to every destination.
    func write(_ line: String) {
        let data = Data((line + "\n").utf8)
        self.handles.withLock { handles in
            for handle in handles {
                try? handle.write(contentsOf: data)
            }
        }
    }
}

/// The log file could not be opened for writing.
struct LogFileError: Error, CustomStringConvertible {
    let path: String
    var description: String { "cannot open log file \(self.path) for writing" }
}
