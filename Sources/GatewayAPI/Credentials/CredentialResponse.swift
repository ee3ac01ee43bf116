import Foundation

/// The answer of `POST /v1/turn/credentials` (docs/gateway.md), ready for
/// `new RTCPeerConnection({iceServers})`.
struct CredentialResponse: Encodable, Sendable {
    /// One entry of `iceServers`.
    struct ICEServer: Encodable, Sendable {
        var urls: [String]
        var username: String
        var credential: String
    }

    var username: String
    var password: String
    var credential: String
    var ttl: Int
    var expiresAt: Date
    var refreshAfter: Date
    var uris: [String]
    var iceServers: [ICEServer]
    var userId: String
    var roomId: String?
    var bandwidthClass: String?
    var maxBitrateKbps: Int?

    init(_ minted: MintedCredential, uris: [String]) {
        self.username = minted.credential.username
        self.password = minted.credential.password
        self.credential = minted.credential.password
        self.ttl = minted.ttl
        self.expiresAt = minted.expiresAt
        self.refreshAfter = minted.refreshAfter
        self.uris = uris
        self.iceServers =
            uris.isEmpty
            ? [] : [ICEServer(urls: uris, username: minted.credential.username, credential: minted.credential.password)]
        self.userId = minted.grant.user
        self.roomId = minted.grant.room
        self.bandwidthClass = minted.bandwidthClass?.name
        self.maxBitrateKbps = minted.bandwidthClass?.kbps
    }
}

/// The answer of `GET /?service=turn`: the TURN REST API draft's response
/// (draft-uberti-behave-turn-rest-00 Section 2.2).
struct RESTAPIResponse: Encodable, Sendable {
    var username: String
    var password: String
    var ttl: Int
    var uris: [String]
}
