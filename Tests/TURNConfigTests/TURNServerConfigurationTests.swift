import Testing

@testable import TURNConfig

struct TURNServerConfigurationTests {
    @Test
    func emptyConfigurationGivesTheDefaults() throws {
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: "", arguments: [], strict: false)
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .warning, line: nil, key: nil)
        #expect(configuration == TURNServerConfiguration())
        #expect(diagnostic.concernsWholeConfiguration)
        #expect(configuration.listeningIPs.isEmpty)
        #expect(configuration.listeningPort == 3478)
        #expect(configuration.udpEnabled && configuration.tcpEnabled)
        #expect(!configuration.fingerprint)
        #expect(configuration.softwareName == "TurnGate")
        #expect(configuration.logLevel == .info)
        #expect(configuration.logFormat == .text)
        #expect(configuration.logFile == nil && configuration.stdoutLog && configuration.pidFile == nil)
        #expect(!configuration.strict)
    }

    @Test
    func appliesEverySupportedOption() {
        let text = """
            listening-ip=127.0.0.1
            listening-ip=::1
            listening-port=3479
            no-tcp
            fingerprint
            software-name=Relay 1
            log-level=notice
            log-format=json
            log-file=/var/log/turngate.log
            no-stdout-log
            pidfile="/run/turngate.pid"
            strict-config
            """
        let (configuration, diagnostics) = loadOptions(text)
        var expected = TURNServerConfiguration()
        expected.listeningIPs = ["127.0.0.1", "::1"]
        expected.listeningPort = 3479
        expected.tcpEnabled = false
        expected.fingerprint = true
        expected.softwareName = "Relay 1"
        expected.logLevel = .notice
        expected.logFormat = .json
        expected.logFile = "/var/log/turngate.log"
        expected.stdoutLog = false
        expected.pidFile = "/run/turngate.pid"
        expected.strict = true
        #expect(configuration == expected)
        #expect(diagnostics.isEmpty)
    }

    @Test
    func loadsDirectivesDirectly() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            directives: [
                ConfDirective(key: "listening-port", value: "5000", line: 3), ConfDirective(key: "no-udp"), ConfDirective(key: "no-auth"),
            ],
            strict: false
        )
        #expect(configuration.listeningPort == 5000)
        #expect(!configuration.udpEnabled)
        #expect(diagnostics.isEmpty)
    }

    @Test
    func warnsAboutUnknownOptions() throws {
        let (configuration, diagnostics) = loadOptions("fingerprint\nturngate-no-such-option=1")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(
            diagnostic
                == ConfigDiagnostic(
                    severity: .warning, line: 2, key: "turngate-no-such-option", message: "unknown option 'turngate-no-such-option'"))
        #expect(diagnostic.description == "line 2: warning: unknown option 'turngate-no-such-option'")
        #expect(configuration.fingerprint)
    }

    @Test(arguments: [
        ("Fingerprint", "fingerprint"), ("FINGERPRINT", "fingerprint"), ("listening-port:", "listening-port"),
        ("no_tcp", "no-tcp"), ("VERBOSE", "verbose"), ("ca-file", "CA-file"),
    ])
    func suggestsTheOptionMeant(written: String, meant: String) throws {
        let (_, diagnostics) = loadOptions("\(written)=1")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.message == "unknown option '\(written)' (did you mean '\(meant)'?)")
    }

    @Test
    func warnsAboutRecognisedButUnsupportedOptions() throws {
        let (configuration, diagnostics) = loadOptions("listening-port=3478\nserver-name=example.org\noauth")
        #expect(configuration == TURNServerConfiguration())
        #expect(diagnostics.map(\.line) == [2, 3])
        #expect(diagnostics.map(\.key) == ["server-name", "oauth"])
        #expect(diagnostics.allSatisfy { $0.severity == .warning && $0.message.contains("recognised, not supported") })
        let first = try #require(diagnostics.first)
        #expect(first.description == "line 2: warning: option 'server-name' is recognised, not supported by TurnGate yet: ignored")
    }

    @Test
    func doesNotCheckTheValuesOfUnsupportedOptions() {
        let (_, diagnostics) = loadOptions("relay-device=not-a-device\nno-dtls=maybe\nserver-name")
        #expect(diagnostics.count == 3)
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
    }

    static let badValues: [BadValueVector] = [
        BadValueVector("listening-port=0", key: "listening-port", "0 is not a port number"),
        BadValueVector("listening-port=65536", key: "listening-port", "65536 is not a port number"),
        BadValueVector("listening-port=99999", key: "listening-port", "99999 is not a port number"),
        BadValueVector("listening-port=-5", key: "listening-port", "'-5' is not a port number"),
        BadValueVector("listening-port=+3478", key: "listening-port", "'+3478' is not a port number"),
        BadValueVector("listening-port=34 78", key: "listening-port", "'34 78' is not a port number"),
        BadValueVector("listening-port=3478.0", key: "listening-port", "is not a port number"),
        BadValueVector("listening-port=0x0D96", key: "listening-port", "is not a port number"),
        BadValueVector("listening-port=٣٤٧٨", key: "listening-port", "is not a port number"),
        BadValueVector("listening-port=99999999999999999999999999", key: "listening-port", "is not a port number"),
        BadValueVector("listening-port", key: "listening-port", "requires a value"),
        BadValueVector("listening-port=", key: "listening-port", "requires a value"),
        BadValueVector("listening-ip=1.2.3", key: "listening-ip", "'1.2.3' is not an IPv4 or IPv6 address"),
        BadValueVector("listening-ip=256.1.1.1", key: "listening-ip", "is not an IPv4 or IPv6 address"),
        BadValueVector("listening-ip=01.2.3.4", key: "listening-ip", "is not an IPv4 or IPv6 address"),
        BadValueVector("listening-ip=1.2.3.4.5", key: "listening-ip", "is not an IPv4 or IPv6 address"),
        BadValueVector("listening-ip=::g", key: "listening-ip", "is not an IPv4 or IPv6 address"),
        BadValueVector("listening-ip=1::2::3", key: "listening-ip", "is not an IPv4 or IPv6 address"),
        BadValueVector("listening-ip=[::1]", key: "listening-ip", "without brackets"),
        BadValueVector("listening-ip=fe80::1%eth0", key: "listening-ip", "zone identifiers"),
        BadValueVector("listening-ip=10.0.0.0/8", key: "listening-ip", "prefix length"),
        BadValueVector("listening-ip=turn.example.org", key: "listening-ip", "is not an IPv4 or IPv6 address"),
        BadValueVector("listening-ip", key: "listening-ip", "requires a value"),
        BadValueVector(
            "log-level=loud", key: "log-level",
            "unknown log level 'loud': expected one of trace, debug, info, notice, warning, error, critical"),
        BadValueVector("log-format=xml", key: "log-format", "unknown log format 'xml': expected one of text, json"),
        BadValueVector("fingerprint=maybe", key: "fingerprint", "is a flag"),
        BadValueVector("no-udp=2", key: "no-udp", "is a flag"),
        BadValueVector("verbose=nonsense", key: "verbose", "is a flag"),
        BadValueVector("strict-config=x", key: "strict-config", "is a flag"),
        BadValueVector("pidfile", key: "pidfile", "requires a value"),
        BadValueVector("log-file=", key: "log-file", "requires a value"),
        BadValueVector("software-name", key: "software-name", "requires a value"),
        BadValueVector("software-name=\(String(repeating: "x", count: 128))", key: "software-name", "fewer than 128 characters"),
    ]

    @Test(arguments: Self.badValues)
    func reportsBadValuesOnTheirLine(vector: BadValueVector) throws {
        let (configuration, error) = try loadBadValue(vector)
        #expect(error.description.hasPrefix("line 2: error: "))
        #expect(configuration.listeningPort == 3478)
    }

    @Test(arguments: [
        "127.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1", "2607:f0d0:1002:51::4", "::ffff:192.0.2.1",
        "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "FE80::A",
    ])
    func acceptsIPLiterals(address: String) {
        let (configuration, diagnostics) = loadOptions("listening-ip=\(address)", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.listeningIPs == [address])
    }

    @Test
    func warnsAboutTheSameListeningAddressTwice() {
        let (configuration, diagnostics) = loadOptions("listening-ip=::1\nlistening-ip=0:0::1")
        #expect(configuration.listeningIPs == ["::1"])
        #expect(diagnostics.map(\.line) == [2])
        #expect(diagnostics.map(\.severity) == [.warning])
    }

    @Test
    func lastOccurrenceOfASingleValuedOptionWinsWithAWarning() throws {
        let (configuration, diagnostics) = loadOptions("listening-port=4000\nfingerprint\nlistening-port=5000")
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 3, key: "listening-port")
        #expect(configuration.listeningPort == 5000)
        #expect(diagnostic.message == "option 'listening-port' is also given on line 1: only the last one applies")
    }

    @Test
    func rejectsNoUDPTogetherWithNoTCP() throws {
        let (configuration, diagnostics) = loadOptions("no-tcp\nfingerprint\nno-udp")
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .error, line: 3, key: nil)
        #expect(diagnostic.message == "no-udp and no-tcp together leave no listener (a TLS-only node needs cert and pkey)")
        #expect(!configuration.udpEnabled && !configuration.tcpEnabled)
    }

    /// Jitsi's and NixOS's layout: TLS is the only listener.
    @Test
    func acceptsATLSOnlyNode() {
        let (configuration, diagnostics) = loadOptions("no-udp\nno-tcp\ntls-listening-port=5349\ncert=/etc/turn/cert.pem\npkey=/etc/turn/key.pem")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(!configuration.udpEnabled && !configuration.tcpEnabled && configuration.tlsEnabled)
    }

    @Test
    func acceptsOneListenerTurnedOffAndBooleanFlagValues() {
        let (configuration, diagnostics) = loadOptions("no-udp=yes\nno-tcp=false\nfingerprint=0\nfingerprint=On", strict: false)
        #expect(!configuration.udpEnabled)
        #expect(configuration.tcpEnabled)
        #expect(configuration.fingerprint)
        #expect(diagnostics.map(\.line) == [4])
    }

    @Test(arguments: [
        ("", TURNServerConfiguration.LogLevel.info),
        ("verbose", .debug),
        ("Verbose", .trace),
        ("verbose\nverbose=0", .info),
        ("Verbose\nverbose", .trace),
        ("Verbose\nverbose=off", .trace),
        ("verbose\nVerbose=no", .debug),
        ("log-level=error", .error),
        ("log-level=WARNING", .warning),
    ])
    func mapsCoturnVerbosityToALogLevel(text: String, level: TURNServerConfiguration.LogLevel) {
        let (configuration, _) = loadOptions(text)
        #expect(configuration.logLevel == level)
    }

    @Test
    func warnsThatVerboseIsOverriddenByLogLevel() {
        let (configuration, diagnostics) = loadOptions("Verbose\nlog-level=warning")
        #expect(configuration.logLevel == .warning)
        #expect(diagnostics.map(\.line) == [1])
        #expect(diagnostics.allSatisfy { $0.severity == .warning && $0.key == "Verbose" })
    }

    @Test(arguments: [
        ("", "TurnGate" as String?),
        ("software-name=Edge", "Edge"),
        ("no-software-attribute", nil),
        ("no-software-attribute=no", "TurnGate"),
        ("software-attribute=false", nil),
        ("no-software-attribute\nsoftware-attribute", "TurnGate"),
    ])
    func decidesTheSoftwareAttribute(text: String, software: String?) {
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(configuration.softwareName == software)
        #expect(diagnostics.isEmpty)
    }

    @Test
    func warnsThatSoftwareNameIsUnusedWithoutTheAttribute() {
        let (configuration, diagnostics) = loadOptions("software-name=Edge\nno-software-attribute")
        #expect(configuration.softwareName == nil)
        #expect(diagnostics.map(\.key) == ["software-name"])
        #expect(diagnostics.map(\.line) == [1])
    }

    @Test(arguments: [
        ("log-file=/tmp/turn.log", "/tmp/turn.log" as String?, true),
        ("log-file=/tmp/turn.log\nno-stdout-log", "/tmp/turn.log", false),
        ("log-file=stdout", nil, true),
        ("log-file=-\nno-stdout-log", nil, true),
        ("no-stdout-log=false", nil, true),
    ])
    func decidesWhereLogsGo(text: String, file: String?, stdout: Bool) {
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(configuration.logFile == file)
        #expect(configuration.stdoutLog == stdout)
        #expect(diagnostics.isEmpty)
    }

    @Test
    func warnsWhenNothingWouldBeLogged() {
        let (configuration, diagnostics) = loadOptions("no-stdout-log")
        #expect(!configuration.stdoutLog)
        #expect(diagnostics.map(\.line) == [1])
        #expect(diagnostics.map(\.severity) == [.warning])
    }

    @Test
    func treatsSyslogAsALogFileAsTheSyslogFlag() {
        let (configuration, _) = loadOptions("log-file=syslog")
        #expect(configuration.logFile == nil)
        #expect(configuration.stdoutLog)
        #expect(configuration.syslog)
    }

    @Test
    func strictModeTurnsEveryWarningIntoAnError() {
        let text = "server-name=example.org\nturngate-no-such-option\npidfile=/run/turngate.pid;\nno-stdout-log"
        let (relaxed, warnings) = loadOptions(text, strict: false)
        let (strict, errors) = loadOptions(text, strict: true)
        #expect(!relaxed.strict)
        #expect(strict.strict)
        #expect(warnings.count == 4)
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(errors.map(\.line) == warnings.map(\.line))
        #expect(errors.map(\.message) == warnings.map(\.message))
        #expect(errors.allSatisfy { $0.severity == .error })
        #expect(errors.first?.description == "line 1: error: option 'server-name' is recognised, not supported by TurnGate yet: ignored")
    }

    @Test(arguments: ["strict-config", "strict-config=yes", "strict-config=1"])
    func strictConfigOptionActsLikeStrictMode(option: String) {
        let (configuration, diagnostics) = loadOptions("turngate-no-such-option\n\(option)")
        #expect(configuration.strict)
        #expect(diagnostics.map(\.severity) == [.error])
    }

    @Test
    func strictConfigCanBeTurnedOff() {
        let (configuration, diagnostics) = loadOptions("strict-config=no\nturngate-no-such-option")
        #expect(!configuration.strict)
        #expect(diagnostics.map(\.severity) == [.warning])
    }

    @Test
    func sortsDiagnosticsByLineWithTheCommandLineAndTheWholeConfigurationLast() {
        let (_, diagnostics) = TURNServerConfiguration.load(
            fileText: "server-name=x\n=bad\nlistening-port=0\nuser-quota=1 # one\nrealm=a # b",
            arguments: ["--listening-ip", "nowhere"],
            strict: false
        )
        #expect(diagnostics.map(\.line) == [1, 2, 3, 4, 5, nil, nil])
        #expect(diagnostics.map(\.concernsWholeConfiguration) == [false, false, false, false, false, false, true])
    }

    @Test
    func describesDiagnosticsForTheCaller() {
        #expect(
            ConfigDiagnostic(severity: .warning, line: 12, key: "foo", message: "unknown option 'foo'").description
                == "line 12: warning: unknown option 'foo'")
        #expect(
            ConfigDiagnostic(severity: .error, line: nil, key: nil, message: "unexpected argument 'x'").description
                == "command line: error: unexpected argument 'x'")
        #expect(
            ConfigDiagnostic(severity: .warning, line: nil, key: nil, message: "no authentication", concernsWholeConfiguration: true)
                .description == "configuration: warning: no authentication")
    }
}
