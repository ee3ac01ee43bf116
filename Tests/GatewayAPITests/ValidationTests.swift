import Foundation
import GatewayAPI
import TURNAuth
import Testing

/// Settings the gateway cannot use are reported before it starts.
struct ValidationTests {
    @Test
    func theTestConfigurationIsValid() async throws {
        try await Gateway.validate(Harness.configuration())
    }

    @Test
    func unusableSettingsAreReportedByName() async throws {
        let notAKey = try TempFiles.write("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", name: "bad.pem")
        let badJWKS = try TempFiles.write(#"{"keys": "nope"}"#, name: "jwks.json")
        let emptyJWKS = try TempFiles.write(#"{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}"#, name: "jwks.json")
        let cases: [(String, (inout GatewayConfiguration) -> Void)] = [
            ("jwt-public-key-file", { $0.jwt.publicKeyFiles = ["/nonexistent/key.pem"] }),
            ("not a PEM", { $0.jwt.publicKeyFiles = [notAKey] }),
            ("jwt-jwks-file", { $0.jwt.jwksFile = badJWKS }),
            ("no usable signature key", { $0.jwt.jwksFile = emptyJWKS }),
            ("no JWT key", { $0.jwt.hmacSecrets = [] }),
            ("jwt-secret", { $0.jwt.hmacSecrets = [CredentialSecret("short")] }),
            ("api-rate-limit", { $0.rateLimit = RateLimit(count: 0, windowSeconds: 60) }),
            ("api-connection-limit", { $0.connectionLimit = 0 }),
            ("bandwidth-class", { $0.bandwidthClasses = [BandwidthClass(name: "audio", kbps: 0)] }),
            ("admin-listening-port", { $0.adminPort = 9000 }),
            ("jwt-jwks-url", { $0.jwt.jwksURL = URL(string: "file:///etc/passwd") }),
            ("api-cert", { $0.tls = TLSFiles(certificateChainPath: "/nonexistent/cert.pem", privateKeyPath: "/nonexistent/key.pem") }),
        ]
        for (expected, change) in cases {
            var configuration = Harness.configuration()
            change(&configuration)
            let error = await #expect(throws: GatewayConfigurationError.self) { try await Gateway.validate(configuration) }
            #expect(error?.description.contains(expected) == true, "\(expected)")
        }
    }
}
