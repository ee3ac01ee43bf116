import Foundation

/// A token split into its JWS compact parts (RFC 7515 Section 7.1), header and payload
/// decoded, nothing verified yet.
struct CompactJWS: Sendable {
    /// The `alg` header.
    var algorithm: String
    /// The `kid` header.
    var keyID: String?
    /// The payload's claims.
    var claims: [String: JSONValue]
    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers.
    var signingInput: [UInt8]
    /// The signature bytes.
    var signature: [UInt8]

    /// The longest token accepted, in bytes.
    static let maximumLength = 8 * 1024

    /// Splits and decodes `token`.
    ///
    /// - Throws: ``TokenRejection/malformedToken`` for anything but three base64url parts with a
    ///   JSON object header carrying `alg` and a JSON object payload, or a `crit` header (no
    ///   extension is understood); ``TokenRejection/unsupportedAlgorithm`` for `alg: none`.
    init(parsing token: String) throws(TokenRejection) {
        let utf8 = Array(token.utf8)
        guard utf8.count <= Self.maximumLength else { throw .malformedToken }
        let parts = utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64URL.decode(String(decoding: parts[0], as: UTF8.self)),
            let payloadBytes = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)),
            let signature = Base64URL.decode(String(decoding: parts[2], as: UTF8.self)),
            let header = try? JSONDecoder().decode([String: JSONValue].self, from: Data(headerBytes)),
            case .string(let algorithm)? = header["alg"]
        else { throw .malformedToken }
        guard header["crit"] == nil else { throw .malformedToken }
        guard algorithm.lowercased() != "none" else { throw .unsupportedAlgorithm }
        guard let claims = try? JSONDecoder().decode([String: JSONValue].self, from: Data(payloadBytes)) else {
            throw .malformedToken
        }
        if let kid = header["kid"] {
            guard case .string(let keyID) = kid else { throw .malformedToken }
            self.keyID = keyID
        } else {
            self.keyID = nil
        }
        self.algorithm = algorithm
        self.claims = claims
        self.signingInput = Array(parts[0]) + [UInt8(ascii: ".")] + Array(parts[1])
        self.signature = signature
    }
}
