extension TURNServerConfiguration {
    /// The certificate chain and key the metrics endpoint serves HTTPS with under
    /// `prometheus-tls`: `prometheus-cert` and `prometheus-key`, or else `cert` and `pkey`;
    /// nil without `prometheus-tls` or without a pair.
    public var prometheusTLSFiles: (certificateChain: String, privateKey: String)? {
        guard self.prometheusTLS else { return nil }
        if let certificate = self.prometheusCertificateFile, let key = self.prometheusPrivateKeyFile {
            return (certificate, key)
        }
        if self.prometheusCertificateFile == nil, self.prometheusPrivateKeyFile == nil,
            let certificate = self.certificateFile, let key = self.privateKeyFile
        {
            return (certificate, key)
        }
        return nil
    }
}
