import Foundation
import NIOCore

/// The optional JSON body of `POST /v1/turn/credentials`: `{"roomId": "room-42", "ttl": 600}`.
struct CredentialRequest: Decodable, Sendable, Hashable {
    /// The room asked for; must equal the token's `roomId` when the token has one.
    var roomId: String?
    /// A shorter lifetime than `credential-ttl`, in seconds.
    var ttl: Int?

    /// Decodes a body; an empty body asks for nothing.
    ///
    /// - Throws: 400 `bad_request` unless the body is empty or a JSON object with a string
    ///   `roomId` of at most ``ClaimPolicy/maximumNameBytes`` bytes and a positive integer `ttl`.
    init(body: ByteBuffer) throws(GatewayError) {
        guard body.readableBytes > 0 else {
            self.roomId = nil
            self.ttl = nil
            return
        }
        guard !JSONDepth.exceeds(body.readableBytesView, limit: JSONDepth.maximumTokenDepth),
            let decoded = try? JSONDecoder().decode(Self.self, from: Data(buffer: body)),
            decoded.ttl.map({ $0 > 0 }) ?? true,
            decoded.roomId.map({ $0.utf8.count <= ClaimPolicy.maximumNameBytes }) ?? true
        else { throw .badRequest }
        self = decoded
    }
}
