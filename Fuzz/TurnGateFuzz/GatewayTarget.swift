import Foundation
import GatewayAPI
import Crypto
import NIOCore
import TURNAuth

/// The gateway's JSON body and JWT parsing, through the credential endpoint's steps
/// (``CredentialExchange``).
///
/// The first byte chooses: an `Authorization` header made of the input as it is (garbage
/// tokens: base64url, JSON, algorithm and key selection, signature), or a token whose header
/// and claims are the input's bytes and whose HS256 signature is valid, so the claim rules,
/// the body and minting run too. The rest of the input is split at its first NUL byte into
/// token material and a request body.
enum GatewayTarget {
    static let secret = "fuzz-jwt-secret-0123456789abcdef"
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static let exchange: CredentialExchange = FuzzAsync.wait {
        await CredentialExchange(
            configuration: GatewayConfiguration(
                port: 8443, jwt: JWTSettings(hmacSecrets: [CredentialSecret(secret)]), restSecret: CredentialSecret("rest"),
                turnURIs: ["turn:turn.example.com"]))
    }

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let mode = input.byte()
        let parts = input.rest().split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let material = Array(parts.first ?? [])
        let body = ByteBuffer(bytes: parts.count > 1 ? Array(parts[1]) : [])
        let authorization: String
        switch mode % 4 {
        case 0:
            authorization = String(decoding: material, as: UTF8.self)
        case 1:
            authorization = "Bearer " + String(decoding: material, as: UTF8.self)
        case 2:
            authorization = "Bearer " + self.signed(header: Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8), claims: material)
        default:
            let cut = material.firstIndex(of: UInt8(ascii: "|")) ?? material.endIndex
            authorization = "Bearer " + self.signed(header: Array(material[..<cut]), claims: Array(material[cut...].dropFirst()))
        }
        let exchange = self.exchange
        FuzzAsync.wait {
            let credential = try? await exchange.exchange(authorization: authorization, body: body, now: now)
            if let credential {
                let parsed = RESTCredential.parse(username: credential.username)
                precondition(parsed.flatMap { CredentialGrant(decoding: $0.user) } != nil, "the gateway minted a name the relay refuses")
            }
        }
    }

    /// `header.claims.signature`, base64url, HS256 with the configured secret.
    private static func signed(header: [UInt8], claims: [UInt8]) -> String {
        let input = Self.base64URL(header) + "." + Self.base64URL(claims)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return input + "." + Self.base64URL(Array(mac))
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
