import Foundation
import GatewayAPI
import TURNAuth
import TURNConfig

/// Turns the file's gateway settings into the gateway's configuration: addresses, key files,
/// the admin token read from its file, the first `static-auth-secret` to mint with.
enum GatewaySetup {
    /// A gateway setting that is well-formed but cannot be used.
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// The gateway's configuration, or nil when `api-listening-port` is not set.
    static func gatewayConfiguration(_ configuration: TURNServerConfiguration) throws -> GatewayConfiguration? {
        guard let port = configuration.apiListeningPort else { return nil }
        guard let secret = configuration.staticAuthSecrets.first else {
            throw SetupError(description: "the gateway mints REST credentials: set static-auth-secret")
        }
        let jwksURL = try configuration.jwtJWKSURL.map { text in
            guard let url = URL(string: text) else { throw SetupError(description: "jwt-jwks-url: not a URL: \(text)") }
            return url
        }
        let jwt = JWTSettings(
            hmacSecrets: configuration.jwtSecrets.map(CredentialSecret.init),
            publicKeyFiles: configuration.jwtPublicKeyFiles,
            jwksFile: configuration.jwtJWKSFile,
            jwksURL: jwksURL,
            issuers: configuration.jwtIssuers,
            audiences: configuration.jwtAudiences,
            leewaySeconds: configuration.jwtLeeway,
            maxLifetimeSeconds: configuration.jwtMaxLifetime,
            requiredClaims: configuration.jwtRequiredClaims.map { RequiredClaim(name: $0.name, value: $0.value) },
            userClaim: configuration.jwtUserClaim
        )
        let tls = try Self.tlsFiles(configuration)
        return GatewayConfiguration(
            listeningAddresses: configuration.apiListeningIPs.isEmpty ? ["0.0.0.0"] : configuration.apiListeningIPs,
            port: port,
            tls: tls,
            jwt: jwt,
            restSecret: CredentialSecret(secret),
            restSeparator: configuration.restAPISeparator,
            credentialTTL: configuration.credentialTTL,
            turnURIs: configuration.advertisedTURNURIs,
            rateLimit: configuration.apiRateLimit.map { RateLimit(count: $0.count, windowSeconds: $0.seconds) },
            connectionLimit: configuration.apiConnectionLimit,
            allowedRanges: configuration.apiAllowedIPs,
            deniedRanges: configuration.apiDeniedIPs,
            corsOrigins: configuration.apiCORSOrigins,
            iceTestPage: configuration.iceTestPage,
            adminToken: try configuration.adminTokenFile.map(Self.adminToken),
            adminPort: configuration.adminListeningPort,
            bandwidthClasses: configuration.bandwidthClasses.map { BandwidthClass(name: $0.name, kbps: $0.kbps) },
            signaling: Self.signalSettings(configuration.signaling)
        )
    }

    /// The signaling limits; nil with `no-signaling`.
    private static func signalSettings(_ signaling: TURNServerConfiguration.Signaling) -> SignalSettings? {
        guard signaling.enabled else { return nil }
        return SignalSettings(
            openRooms: signaling.openRooms, roomMaxPeers: signaling.roomMaxPeers, maxMessageBytes: signaling.maxMessageSize,
            messageRate: signaling.messageRate, userConnections: signaling.userConnections,
            authTimeoutSeconds: signaling.authTimeout, pingIntervalSeconds: signaling.pingInterval)
    }

    /// Checks what the gateway would load (key files, JWKS file, certificates) without starting it.
    static func validate(_ configuration: TURNServerConfiguration) async throws {
        guard let gateway = try Self.gatewayConfiguration(configuration) else { return }
        try await Gateway.validate(gateway)
    }

    private static func tlsFiles(_ configuration: TURNServerConfiguration) throws -> TLSFiles? {
        switch (configuration.apiCertificateFile, configuration.apiPrivateKeyFile) {
        case (let certificate?, let key?): TLSFiles(certificateChainPath: certificate, privateKeyPath: key)
        case (nil, nil): nil
        default: throw SetupError(description: "api-cert and api-pkey go together")
        }
    }

    /// The first line of `admin-token-file`; `Gateway.validate` checks its length.
    private static func adminToken(_ path: String) throws -> CredentialSecret {
        guard let token = ConfigurationFile.firstLine(of: path) else {
            throw SetupError(description: "cannot read admin-token-file \(path), or its first line is empty")
        }
        return CredentialSecret(token)
    }
}
