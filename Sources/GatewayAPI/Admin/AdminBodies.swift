import Foundation
import Hummingbird
import NIOCore
import TURNAuth

/// A revocation as `POST /v1/admin/revocations` takes it: one of `user`, `room`, `username`,
/// and optionally `seconds`.
struct RevocationRequest: Decodable, Sendable {
    var user: String?
    var room: String?
    var username: String?
    var seconds: Int?

    /// The longest revocation accepted: ten years.
    static let maximumSeconds = 10 * 365 * 86_400

    /// Decodes the body and checks it names exactly one subject and a sensible duration.
    init(body: ByteBuffer) throws(GatewayError) {
        guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(buffer: body)),
            AdminSubject.subject(user: decoded.user, room: decoded.room, username: decoded.username) != nil,
            decoded.seconds.map({ (1...Self.maximumSeconds).contains($0) }) ?? true
        else { throw .badRequest }
        self = decoded
    }
}

/// Maps the admin API's `user` / `room` / `username` parameters to what they name.
enum AdminSubject {
    /// The one subject named; nil unless exactly one parameter is given and non-empty.
    static func subject(user: String?, room: String?, username: String?) -> Revocation.Subject? {
        switch (user, room, username) {
        case (let user?, nil, nil) where !user.isEmpty: .user(user)
        case (nil, let room?, nil) where !room.isEmpty: .room(room)
        case (nil, nil, let username?) where !username.isEmpty: .username(username)
        default: nil
        }
    }

    /// The allocations a subject names.
    static func filter(_ subject: Revocation.Subject) -> AllocationFilter {
        switch subject {
        case .user(let user): AllocationFilter(user: user)
        case .room(let room): AllocationFilter(room: room)
        case .username(let username): AllocationFilter(username: username)
        }
    }

    /// The parameter (and metric label) naming each kind of subject.
    static let labels = ["user", "room", "username"]

    /// The parameter (and metric label) of a subject.
    static func label(_ subject: Revocation.Subject) -> String {
        switch subject {
        case .user: Self.labels[0]
        case .room: Self.labels[1]
        case .username: Self.labels[2]
        }
    }

    /// The subject of the `user`, `room` or `username` query parameter.
    static func subject(_ query: Request) -> Revocation.Subject? {
        let parameters = query.uri.queryParameters
        return Self.subject(user: parameters.get("user"), room: parameters.get("room"), username: parameters.get("username"))
    }
}
