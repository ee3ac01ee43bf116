import NIOCore
import TURNMetrics

/// The deadlines of one TCP or TLS client connection: the TLS handshake must finish in time,
/// then the first complete frame (STUN message or ChannelData) must arrive in time, then the
/// connection closes once no complete frame has arrived for the idle timeout.
///
/// Only complete frames count: bytes trickling in without ever completing a frame (a
/// slowloris) do not keep a connection open. RFC 8656 Section 3.1 ties an allocation to its
/// connection, and a client keeps its allocation by refreshing it, so a live client sends a
/// complete frame at least once per allocation lifetime.
///
/// One timer per connection: frames only record the time, and when the timer fires the
/// machine says whether to close or when to look again.
struct StreamDeadlineStateMachine {
    /// The limits; nil for none.
    struct Timeouts: Sendable, Equatable {
        /// From accepting the connection to the end of the TLS handshake (TLS only).
        var handshake: TimeAmount?
        /// From accepting (or the end of the TLS handshake) to the first complete frame.
        var firstFrame: TimeAmount?
        /// From one complete frame to the next.
        var idle: TimeAmount?
    }

    /// What the handler does next.
    enum Action: Equatable {
        /// Look again at this time.
        case check(at: NIODeadline)
        /// Nothing until the next event.
        case wait
        /// Close the connection, counted under this reason.
        case close(RelayMetrics.StreamRefusal)
    }

    private enum State {
        case handshaking(since: NIODeadline)
        case awaitingFirstFrame(since: NIODeadline)
        case active(lastFrame: NIODeadline)
        case closed
    }

    private let timeouts: Timeouts
    private var state: State

    /// A connection accepted at `now`; `tls` when its handshake comes first.
    init(timeouts: Timeouts, tls: Bool, now: NIODeadline) {
        self.timeouts = timeouts
        self.state = tls ? .handshaking(since: now) : .awaitingFirstFrame(since: now)
    }

    /// When the timer should first fire.
    var firstAction: Action { self.nextAction }

    /// The TLS handshake finished: the first-frame deadline starts now.
    mutating func handshakeCompleted(now: NIODeadline) {
        if case .handshaking = self.state { self.state = .awaitingFirstFrame(since: now) }
    }

    /// A complete frame arrived.
    mutating func frameReceived(now: NIODeadline) {
        if case .closed = self.state { return }
        self.state = .active(lastFrame: now)
    }

    /// The timer fired at `now`.
    mutating func timerFired(now: NIODeadline) -> Action {
        guard let (deadline, reason) = self.deadline else { return .wait }
        if now >= deadline {
            self.state = .closed
            return .close(reason)
        }
        return .check(at: deadline)
    }

    private var nextAction: Action {
        guard let (deadline, _) = self.deadline else { return .wait }
        return .check(at: deadline)
    }

    /// The deadline of the current state and what missing it means.
    private var deadline: (NIODeadline, RelayMetrics.StreamRefusal)? {
        switch self.state {
        case .handshaking(let since):
            if let handshake = self.timeouts.handshake {
                (since + handshake, .handshakeTimeout)
            } else {
                self.timeouts.firstFrame.map { (since + $0, .firstFrameTimeout) }
            }
        case .awaitingFirstFrame(let since):
            self.timeouts.firstFrame.map { (since + $0, .firstFrameTimeout) }
        case .active(let lastFrame):
            self.timeouts.idle.map { (lastFrame + $0, .idleTimeout) }
        case .closed:
            nil
        }
    }
}
