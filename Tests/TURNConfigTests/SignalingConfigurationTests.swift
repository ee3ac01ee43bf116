import Testing

@testable import TURNConfig

/// The signaling options (docs/signaling.md, "Limits and keep-alive").
struct SignalingConfigurationTests {
    @Test
    func defaultsAreTheDocumentedOnes() {
        let signaling = TURNServerConfiguration().signaling
        #expect(signaling.enabled && !signaling.openRooms)
        #expect(signaling.roomMaxPeers == 16)
        #expect(signaling.maxMessageSize == 65_536)
        #expect(signaling.messageRate == 50)
        #expect(signaling.userConnections == 10)
        #expect(signaling.authTimeout == 10)
        #expect(signaling.pingInterval == 25)
        #expect(TURNServerConfiguration().securityLogFile == nil)
    }

    @Test
    func everyOptionIsApplied() {
        let (configuration, diagnostics) = loadOptions(
            """
            api-listening-port=8080
            jwt-secret=0123456789abcdef0123456789abcdef
            static-auth-secret=another-secret
            no-signaling
            signal-open-rooms
            signal-room-max-peers=4
            signal-max-message-size=2048
            signal-message-rate=7
            signal-user-connections=3
            signal-auth-timeout=2
            signal-ping-interval=5
            security-log-file=/var/log/turngate/security.log
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let signaling = configuration.signaling
        #expect(!signaling.enabled && signaling.openRooms)
        #expect(signaling.roomMaxPeers == 4 && signaling.maxMessageSize == 2048 && signaling.messageRate == 7)
        #expect(signaling.userConnections == 3 && signaling.authTimeout == 2 && signaling.pingInterval == 5)
        #expect(configuration.securityLogFile == "/var/log/turngate/security.log")
    }

    @Test(arguments: [
        BadValueVector("signal-room-max-peers=1", key: "signal-room-max-peers", "from 2 to 1000"),
        BadValueVector("signal-room-max-peers=lots", key: "signal-room-max-peers", "'lots' is not a number of peers"),
        BadValueVector("signal-max-message-size=100", key: "signal-max-message-size", "from 1024 to 1048576"),
        BadValueVector("signal-message-rate=0", key: "signal-message-rate", "from 1 to 10000"),
        BadValueVector("signal-user-connections=-1", key: "signal-user-connections", "from 1 to 10000"),
        BadValueVector("signal-auth-timeout=301", key: "signal-auth-timeout", "from 1 to 300"),
        BadValueVector("signal-ping-interval=0", key: "signal-ping-interval", "from 1 to 3600"),
        BadValueVector("security-log-file", key: "security-log-file", "value"),
    ])
    func badValuesAreLineNumberedErrors(vector: BadValueVector) throws {
        let (configuration, diagnostics) = loadOptions(
            "# start\n\(vector.line)\napi-listening-port=8080\njwt-secret=0123456789abcdef0123456789abcdef\nstatic-auth-secret=s")
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: vector.key)
        #expect(error.message.contains(vector.messagePart))
        #expect(configuration.signaling == TURNServerConfiguration.Signaling())
    }
}
