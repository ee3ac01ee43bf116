import STUNWire

/// One TURN client 5-tuple working through a list of control requests, one at a time.
///
/// A small state machine fed by ``ControlDriver``: it sends a request, takes the answer,
/// learns REALM and NONCE from a 401 (RFC 8489 Section 9.2.3) or a new NONCE from a 438, and
/// retransmits on silence (RFC 8489 Section 6.2.1, with a fixed interval). It ends `done` or
/// `failed` with a message that names the STUN error code.
final class ControlSession {
    /// Where the session stands.
    enum State: Equatable {
        case idle
        case running
        case done
        case failed(String)
    }

    /// The client socket, connected to the server.
    let socket: UDPSocket
    /// The requests still to send, first one next.
    private var requests: ArraySlice<TURNRequest>
    /// The credentials (learnt realm and nonce come with the first 401).
    private(set) var auth: SessionAuth?
    /// The relayed address from the Allocate success (or the forwarder's hello answer).
    private(set) var relayed: IPv4Endpoint?
    /// The current state.
    private(set) var state = State.idle

    private var transactionID = STUNTransactionID(high: 0, low: 0)
    private var pendingBytes: [UInt8] = []
    private var lastSent: UInt64 = 0
    private var attempts = 0
    private var nonceRenewals = 0

    /// The interval between retransmissions, in nanoseconds.
    static let retransmitInterval: UInt64 = 500_000_000
    /// How many times one request is sent before the session fails with a timeout.
    static let maximumAttempts = 6

    /// Creates a session on `socket` that will send `requests` in order.
    init(socket: UDPSocket, requests: [TURNRequest]) {
        self.socket = socket
        self.requests = requests[...]
    }

    /// Replaces the remaining requests (to reuse an established allocation, e.g. to delete it).
    func queue(_ requests: [TURNRequest]) {
        self.requests = requests[...]
        self.state = .idle
    }

    /// Sends the first request.
    func start(now: UInt64) {
        self.state = .running
        self.sendCurrent(now: now, fresh: true)
    }

    /// Retransmits when the current request has gone unanswered too long; fails after the last try.
    func checkTimeout(now: UInt64) {
        guard self.state == .running, now &- self.lastSent >= Self.retransmitInterval else { return }
        guard self.attempts < Self.maximumAttempts else {
            self.state = .failed("timeout: no answer to \(self.currentName) after \(Self.maximumAttempts) tries")
            return
        }
        self.sendCurrent(now: now, fresh: false)
    }

    /// Takes one datagram received on the socket.
    ///
    /// - Parameters:
    ///   - bytes: the datagram.
    ///   - credentials: what to sign with once the server has sent its realm and nonce.
    ///   - realm: a realm that overrides the server's, or nil.
    func receive(_ bytes: UnsafeRawBufferPointer, credentials: Credentials, realm: String?, now: UInt64) {
        guard self.state == .running, let request = self.requests.first else { return }
        if case .forwarderHello = request {
            guard let relay = ForwarderHello.parse(bytes) else { return }
            self.relayed = relay
            self.advance(now: now)
            return
        }
        guard let message = try? STUNMessage(parsing: Array(bytes)), message.transactionID == self.transactionID else {
            return
        }
        switch message.type.messageClass {
        case .successResponse:
            if case .allocate = request {
                guard let relayed = (try? message.attribute(XORRelayedAddress.self)).flatMap({ $0 }),
                    let endpoint = IPv4Endpoint(relayed.address)
                else {
                    self.state = .failed("Allocate: success without an IPv4 XOR-RELAYED-ADDRESS")
                    return
                }
                self.relayed = endpoint
            }
            self.advance(now: now)
        case .errorResponse:
            self.handleError(message, credentials: credentials, realm: realm, now: now)
        case .request, .indication:
            return
        }
    }

    private func handleError(_ message: STUNMessage, credentials: Credentials, realm: String?, now: UInt64) {
        let error = (try? message.attribute(ErrorCodeAttribute.self)).flatMap { $0 }
        let code = error?.code ?? STUNErrorCode(rawValue: 0)
        let challenge = (code == .unauthorized && self.auth == nil) || (code == .staleNonce && self.nonceRenewals < 3)
        guard challenge,
            let nonce = (try? message.attribute(Nonce.self)).flatMap({ $0 }),
            let serverRealm = realm ?? self.auth?.realm ?? (try? message.attribute(Realm.self)).flatMap({ $0 })?.text
        else {
            let reason = error?.reason ?? "no ERROR-CODE"
            var text = "\(self.currentName): STUN error \(code.rawValue) \(reason)"
            if code == .unauthorized { text += " (credentials rejected: check user, password or secret, and realm)" }
            if code == .insufficientCapacity { text += " (server out of relay ports)" }
            self.state = .failed(text)
            return
        }
        if code == .staleNonce { self.nonceRenewals += 1 }
        self.auth = SessionAuth(
            username: credentials.username, realm: serverRealm, nonce: nonce.text,
            key: LongTermKey.md5(username: credentials.username, realm: serverRealm, password: credentials.password))
        self.sendCurrent(now: now, fresh: true)
    }

    private func advance(now: UInt64) {
        self.requests = self.requests.dropFirst()
        if self.requests.isEmpty {
            self.state = .done
        } else {
            self.sendCurrent(now: now, fresh: true)
        }
    }

    private func sendCurrent(now: UInt64, fresh: Bool) {
        guard let request = self.requests.first else {
            self.state = .done
            return
        }
        if fresh {
            var generator = SystemRandomNumberGenerator()
            self.transactionID = .random(using: &generator)
            self.pendingBytes = request.encode(transactionID: self.transactionID, auth: self.auth)
            self.attempts = 0
        }
        self.attempts += 1
        self.lastSent = now
        self.socket.send(self.pendingBytes)
    }

    private var currentName: String {
        guard let request = self.requests.first else { return "none" }
        if case .forwarderHello = request { return "forwarder hello" }
        return request.method.description
    }
}
