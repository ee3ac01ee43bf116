import Testing

@testable import TURNConfig

/// One argument list and what it must give.
struct ArgumentVector: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let directives: [ConfDirective]
    let errorCount: Int

    init(_ arguments: [String], _ directives: [ConfDirective], errors: Int = 0) {
        self.arguments = arguments
        self.directives = directives
        self.errorCount = errors
    }

    var testDescription: String { self.arguments.joined(separator: " ") }
}

private func d(_ key: String, _ value: String? = nil) -> ConfDirective {
    ConfDirective(key: key, value: value, line: nil)
}

struct CommandLineOptionsTests {
    static let vectors: [ArgumentVector] = [
        ArgumentVector([], []),
        ArgumentVector(["--listening-port", "3478"], [d("listening-port", "3478")]),
        ArgumentVector(["--listening-port=3478"], [d("listening-port", "3478")]),
        ArgumentVector(["--listening-port="], [d("listening-port", "")]),
        ArgumentVector(["--realm=a=b"], [d("realm", "a=b")]),
        ArgumentVector(["--log-file", "-"], [d("log-file", "-")]),
        ArgumentVector(["--fingerprint"], [d("fingerprint")]),
        ArgumentVector(["--fingerprint=no"], [d("fingerprint", "no")]),
        ArgumentVector(["--fingerprint", "yes"], [d("fingerprint")], errors: 1),
        ArgumentVector(["--fingerprint", "--no-udp"], [d("fingerprint"), d("no-udp")]),
        ArgumentVector(["--stale-nonce"], [d("stale-nonce")]),
        ArgumentVector(["--stale-nonce=600"], [d("stale-nonce", "600")]),
        ArgumentVector(["--stale-nonce", "600"], [d("stale-nonce")], errors: 1),
        ArgumentVector(
            ["--listening-ip", "127.0.0.1", "--listening-ip=::1"],
            [d("listening-ip", "127.0.0.1"), d("listening-ip", "::1")]
        ),
        ArgumentVector(["--db=/var/lib/turn/turndb"], [d("db", "/var/lib/turn/turndb")]),
        ArgumentVector(["--strict-config"], [d("strict-config")]),
        ArgumentVector(["--software-name", "FromCLI", "--fingerprint"], [d("software-name", "FromCLI"), d("fingerprint")]),
        ArgumentVector(["-p", "3478"], [d("listening-port", "3478")]),
        ArgumentVector(["-p3478"], [d("listening-port", "3478")]),
        ArgumentVector(["-vf"], [d("verbose"), d("fingerprint")]),
        ArgumentVector(["-vfp", "3478"], [d("verbose"), d("fingerprint"), d("listening-port", "3478")]),
        ArgumentVector(["-L", "127.0.0.1", "-V"], [d("listening-ip", "127.0.0.1"), d("Verbose")]),
        ArgumentVector(["--listening-port"], [], errors: 1),
        ArgumentVector(["--listening-port", "--fingerprint"], [d("fingerprint")], errors: 1),
        ArgumentVector(["-p"], [], errors: 1),
        ArgumentVector(["--no-such-option", "1", "--fingerprint"], [d("fingerprint")], errors: 1),
        ArgumentVector(["--no-such-option=1"], [], errors: 1),
        ArgumentVector(["--Fingerprint"], [], errors: 1),
        ArgumentVector(["--version"], [], errors: 1),
        ArgumentVector(["-c", "/etc/turnserver.conf"], [], errors: 2),
        ArgumentVector(["-x"], [], errors: 1),
        ArgumentVector(["stray"], [], errors: 1),
        ArgumentVector(["-"], [], errors: 1),
        ArgumentVector(["--", "--fingerprint"], [], errors: 1),
    ]

    @Test(arguments: Self.vectors)
    func readsArguments(vector: ArgumentVector) {
        let (directives, diagnostics) = CommandLineOptions.directives(from: vector.arguments)
        #expect(directives == vector.directives)
        #expect(diagnostics.count == vector.errorCount)
        #expect(diagnostics.allSatisfy { $0.severity == .error && $0.line == nil })
    }

    @Test
    func suggestsTheRightSpelling() throws {
        let (_, diagnostics) = CommandLineOptions.directives(from: ["--Fingerprint"])
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.description == "command line: error: unknown option '--Fingerprint' (did you mean '--fingerprint'?)")
    }

    @Test
    func overridesSingleValuedOptionsOfTheFile() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "listening-port=1000\nfingerprint\nno-auth",
            arguments: ["--listening-port", "2000"],
            strict: true
        )
        #expect(configuration.listeningPort == 2000)
        #expect(configuration.fingerprint)
        #expect(diagnostics.isEmpty)
    }

    @Test
    func replacesTheFilesListForRepeatableOptions() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "listening-ip=10.0.0.1\nlistening-ip=10.0.0.2\nno-auth",
            arguments: ["--listening-ip", "::1", "-L", "127.0.0.1"],
            strict: true
        )
        #expect(configuration.listeningIPs == ["::1", "127.0.0.1"])
        #expect(diagnostics.isEmpty)
    }

    @Test
    func turnsAFileFlagOffWithABooleanValue() {
        let (configuration, _) = TURNServerConfiguration.load(fileText: "fingerprint", arguments: ["--fingerprint=no"], strict: false)
        #expect(!configuration.fingerprint)
    }

    @Test
    func overridesAnOptionUnderAnyAlias() {
        let file = [ConfDirective(key: "db", value: "/a", line: 1), ConfDirective(key: "realm", value: "r", line: 2)]
        let commandLine = [ConfDirective(key: "userdb", value: "/b")]
        #expect(CommandLineOptions.overriding(file, with: commandLine) == [file[1], commandLine[0]])
    }

    @Test
    func keepsTheFilesBadLinesOutOfOverriddenOptions() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "listening-port=99999\nno-auth",
            arguments: ["--listening-port=3479"],
            strict: false
        )
        #expect(configuration.listeningPort == 3479)
        #expect(diagnostics.isEmpty)
    }

    @Test
    func reportsCommandLineValueErrorsWithoutALine() throws {
        let (_, diagnostics) = TURNServerConfiguration.load(fileText: "no-auth", arguments: ["--listening-port", "0"], strict: false)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.line == nil)
        #expect(diagnostic.key == "listening-port")
        #expect(diagnostic.description.hasPrefix("command line: error: listening-port: 0 is not a port number"))
    }

    @Test(arguments: [["--user-quota", "3"], ["--user-quota=3"], ["-q", "3"], ["-q3"]])
    func overridesTheFilesUserQuota(arguments: [String]) {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "user-quota=10\nno-auth", arguments: arguments, strict: true)
        #expect(configuration.userQuota == 3)
        #expect(diagnostics.isEmpty)
    }

    @Test
    func overridesTheNewOptionsOfTheFile() {
        let file = """
            realm=file.example
            use-auth-secret
            static-auth-secret=old-one
            static-auth-secret=old-two
            user=alice:file-password
            min-port=50000
            denied-peer-ip=10.0.0.0/8
            channel-numbers=rfc5766
            """
        let arguments = [
            "-r", "cli.example", "--static-auth-secret", "new-one", "-u", "bob:cli-password", "--min-port=40000",
            "--denied-peer-ip", "192.168.0.0/16", "--channel-numbers", "rfc8656", "--stale-nonce=30", "--allow-loopback-peers",
            "--db", "/etc/turngate/users",
        ]
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: file, arguments: arguments, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.realm == "cli.example")
        #expect(configuration.staticAuthSecrets == ["new-one"])
        #expect(configuration.users == ["bob:cli-password"])
        #expect(configuration.minPort == 40000)
        #expect(configuration.deniedPeerIPs.map(\.description) == ["192.168.0.0/16"])
        #expect(configuration.channelNumbers == .rfc8656)
        #expect(configuration.staleNonce == 30)
        #expect(configuration.allowLoopbackPeers)
        #expect(configuration.userDB == "/etc/turngate/users")
    }

    @Test
    func reportsAPortOrderBrokenByTheCommandLineWithoutALine() throws {
        let (_, diagnostics) = TURNServerConfiguration.load(
            fileText: "max-port=50000\nno-auth", arguments: ["--min-port", "60000"], strict: false)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.line == nil)
        #expect(diagnostic.key == "min-port")
        #expect(diagnostic.description.hasPrefix("command line: error: min-port 60000 is above max-port 50000"))
    }

    @Test
    func reportsBadNewValuesOnTheCommandLineWithoutALine() {
        let (_, diagnostics) = TURNServerConfiguration.load(
            fileText: "no-auth", arguments: ["--user-quota", "lots", "--denied-peer-ip", "10.0.0.1/8", "-u", "nobody"], strict: false)
        #expect(diagnostics.map(\.key) == ["user-quota", "denied-peer-ip", "user"])
        #expect(diagnostics.allSatisfy { $0.line == nil && $0.severity == .error && $0.description.hasPrefix("command line: error: ") })
    }

    @Test
    func strictConfigOnTheCommandLineMakesFileWarningsErrors() throws {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "listening-ip=127.0.0.1\nturngate-no-such-option=1\nno-auth",
            arguments: ["--strict-config"],
            strict: false
        )
        let diagnostic = try #require(diagnostics.first)
        #expect(configuration.strict)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.line == 2)
        #expect(diagnostic.message.contains("turngate-no-such-option"))
    }
}
