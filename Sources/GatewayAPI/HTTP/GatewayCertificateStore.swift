import HummingbirdTLS
import NIOSSL
import Synchronization

/// The API listener's certificate and key, read again by ``reload()`` without a restart: each
/// new TLS connection is handed the current pair when its ClientHello arrives, and established
/// connections keep theirs.
final class GatewayCertificateStore: Sendable {
    private let files: TLSFiles
    private let current: Mutex<NIOSSLContextConfigurationOverride>
    /// The pair loaded at start, which the listener's base configuration is made of.
    private let initial: ([NIOSSLCertificateSource], NIOSSLPrivateKeySource)

    /// Loads the pair.
    init(_ files: TLSFiles) throws(GatewayConfigurationError) {
        self.files = files
        self.initial = try GatewayValidation.certificate(files)
        self.current = Mutex(Self.override(self.initial))
    }

    /// Reads the files again; the running pair stays when they cannot be used.
    func reload() throws(GatewayConfigurationError) {
        let next = Self.override(try GatewayValidation.certificate(self.files))
        self.current.withLock { $0 = next }
    }

    /// The listener's TLS configuration, which asks the store for the pair of each connection.
    func tlsConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: self.initial.0, privateKey: self.initial.1)
        configuration.sslContextCallback = { [self] _, promise in
            promise.succeed(self.current.withLock { $0 })
        }
        return configuration
    }

    private static func override(_ loaded: ([NIOSSLCertificateSource], NIOSSLPrivateKeySource)) -> NIOSSLContextConfigurationOverride {
        let (chain, key) = loaded
        var pair = NIOSSLContextConfigurationOverride()
        pair.certificateChain = chain
        pair.privateKey = key
        return pair
    }
}
