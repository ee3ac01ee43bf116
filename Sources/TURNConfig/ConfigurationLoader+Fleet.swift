extension ConfigurationLoader {
    /// One source for the nonce key: `nonce-secret-file` or `stateless-nonce-secret`, and a
    /// warning for a short passphrase (the nonces it signs let it be guessed offline).
    mutating func checkNonceKey() {
        guard let secret = self.configuration.statelessNonceSecret else { return }
        if self.configuration.nonceSecretFile != nil {
            self.report(.error, "stateless-nonce-secret and nonce-secret-file both set the nonce key: give one", at: .statelessNonceSecret)
        }
        if secret.count < TURNServerConfiguration.recommendedNonceSecretLength {
            self.report(
                .warning,
                "stateless-nonce-secret has \(secret.count) characters: use a random one of at least \(TURNServerConfiguration.recommendedNonceSecretLength), or nonce-secret-file",
                at: .statelessNonceSecret)
        }
    }
}
