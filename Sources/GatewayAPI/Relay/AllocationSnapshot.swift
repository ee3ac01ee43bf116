/// One live allocation, as the admin API lists it.
public struct AllocationSnapshot: Sendable, Codable, Hashable {
    /// The REST user name the allocation was made with.
    public var username: String
    /// The grant's user.
    public var user: String
    /// The grant's room.
    public var room: String?
    /// The client's transport address, `ip:port` (`[ip]:port` for IPv6).
    public var client: String
    /// The relayed transport address.
    public var relayed: String
    /// `udp` or `tcp`: the transport between client and relay.
    public var transport: String
    /// Seconds until the allocation expires unless refreshed.
    public var expiresInSeconds: Int
    /// The bandwidth class, in kbit/s.
    public var bandwidthKbps: Int?

    /// Creates a snapshot.
    public init(
        username: String, user: String, room: String?, client: String, relayed: String, transport: String,
        expiresInSeconds: Int, bandwidthKbps: Int?
    ) {
        self.username = username
        self.user = user
        self.room = room
        self.client = client
        self.relayed = relayed
        self.transport = transport
        self.expiresInSeconds = expiresInSeconds
        self.bandwidthKbps = bandwidthKbps
    }
}
