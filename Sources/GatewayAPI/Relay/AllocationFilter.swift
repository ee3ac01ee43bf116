/// Which allocations an admin request names; every given field must match, and a filter
/// with no field names every allocation.
public struct AllocationFilter: Sendable, Hashable {
    /// The grant's user (the REST user name's part before the first `;`).
    public var user: String?
    /// The grant's room.
    public var room: String?
    /// The full REST user name.
    public var username: String?

    /// Creates a filter.
    public init(user: String? = nil, room: String? = nil, username: String? = nil) {
        self.user = user
        self.room = room
        self.username = username
    }

    /// Whether no field is set.
    public var isEmpty: Bool { self.user == nil && self.room == nil && self.username == nil }
}
