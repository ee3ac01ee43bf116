/// The typed setting of ``TURNServerConfiguration`` that a supported option feeds.
///
/// Supporting one more coturn option takes three steps, all checked by the compiler: a case here,
/// `.supported(.thatCase)` on its line of ``ConfigKey/catalogue``, and the field it sets in
/// ``ConfigurationLoader``'s exhaustive switch.
enum ConfigSetting: Hashable, Sendable, CaseIterable {
    /// `listening-ip`: one more address to listen on.
    case listeningIP
    /// `listening-port`: the UDP and TCP port.
    case listeningPort
    /// `no-udp`: no UDP listener.
    case noUDP
    /// `no-tcp`: no TCP listener.
    case noTCP
    /// `fingerprint`: FINGERPRINT on every response.
    case fingerprint
    /// `no-software-attribute`: no SOFTWARE attribute (coturn 4.6 and earlier).
    case noSoftwareAttribute
    /// `software-attribute`: send the SOFTWARE attribute (coturn's newer spelling, inverted).
    case softwareAttribute
    /// `verbose`: coturn's moderate verbosity.
    case verbose
    /// `Verbose`: coturn's extra verbosity.
    case extraVerbose
    /// `log-file`: a file to log to (`stdout` and `-` mean standard output).
    case logFile
    /// `no-stdout-log`: do not log to standard output.
    case noStdoutLog
    /// `pidfile`: where to write the process ID.
    case pidFile
    /// `software-name`: TurnGate's SOFTWARE text.
    case softwareName
    /// `log-level`: TurnGate's explicit log level.
    case logLevel
    /// `log-format`: TurnGate's log line format.
    case logFormat
    /// `strict-config`: warnings are errors.
    case strictConfig
}
