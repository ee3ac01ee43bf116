/// The PEM files of an HTTPS listener (`api-cert`, `api-pkey`).
public struct TLSFiles: Sendable, Hashable {
    /// The certificate chain, leaf first.
    public var certificateChainPath: String
    /// The private key.
    public var privateKeyPath: String

    /// Names the two files.
    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }
}
