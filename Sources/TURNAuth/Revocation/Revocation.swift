public import Foundation

/// One revocation: a user, a room or a single credential, refused until a time.
public struct Revocation: Hashable, Sendable, Codable {
    /// What a revocation names.
    public enum Subject: Hashable, Sendable {
        /// Every credential of a user (a grant's user, a static user's name).
        case user(String)
        /// Every credential minted for a room.
        case room(String)
        /// One credential: its full user name.
        case username(String)
    }

    /// What is revoked.
    public var subject: Subject
    /// When the revocation lapses.
    public var until: Date

    /// Creates a revocation.
    public init(subject: Subject, until: Date) {
        self.subject = subject
        self.until = until
    }

    /// Whether it names a request from `username` with `grant`.
    public func covers(username: String, grant: CredentialGrant) -> Bool {
        switch self.subject {
        case .user(let user): grant.user == user
        case .room(let room): grant.room == room
        case .username(let name): username == name
        }
    }

    private enum CodingKeys: String, CodingKey {
        case user, room, username, until
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.until = try container.decode(Date.self, forKey: .until)
        if let user = try container.decodeIfPresent(String.self, forKey: .user) {
            self.subject = .user(user)
        } else if let room = try container.decodeIfPresent(String.self, forKey: .room) {
            self.subject = .room(room)
        } else {
            self.subject = .username(try container.decode(String.self, forKey: .username))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self.subject {
        case .user(let user): try container.encode(user, forKey: .user)
        case .room(let room): try container.encode(room, forKey: .room)
        case .username(let name): try container.encode(name, forKey: .username)
        }
        try container.encode(self.until, forKey: .until)
    }
}
