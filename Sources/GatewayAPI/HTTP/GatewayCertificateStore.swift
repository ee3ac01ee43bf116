import HummingbirdTLS
import NIOSSL
import Synchronization

/// The API listener's certificate and key, read again by ``reload()`` without a restart: each
/// new TLS connection is handed the current pair when its ClientHello arrives, and established
/// connections keep theirs.
final class GatewayCertificateStore: Sendable {
    private let files: TLSFiles
    private let current: Mutex<NIOSSLContextConfigurationOverride>

    /// Loads the pair.
    init(_ files: TLSFiles) throws(GatewayConfigurationError) {
        self.files = files
        self.current = Mutex(try Self.load(files))
    }

    /// Reads the files again; the running pair stays when they cannot be used.
    func reload() throws(GatewayConfigurationError) {
        let next = try Self.load(self.files)
        self.current.withLock { $0 = next }
    }

    /// The listener's TLS configuration, which asks the store for the pair of each connection.
    func tlsConfiguration() throws(GatewayConfigurationError) -> TLSConfiguration {
        var configuration = try GatewayValidation.tlsConfiguration(self.files)
        configuration.sslContextCallback = { [self] _, promise in
            promise.succeed(self.current.withLock { $0 })
        }
        return configuration
    }

    private static func load(_ files: TLSFiles) throws(GatewayConfigurationError) -> NIOSSLContextConfigurationOverride {
        let (chain, key) = try GatewayValidation.certificate(files)
        var pair = NIOSSLContextConfigurationOverride()
        pair.certificateChain = chain
        pair.privateKey = key
        return pair
    }
}
