import Foundation

/// A token split into its JWS compact parts (RFC 7515 Section 7.1), header and payload
/// decoded, nothing verified yet.
struct CompactJWS: Sendable {
    /// The `alg` header.
    var algorithm: String
    /// The `kid` header.
    var keyID: String?
    /// The payload's top-level claims; values nested in them are not decoded.
    var claims: [String: ClaimValue]
    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers.
    var signingInput: [UInt8]
    /// The signature bytes.
    var signature: [UInt8]

    /// The longest token accepted, in bytes.
    static let maximumLength = 8 * 1024

    /// The JOSE header members the gateway reads (RFC 7515 Section 4.1).
    private struct Header: Decodable {
        var algorithm: String
        var keyID: String?
        var hasCritical: Bool

        private enum CodingKeys: String, CodingKey {
            case alg, kid, crit
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.algorithm = try container.decode(String.self, forKey: .alg)
            self.keyID = try container.decodeIfPresent(String.self, forKey: .kid)
            self.hasCritical = container.contains(.crit)
        }
    }

    /// Splits and decodes `token`.
    ///
    /// - Throws: ``TokenRejection/malformedToken`` for anything but three base64url parts with a
    ///   JSON object header carrying a string `alg` (and a string `kid`, if any) and a JSON object
    ///   payload, for JSON nested deeper than ``JSONDepth/maximumTokenDepth``, or for a `crit`
    ///   header (no extension is understood); ``TokenRejection/unsupportedAlgorithm`` for `alg: none`.
    init(parsing token: String) throws(TokenRejection) {
        let utf8 = Array(token.utf8)
        guard utf8.count <= Self.maximumLength else { throw .malformedToken }
        let parts = utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64URL.decode(String(decoding: parts[0], as: UTF8.self)),
            let payloadBytes = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)),
            let signature = Base64URL.decode(String(decoding: parts[2], as: UTF8.self)),
            !JSONDepth.exceeds(headerBytes, limit: JSONDepth.maximumTokenDepth),
            !JSONDepth.exceeds(payloadBytes, limit: JSONDepth.maximumTokenDepth),
            let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes))
        else { throw .malformedToken }
        guard !header.hasCritical else { throw .malformedToken }
        guard header.algorithm.lowercased() != "none" else { throw .unsupportedAlgorithm }
        guard let claims = try? JSONDecoder().decode([String: ClaimValue].self, from: Data(payloadBytes)) else {
            throw .malformedToken
        }
        self.algorithm = header.algorithm
        self.keyID = header.keyID
        self.claims = claims
        self.signingInput = Array(parts[0]) + [UInt8(ascii: ".")] + Array(parts[1])
        self.signature = signature
    }
}
