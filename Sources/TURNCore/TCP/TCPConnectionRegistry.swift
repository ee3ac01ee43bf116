public import STUNWire
import Synchronization

/// The CONNECTION-IDs of every TCP allocation of the node, shared by every event loop.
///
/// RFC 6062 Section 5.2 and 5.3: a Connect success response or a ConnectionAttempt indication
/// names a peer data connection by a 32-bit CONNECTION-ID, unique on the server; the client
/// binds it with ConnectionBind on a *new* connection, which may be accepted on any event
/// loop. Only the control path touches this table (Connect, peer accept, ConnectionBind,
/// connection close), never relayed bytes, so one lock is enough.
public final class TCPConnectionRegistry: Sendable {
    /// What the registry knows about one connection.
    public struct Entry: Hashable, Sendable {
        /// The control connection (and allocation) the peer connection belongs to.
        public var owner: FiveTuple
        /// The USERNAME of the allocation: ConnectionBind must use the same (RFC 6062 Section 5.3).
        public var username: String
        /// The peer's transport address.
        public var peer: STUNTransportAddress
        /// Until when ConnectionBind may claim it; nil while the relay is still connecting.
        public var deadline: ContinuousClock.Instant?
        /// Whether a client data connection has bound it.
        public var isBound: Bool
    }

    /// What a ConnectionBind found.
    public enum BindOutcome: Hashable, Sendable {
        /// Bound now: the entry as it was claimed.
        case bound(Entry)
        /// No such connection, or it is still connecting (400).
        case unknown
        /// Bound already (400).
        case alreadyBound
        /// Its 30 s passed; it is forgotten now (400).
        case expired(Entry)
        /// Another user's allocation owns it (441).
        case wrongUser
    }

    private struct State {
        var entries: [UInt32: Entry] = [:]
        var generator = SystemRandomNumberGenerator()
    }

    private let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    /// How many connections are registered.
    public var count: Int { self.state.withLock { $0.entries.count } }

    /// The entry of `id`, if any.
    public func entry(_ id: UInt32) -> Entry? { self.state.withLock { $0.entries[id] } }

    /// Registers a connection that is not bindable yet, under a fresh random nonzero id.
    func reserve(owner: FiveTuple, username: String, peer: STUNTransportAddress) -> UInt32 {
        self.state.withLock { state in
            var id: UInt32
            repeat {
                id = UInt32.random(in: 1 ... .max, using: &state.generator)
            } while state.entries[id] != nil
            state.entries[id] = Entry(owner: owner, username: username, peer: peer, deadline: nil, isBound: false)
            return id
        }
    }

    /// Makes `id` bindable until `deadline` (the connection to the peer is up).
    func open(_ id: UInt32, until deadline: ContinuousClock.Instant) {
        self.state.withLock { $0.entries[id]?.deadline = deadline }
    }

    /// Claims `id` for a client data connection authenticated as `username`.
    func bind(_ id: UInt32, username: String, now: ContinuousClock.Instant) -> BindOutcome {
        self.state.withLock { state in
            guard let entry = state.entries[id], let deadline = entry.deadline else { return .unknown }
            guard entry.username == username else { return .wrongUser }
            guard !entry.isBound else { return .alreadyBound }
            guard now < deadline else {
                state.entries[id] = nil
                return .expired(entry)
            }
            state.entries[id]?.isBound = true
            return .bound(entry)
        }
    }

    /// Forgets `id` if it is still unbound at `now` past its deadline.
    ///
    /// - Returns: whether the peer connection must be closed: it was not bound in time (or is
    ///   gone from the registry already without having been bound).
    func expireUnbound(_ id: UInt32, now: ContinuousClock.Instant) -> Bool {
        self.state.withLock { state in
            guard let entry = state.entries[id] else { return true }
            guard !entry.isBound, let deadline = entry.deadline, now >= deadline else { return false }
            state.entries[id] = nil
            return true
        }
    }

    /// Forgets `id`.
    @discardableResult
    func remove(_ id: UInt32) -> Entry? {
        self.state.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// Forgets every id in `ids`.
    func remove(_ ids: some Sequence<UInt32>) {
        self.state.withLock { state in
            for id in ids {
                state.entries[id] = nil
            }
        }
    }
}
