import Foundation
import Synchronization

/// One signaling WebSocket as the hub sees it: where to deliver, and how to close it.
///
/// Messages for the socket wait in its outbox until its writer sends them (the writer waits
/// while the client does not read); at most ``maximumQueued`` messages and ``maximumQueuedBytes``
/// bytes may wait, and a socket that falls further behind is closed (`slow_consumer`), so a peer
/// that stops reading cannot make the server hold its room's messages.
final class SignalSocket: Sendable {
    /// What the writer does next.
    enum Outgoing: Sendable {
        case text(String)
        case close(code: UInt16, reason: String)
    }

    /// The most messages waiting to be written.
    static let maximumQueued = 256
    /// The most bytes waiting to be written: a few of the largest messages.
    static let maximumQueuedBytes = 4 * 1_048_576

    /// The server-made peer id (also the Engine.IO session id).
    let id: String
    let framing: SignalFraming
    /// The client IP for logs.
    let client: String
    /// When the socket was opened.
    let opened: Date
    /// Counts a `slow_consumer` close.
    private let metrics: SignalMetrics
    /// The writer's queue.
    let outbox: AsyncStream<Outgoing>
    private let continuation: AsyncStream<Outgoing>.Continuation
    /// Ends when the server has decided to close the socket (or it has gone).
    let closing: AsyncStream<Never>
    private let closingContinuation: AsyncStream<Never>.Continuation
    private let state = Mutex(State())

    private struct State {
        var queued = 0
        var queuedBytes = 0
        var closing = false
        var ponged = false
    }

    init(framing: SignalFraming, client: String, opened: Date, metrics: SignalMetrics) {
        self.metrics = metrics
        self.id = Self.makeID()
        self.framing = framing
        self.client = client
        self.opened = opened
        (self.outbox, self.continuation) = AsyncStream.makeStream(of: Outgoing.self)
        (self.closing, self.closingContinuation) = AsyncStream.makeStream(of: Never.self)
    }

    /// Queues `event`; a socket with ``maximumQueued`` messages waiting is closed instead.
    func send(_ event: SignalEvent) {
        self.send(text: self.framing.text(of: event))
    }

    /// Queues a framed text (Engine.IO and Socket.IO control packets).
    func send(text: String) {
        let bytes = text.utf8.count
        let accepted = self.state.withLock { state -> Bool? in
            guard !state.closing else { return nil }
            guard state.queued < Self.maximumQueued, state.queuedBytes + bytes <= Self.maximumQueuedBytes else {
                state.closing = true
                return false
            }
            state.queued += 1
            state.queuedBytes += bytes
            return true
        }
        switch accepted {
        case true?: self.continuation.yield(.text(text))
        case false?:
            self.metrics.rejected(.slowConsumer)
            self.closeNow(.slowConsumer)
        case nil: break
        }
    }

    /// Sends `error`, and when it closes, closes the socket with its close code; nothing is
    /// queued after that. Returns false when the socket was closing already.
    @discardableResult
    func close(after error: SignalError) -> Bool {
        guard case .close = error.consequence else {
            self.send(.error(error))
            return true
        }
        let first = self.state.withLock { state in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return false }
        self.closeNow(error)
        return true
    }

    /// Closes the socket without an error message (the client said goodbye, or stopped
    /// answering pings).
    func closeQuietly(code: UInt16 = 1000, reason: String = "") {
        let first = self.state.withLock { state in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return }
        self.continuation.yield(.close(code: code, reason: reason))
        self.continuation.finish()
        self.closingContinuation.finish()
    }

    /// An Engine.IO PONG arrived.
    func receivedPong() {
        self.state.withLock { $0.ponged = true }
    }

    /// Whether a PONG arrived since the last call.
    func takePong() -> Bool {
        self.state.withLock { state in
            defer { state.ponged = false }
            return state.ponged
        }
    }

    /// The writer wrote one message of `bytes`.
    func written(bytes: Int) {
        self.state.withLock { state in
            state.queued -= 1
            state.queuedBytes -= bytes
        }
    }

    /// Ends the outbox (the socket has gone).
    func finish() {
        self.state.withLock { $0.closing = true }
        self.continuation.finish()
        self.closingContinuation.finish()
    }

    private func closeNow(_ error: SignalError) {
        guard case .close(let code) = error.consequence else { return }
        self.continuation.yield(.text(self.framing.text(of: .error(error))))
        if self.framing == .socketIO { self.continuation.yield(.text("41")) }
        self.continuation.yield(.close(code: code, reason: error.code))
        self.continuation.finish()
        self.closingContinuation.finish()
    }

    /// 128 random bits, base64url: unguessable, so a peer id grants nothing by being known.
    private static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "p_" + Base64URL.encode(bytes)
    }
}
