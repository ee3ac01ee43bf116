import Foundation
import Synchronization
import Testing
import TURNLogging

/// The writer thread: callers never wait for the sink, a full queue drops and counts, and
/// shutdown writes everything queued.
struct LogLineWriterTests {
    /// A sink that records batches and can be held shut, like a pipe nobody reads.
    final class RecordingSink: Sendable {
        let written = Mutex<[Int]>([])
        let reported = Mutex<[Int]>([])
        let gate = DispatchSemaphore(value: 0)
        let held = Atomic<Bool>(false)

        func write(_ lines: [Int], dropped: Int) {
            if self.held.load(ordering: .acquiring) { self.gate.wait() }
            self.written.withLock { $0 += lines }
            if dropped > 0 { self.reported.withLock { $0.append(dropped) } }
        }
    }

    @Test
    func writesEveryLineInOrder() {
        let sink = RecordingSink()
        let writer = LogLineWriter<Int>(capacity: 100) { sink.write($0, dropped: $1) }
        for line in 0..<50 { #expect(writer.submit(line)) }
        writer.flush()
        #expect(sink.written.withLock { $0 } == Array(0..<50))
        writer.shutdown()
    }

    @Test
    func aBlockedSinkNeverBlocksTheCallerAndAFullQueueDropsAndReports() {
        let sink = RecordingSink()
        sink.held.store(true, ordering: .releasing)
        let writer = LogLineWriter<Int>(capacity: 10) { sink.write($0, dropped: $1) }
        #expect(writer.submit(0))
        Thread.sleep(forTimeInterval: 0.1)
        let started = ContinuousClock.now
        var accepted = 0
        for line in 1...1000 where writer.submit(line) { accepted += 1 }
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect((9...10).contains(accepted))
        #expect(writer.droppedTotal >= 1000 - accepted)
        sink.held.store(false, ordering: .releasing)
        sink.gate.signal()
        writer.shutdown()
        let written = sink.written.withLock { $0 }
        #expect(written == [0] + Array(1...accepted))
        #expect(sink.reported.withLock { $0.reduce(0, +) } == writer.droppedTotal)
    }

    @Test
    func shutdownWritesWhatIsQueuedAndLaterLinesAreWrittenAtOnce() {
        let sink = RecordingSink()
        let writer = LogLineWriter<Int>(capacity: 10_000) { sink.write($0, dropped: $1) }
        for line in 0..<5000 { writer.submit(line) }
        writer.shutdown()
        #expect(sink.written.withLock { $0 } == Array(0..<5000))
        writer.submit(5000)
        #expect(sink.written.withLock { $0.last } == 5000)
        writer.shutdown()
    }
}
