import Foundation
import HummingbirdTLS
import NIOSSL
import IPAddressing
import TURNAuth

/// The checks behind `Gateway.validate(_:)` and the key loading both it and `Gateway.init` do.
enum GatewayValidation {
    /// Checks the plain values: ports, limits, lifetimes, classes, origins, the admin settings.
    static func checkSettings(_ configuration: GatewayConfiguration) throws(GatewayConfigurationError) {
        let ports = 1...65_535
        guard ports.contains(configuration.port) else { throw .init("api-listening-port: \(configuration.port) is not a TCP port") }
        guard !configuration.listeningAddresses.isEmpty else { throw .init("api-listening-ip: no address to listen on") }
        if let adminPort = configuration.adminPort {
            guard ports.contains(adminPort), adminPort != configuration.port else {
                throw .init("admin-listening-port: \(adminPort) is not a TCP port other than api-listening-port")
            }
            guard configuration.adminToken != nil else { throw .init("admin-listening-port is set but admin-token-file is not") }
        }
        if let token = configuration.adminToken, token.bytes.count < Self.minimumAdminTokenBytes {
            throw .init("admin-token-file: the token must be at least \(Self.minimumAdminTokenBytes) bytes")
        }
        guard !configuration.restSecret.bytes.isEmpty else { throw .init("static-auth-secret: required to mint credentials") }
        guard Self.credentialTTLRange.contains(configuration.credentialTTL) else {
            throw .init("credential-ttl: must be 1 to \(Self.credentialTTLRange.upperBound) seconds")
        }
        if let rate = configuration.rateLimit {
            guard RateLimiter.countRange.contains(rate.count), RateLimiter.windowSecondsRange.contains(rate.windowSeconds) else {
                throw .init(
                    "api-rate-limit: COUNT must be 1 to \(RateLimiter.countRange.upperBound) and SECONDS 1 to \(RateLimiter.windowSecondsRange.upperBound)"
                )
            }
        }
        guard configuration.connectionLimit >= 1 else { throw .init("api-connection-limit: must be at least 1 connection") }
        guard configuration.requestTimeLimit > .zero else { throw .init("request time limit: must be positive") }
        guard !configuration.bandwidthClasses.isEmpty else { throw .init("bandwidth-class: at least one class is needed") }
        var names: Set<String> = []
        for bandwidthClass in configuration.bandwidthClasses {
            guard !bandwidthClass.name.isEmpty, names.insert(bandwidthClass.name).inserted,
                (1...CredentialGrant.maximumBandwidthKbps).contains(bandwidthClass.kbps)
            else {
                throw .init(
                    "bandwidth-class: \(bandwidthClass.name)=\(bandwidthClass.kbps) needs a unique name and 1 to \(CredentialGrant.maximumBandwidthKbps) kbit/s"
                )
            }
        }
        guard !configuration.corsOrigins.contains(where: \.isEmpty) else { throw .init("api-cors-origin: empty origin") }
        if let signaling = configuration.signaling { try Self.checkSignaling(signaling) }
        let jwt = configuration.jwt
        guard jwt.leewaySeconds >= 0 else { throw .init("jwt-leeway: must not be negative") }
        guard jwt.maxLifetimeSeconds > 0 else { throw .init("jwt-max-lifetime: must be at least 1 second") }
        guard jwt.jwksRefetchCooldownSeconds >= 0 else { throw .init("JWKS cool-down: must not be negative") }
        guard !jwt.userClaim.isEmpty else { throw .init("jwt-user-claim: empty claim name") }
        guard !jwt.requiredClaims.contains(where: { $0.name.isEmpty }) else { throw .init("jwt-required-claim: empty claim name") }
        guard !jwt.hmacSecrets.contains(where: { $0.bytes.count < KeyLoader.minimumHMACSecretBytes }) else {
            throw .init("jwt-secret: each secret needs at least \(KeyLoader.minimumHMACSecretBytes) bytes (RFC 7518 Section 3.2)")
        }
        if let url = jwt.jwksURL {
            let scheme = url.scheme?.lowercased()
            guard let host = url.host, scheme == "https" || (scheme == "http" && Self.isLoopback(host)) else {
                throw .init("jwt-jwks-url: must be an https URL (http only for a loopback host)")
            }
        }
        guard !jwt.hmacSecrets.isEmpty || !jwt.publicKeyFiles.isEmpty || jwt.jwksFile != nil || jwt.jwksURL != nil else {
            throw .init("no JWT key: set jwt-secret, jwt-public-key-file, jwt-jwks-file or jwt-jwks-url")
        }
    }

    /// The shortest admin token accepted, in bytes.
    static let minimumAdminTokenBytes = 32
    /// The credential lifetimes accepted, in seconds: up to a week.
    static let credentialTTLRange = 1...604_800

    /// Whether `host` is `localhost` or a loopback address (127.0.0.0/8, ::1).
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" { return true }
        switch try? IPAddress(parsing: bare, zoneIdentifiers: .ignored).unmapped {
        case .v4(let value): return value >> 24 == 127
        case .v6(let high, let low): return high == 0 && low == 1
        case nil: return false
        }
    }

    /// The keys of the secrets, PEM files and JWKS file.
    static func localKeys(_ jwt: JWTSettings) async throws(GatewayConfigurationError) -> [VerificationKey] {
        var keys = await KeyLoader.hmacKeys(jwt.hmacSecrets)
        for path in jwt.publicKeyFiles {
            keys += try await KeyLoader.pemKeys(try Self.read(path, setting: "jwt-public-key-file"), path: path)
        }
        if let path = jwt.jwksFile {
            let text = try Self.read(path, setting: "jwt-jwks-file")
            let loaded: (keys: [VerificationKey], skipped: Int)
            do {
                loaded = try await KeyLoader.jwksKeys(Data(text.utf8))
            } catch {
                throw .init("jwt-jwks-file: \(path): \(error.description)")
            }
            guard !loaded.keys.isEmpty else { throw .init("jwt-jwks-file: \(path): no usable signature key") }
            keys += loaded.keys
        }
        return keys
    }

    /// The PEM certificate chain (leaf first) and key of `files`, checked to belong together.
    static func certificate(_ files: TLSFiles) throws(GatewayConfigurationError) -> ([NIOSSLCertificateSource], NIOSSLPrivateKeySource) {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificateChainPath)
            guard !chain.isEmpty else { throw GatewayConfigurationError("api-cert: \(files.certificateChainPath): no certificate") }
            let key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
            let pair: ([NIOSSLCertificateSource], NIOSSLPrivateKeySource) = (chain.map { .certificate($0) }, .privateKey(key))
            do {
                _ = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: pair.0, privateKey: pair.1))
            } catch {
                throw GatewayConfigurationError(
                    "api-cert/api-pkey: \(files.privateKeyPath) is not the key of \(files.certificateChainPath)'s certificate")
            }
            return pair
        } catch let error as GatewayConfigurationError {
            throw error
        } catch {
            throw .init("api-cert/api-pkey: cannot load \(files.certificateChainPath) and \(files.privateKeyPath): \(error)")
        }
    }

    private static func read(_ path: String, setting: String) throws(GatewayConfigurationError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .init("\(setting): cannot read \(path)")
        }
    }
}
