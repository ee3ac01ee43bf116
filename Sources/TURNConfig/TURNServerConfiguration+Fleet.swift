extension TURNServerConfiguration {
    /// The default `drain-timeout`: one hour, in seconds.
    public static let defaultDrainTimeout = 3600
    /// The default `cert-reload-interval`, in seconds.
    public static let defaultCertReloadInterval = 5
    /// The shortest key `nonce-secret-file` may hold, in bytes.
    public static let minimumNonceKeyBytes = 32
    /// The shortest `stateless-nonce-secret` given without a warning, in characters.
    public static let recommendedNonceSecretLength = 32
    /// coturn's default `unauthorized-ratelimit-rps`.
    public static let coturnUnauthorizedRatelimitRPS = 10
}

extension TURNServerConfiguration {
    /// Where each supported option was last given, by option name: a file line, or nothing for
    /// the command line. Not part of the configuration's value: two configurations that differ
    /// only in where their options were written are equal.
    public struct OptionLines: Hashable, Sendable {
        private var lines: [String: Int] = [:]

        /// No option given yet.
        public init() {}

        /// The line `option` was last given on; nil when it was not, or on the command line.
        public subscript(option: String) -> Int? {
            get { self.lines[option] }
            set { self.lines[option] = newValue }
        }

        public static func == (lhs: OptionLines, rhs: OptionLines) -> Bool { true }
        public func hash(into hasher: inout Hasher) {}
    }
}
