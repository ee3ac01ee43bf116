/// The relay's settings, typed and checked, read from coturn's `turnserver.conf` syntax and
/// command-line options.
///
/// Build one with ``load(fileText:arguments:strict:)`` or ``load(directives:strict:)``; both
/// return every problem as a ``ConfigDiagnostic`` instead of stopping at the first. The defaults
/// (``init()``) are coturn's where TurnGate shares its options.
public struct TURNServerConfiguration: Sendable, Equatable {
    /// `listening-ip`: the addresses to listen on, as written. Empty means all addresses: the
    /// caller binds `0.0.0.0` and `::`.
    public var listeningIPs: [String]
    /// `listening-port`: the UDP and TCP port (3478).
    public var listeningPort: Int
    /// `false` after `no-udp`.
    public var udpEnabled: Bool
    /// `false` after `no-tcp`.
    public var tcpEnabled: Bool
    /// coturn's `fingerprint`: add FINGERPRINT (RFC 8489 Section 14.7) to every response, not
    /// only to responses to requests that carried one.
    public var fingerprint: Bool
    /// The SOFTWARE attribute's text (`software-name`, default "TurnGate"); `nil` after
    /// `no-software-attribute`.
    public var softwareName: String?
    /// The lowest level logged: `log-level`, else derived from coturn's `verbose` (debug) and
    /// `Verbose` (trace); ``LogLevel/info`` by default.
    public var logLevel: LogLevel
    /// `log-format`: plain text lines or one JSON object per line.
    public var logFormat: LogFormat
    /// `log-file`: a file to append log lines to; `nil` for none (`log-file=stdout` is
    /// standard output, so it leaves this `nil` and ``stdoutLog`` `true`).
    public var logFile: String?
    /// Whether to log to standard output: `false` after `no-stdout-log`.
    public var stdoutLog: Bool
    /// `pidfile`: where to write the process ID; `nil` for nowhere.
    public var pidFile: String?
    /// Whether warnings were turned into errors (`strict-config`, or `strict: true`).
    public var strict: Bool

    /// The port coturn and TurnGate listen on unless told otherwise.
    static let defaultListeningPort = 3478
    /// The SOFTWARE text sent unless `software-name` or `no-software-attribute` says otherwise.
    static let defaultSoftwareName = "TurnGate"

    /// The defaults: every address, port 3478, UDP and TCP, no forced FINGERPRINT, SOFTWARE
    /// "TurnGate", info-level text logs on standard output only, no PID file, not strict.
    public init() {
        self.listeningIPs = []
        self.listeningPort = Self.defaultListeningPort
        self.udpEnabled = true
        self.tcpEnabled = true
        self.fingerprint = false
        self.softwareName = Self.defaultSoftwareName
        self.logLevel = .info
        self.logFormat = .text
        self.logFile = nil
        self.stdoutLog = true
        self.pidFile = nil
        self.strict = false
    }
}
