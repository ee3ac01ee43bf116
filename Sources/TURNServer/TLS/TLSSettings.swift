/// What the TURN-over-TLS listener needs (coturn's `cert`, `pkey`, `cipher-list`,
/// `no-tlsv1_2`): file paths, read again on every reload.
public struct TLSSettings: Hashable, Sendable {
    /// The lowest TLS version accepted.
    public enum MinimumVersion: Hashable, Sendable {
        /// TLS 1.2 (TLS 1.0 and 1.1 are never accepted).
        case tls12
        /// TLS 1.3 (coturn's `no-tlsv1_2`).
        case tls13
    }

    /// The port (`tls-listening-port`, 5349).
    public var port: Int
    /// The PEM certificate chain, leaf first.
    public var certificateChainFile: String
    /// The PEM private key.
    public var privateKeyFile: String
    /// OpenSSL cipher list for TLS 1.2, or nil for the library's defaults.
    public var cipherList: String?
    /// The lowest version accepted.
    public var minimumVersion: MinimumVersion
    /// The option that named the certificate file, for error messages (`cert`, or the
    /// metrics endpoint's `prometheus-cert`).
    package var certificateOption = "cert"
    /// The option that named the key file (`pkey`, or `prometheus-key`).
    package var keyOption = "pkey"

    /// Creates settings.
    public init(port: Int, certificateChainFile: String, privateKeyFile: String, cipherList: String? = nil, minimumVersion: MinimumVersion = .tls12) {
        self.port = port
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.cipherList = cipherList
        self.minimumVersion = minimumVersion
    }

    /// Loads the certificate and key as the server would, without serving: `check-config`.
    ///
    /// - Throws: ``TLSSetupError`` naming the file, or saying the key is not the certificate's.
    package func validate() throws {
        _ = try TLSContextStore.makeContext(self)
    }
}
