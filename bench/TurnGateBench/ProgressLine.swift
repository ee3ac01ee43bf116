import Foundation
import Glibc

/// The live progress line on stderr: one update a second from ``LiveCounters``.
///
/// On a terminal the line is rewritten in place; otherwise one line per second is printed.
final class ProgressLine: Sendable {
    private let live: LiveCounters
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts printing from `live` on a background thread.
    init(live: LiveCounters, label: String) {
        self.live = live
        let isTerminal = isatty(STDERR_FILENO) == 1
        Thread { [live, stopped] in
            var last = live.snapshot()
            var seconds = 0
            while !live.finished.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 1)
                seconds += 1
                let now = live.snapshot()
                let sent = (now.0 - last.0) + (now.2 - last.2)
                let received = (now.1 - last.1) + (now.3 - last.3)
                let loss = sent > 0 ? max(0, Double(sent - received)) / Double(sent) * 100 : 0
                let text = "\(label) \(seconds)s: sent \(Self.rate(sent)) received \(Self.rate(received)) "
                    + "(c→p \(Self.rate(now.1 - last.1)), p→c \(Self.rate(now.3 - last.3))) loss≈\(String(format: "%.2f", loss))%"
                FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
                last = now
            }
            if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
            stopped.signal()
        }.start()
    }

    /// Stops the line and waits for its thread (at most just over a second).
    func stop() {
        self.live.finished.store(true, ordering: .relaxed)
        self.stopped.wait()
    }

    private static func rate(_ perSecond: Int) -> String {
        perSecond >= 10_000 ? String(format: "%.1fk/s", Double(perSecond) / 1000) : "\(perSecond)/s"
    }
}
