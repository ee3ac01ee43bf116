import Foundation

/// Writes log lines on a thread of its own, so that no caller (an event loop relaying
/// packets) ever waits for a `write(2)` to a slow file, pipe or system log.
///
/// ``submit(_:)`` adds a line to a bounded queue and returns at once. The writer thread takes
/// every queued line as one batch and hands it to the sink. When the queue is full the line is
/// dropped and counted, and the next batch reports how many were dropped, so the loss shows
/// in the log itself. ``shutdown()`` writes what is queued and stops the thread; lines
/// submitted after it are written by their caller, so the last lines of a process are never
/// lost.
package final class LogLineWriter<Line: Sendable>: Sendable {
    /// Writes a batch of lines, then reports `dropped` lines (none when 0) lost since the last batch.
    package typealias Sink = @Sendable (_ lines: [Line], _ dropped: Int) -> Void

    /// How many lines may wait before new ones are dropped.
    package let capacity: Int
    private let queue: LineQueue<Line>
    private let sink: Sink

    /// Starts the writer thread.
    ///
    /// - Parameters:
    ///   - capacity: how many lines may wait; at least 1.
    ///   - sink: called on the writer thread with each batch (and, after ``shutdown()``, on
    ///     the caller's thread with each line).
    package init(capacity: Int, sink: @escaping Sink) {
        self.capacity = max(1, capacity)
        self.queue = LineQueue()
        self.sink = sink
        let queue = self.queue
        let thread = Thread { queue.run(sink) }
        thread.name = "log-writer"
        thread.start()
    }

    /// Queues `line` for the writer thread.
    ///
    /// - Returns: false when the queue was full and the line was dropped (and counted).
    @discardableResult
    package func submit(_ line: Line) -> Bool {
        switch self.queue.submit(line, capacity: self.capacity) {
        case .queued:
            return true
        case .dropped:
            return false
        case .stopped:
            self.sink([line], 0)
            return true
        }
    }

    /// How many lines were dropped since the start.
    package var droppedTotal: Int { self.queue.droppedTotal }

    /// Waits until every line queued so far is written.
    package func flush() {
        self.queue.waitUntilIdle()
    }

    /// Writes what is queued, then stops the writer thread; later lines are written by their
    /// callers. Waits for the thread; calling it again does nothing.
    package func shutdown() {
        self.queue.stop()
    }
}

/// The queue between the callers and the writer thread, guarded by one condition.
private final class LineQueue<Line: Sendable>: @unchecked Sendable {
    enum Submission {
        case queued
        case dropped
        case stopped
    }

    // Every property below is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var lines: [Line] = []
    private var dropped = 0
    private var dropsSinceStart = 0
    private var writing = false
    private var stopping = false
    private var finished = false

    func submit(_ line: Line, capacity: Int) -> Submission {
        self.condition.lock()
        defer { self.condition.unlock() }
        if self.finished { return .stopped }
        guard self.lines.count < capacity else {
            self.dropped += 1
            self.dropsSinceStart += 1
            return .dropped
        }
        self.lines.append(line)
        if self.lines.count == 1 { self.condition.broadcast() }
        return .queued
    }

    var droppedTotal: Int {
        self.condition.lock()
        defer { self.condition.unlock() }
        return self.dropsSinceStart
    }

    /// The writer thread: waits for lines, writes them in batches, ends after ``stop()``.
    func run(_ sink: LogLineWriter<Line>.Sink) {
        self.condition.lock()
        while true {
            while self.lines.isEmpty, self.dropped == 0, !self.stopping {
                self.condition.wait()
            }
            if self.lines.isEmpty, self.dropped == 0 {
                self.finished = true
                self.condition.broadcast()
                self.condition.unlock()
                return
            }
            let batch = self.lines
            let dropped = self.dropped
            self.lines = []
            self.dropped = 0
            self.writing = true
            self.condition.unlock()
            sink(batch, dropped)
            self.condition.lock()
            self.writing = false
            self.condition.broadcast()
        }
    }

    func waitUntilIdle() {
        self.condition.lock()
        while !self.finished, !self.lines.isEmpty || self.dropped > 0 || self.writing {
            self.condition.wait()
        }
        self.condition.unlock()
    }

    func stop() {
        self.condition.lock()
        self.stopping = true
        self.condition.broadcast()
        while !self.finished {
            self.condition.wait()
        }
        self.condition.unlock()
    }
}
