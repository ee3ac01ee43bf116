extension TURNServerConfiguration {
    /// The default `drain-timeout`: one hour, in seconds.
    public static let defaultDrainTimeout = 3600
    /// The default `cert-reload-interval`, in seconds.
    public static let defaultCertReloadInterval = 5
    /// The shortest key `nonce-secret-file` may hold, in bytes.
    public static let minimumNonceKeyBytes = 32
}
