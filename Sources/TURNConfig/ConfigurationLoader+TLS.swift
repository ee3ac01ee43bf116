extension ConfigurationLoader {
    /// `cert` and `pkey` go together; `tls-listening-port` and the version flags need them.
    mutating func checkTLS() {
        let configuration = self.configuration
        switch (configuration.certificateFile, configuration.privateKeyFile) {
        case (_?, nil):
            self.report(.error, "cert needs pkey: TLS needs both the certificate chain and its private key", at: .certificate)
        case (nil, _?):
            self.report(.error, "pkey needs cert: TLS needs both the certificate chain and its private key", at: .privateKey)
        case (nil, nil):
            for setting in [ConfigSetting.tlsListeningPort, .cipherList] where self.settingPlaces[setting] != nil {
                self.report(.warning, "has no effect without cert and pkey: TurnGate listens on TLS only with a certificate", at: setting)
            }
        case (_?, _?):
            break
        }
        if configuration.tlsListeningPort == configuration.listeningPort, configuration.tcpEnabled, configuration.certificateFile != nil,
            configuration.tlsEnabled
        {
            self.report(.error, "tls-listening-port equals listening-port: TLS and plain TCP need distinct ports", at: .tlsListeningPort)
        }
        if configuration.noTLSv1_2, configuration.certificateFile != nil, configuration.tlsEnabled {
            self.report(.warning, "no-tlsv1_2 leaves TLS 1.3 only: older clients cannot connect", at: .noTLSv1_2)
        }
    }
}

extension ConfigurationLoader {
    /// `prometheus-tls` turns the metrics endpoint on, over HTTPS, with `prometheus-cert` and
    /// `prometheus-key`, or else the TURN listener's `cert` and `pkey` (as coturn); with
    /// neither pair it is an error, and the pair without `prometheus-tls` does nothing.
    mutating func checkPrometheusTLS() {
        let configuration = self.configuration
        switch (configuration.prometheusCertificateFile, configuration.prometheusPrivateKeyFile) {
        case (_?, nil):
            self.report(.error, "prometheus-cert needs prometheus-key", at: .prometheusCertificate)
        case (nil, _?):
            self.report(.error, "prometheus-key needs prometheus-cert", at: .prometheusKey)
        default:
            break
        }
        guard configuration.prometheusTLS else {
            for setting in [ConfigSetting.prometheusCertificate, .prometheusKey] where self.settingPlaces[setting] != nil {
                self.report(.warning, "has no effect without prometheus-tls", at: setting)
            }
            return
        }
        self.configuration.prometheusEnabled = true
        if configuration.prometheusTLSFiles == nil, configuration.prometheusCertificateFile == nil, configuration.prometheusPrivateKeyFile == nil {
            self.report(.error, "prometheus-tls needs prometheus-cert and prometheus-key, or cert and pkey", at: .prometheusTLS)
        }
    }
}
