import Foundation
package import NIOSSL
import Synchronization

/// The TLS server context new connections use, replaced on reload (SIGUSR2, coturn's signal)
/// without touching connections already established: TURN over TLS's, and the metrics
/// endpoint's under `prometheus-tls`.
package final class TLSContextStore: Sendable {
    private let settings: TLSSettings
    private let context: Mutex<NIOSSLContext>

    /// Loads the certificate and key.
    ///
    /// - Throws: ``TLSSetupError`` naming the file that cannot be used.
    package init(_ settings: TLSSettings) throws {
        self.settings = settings
        self.context = Mutex(try Self.makeContext(settings))
    }

    /// The context for a new connection.
    package var current: NIOSSLContext { self.context.withLock { $0 } }

    /// Reads the files again; the old context stays when they cannot be used.
    package func reload() throws {
        let context = try Self.makeContext(self.settings)
        self.context.withLock { $0 = context }
    }

    static func makeContext(_ settings: TLSSettings) throws -> NIOSSLContext {
        try Self.checkReadable(settings.certificateChainFile, option: settings.certificateOption)
        try Self.checkReadable(settings.privateKeyFile, option: settings.keyOption)
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(settings.certificateChainFile)
        } catch {
            throw TLSSetupError(description: "\(settings.certificateOption) \(settings.certificateChainFile): not a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw TLSSetupError(description: "\(settings.certificateOption) \(settings.certificateChainFile): no certificate in the file") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: settings.privateKeyFile, format: .pem)
        } catch {
            throw TLSSetupError(description: "\(settings.keyOption) \(settings.privateKeyFile): not an unencrypted PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = settings.minimumVersion == .tls13 ? .tlsv13 : .tlsv12
        if let cipherList = settings.cipherList {
            configuration.cipherSuites = cipherList
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(description: "\(settings.certificateOption)/\(settings.keyOption)/cipher-list cannot be used together: \(error)")
        }
    }
}

extension TLSContextStore {
    /// Names a file that is missing or unreadable in words, before the TLS library's codes.
    private static func checkReadable(_ path: String, option: String) throws {
        guard !FileManager.default.isReadableFile(atPath: path) else { return }
        let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (permissions)" : "no such file"
        throw TLSSetupError(description: "\(option) \(path): \(reason)")
    }
}

/// The TLS certificate, key or cipher list cannot be used.
public struct TLSSetupError: Error, CustomStringConvertible {
    public var description: String
}
