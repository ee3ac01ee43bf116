import Testing

@testable import TURNConfig

struct QuotaConfigurationTests {
    @Test
    func quotaDefaultsAreLimitsAndBandwidthDefaultsAreNot() {
        let configuration = TURNServerConfiguration()
        #expect(configuration.userQuota == 10)
        #expect(configuration.totalQuota == nil)
        #expect(configuration.effectiveTotalQuota == 16384)
        #expect(configuration.challengeRate == 20)
        #expect(configuration.maxBytesPerSecond == 0)
        #expect(configuration.bytesPerSecondCapacity == 0)
    }

    @Test
    func theDefaultTotalQuotaFollowsTheRelayPortRange() {
        let (configuration, diagnostics) = loadOptions("min-port=50000\nmax-port=50099", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.effectiveTotalQuota == 100)
        let (explicit, _) = loadOptions("min-port=50000\nmax-port=50099\ntotal-quota=7", strict: true)
        #expect(explicit.effectiveTotalQuota == 7)
        let (unlimited, _) = loadOptions("total-quota=0", strict: true)
        #expect(unlimited.effectiveTotalQuota == 0)
    }

    @Test
    func challengeRateIsAWholeNumber() {
        let (configuration, diagnostics) = loadOptions("challenge-rate=5", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.challengeRate == 5)
        let (bad, errors) = loadOptions("challenge-rate=fast")
        #expect(errors.map(\.line) == [1])
        #expect(errors.first?.message.contains("challenge-rate") == true)
        #expect(bad.challengeRate == 20)
    }

    @Test
    func appliesQuotasAndBandwidth() {
        let (configuration, diagnostics) = loadOptions("user-quota=12\ntotal-quota=1200\nmax-bps=64000\nbps-capacity=6400000", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.userQuota == 12)
        #expect(configuration.totalQuota == 1200)
        #expect(configuration.maxBytesPerSecond == 64000)
        #expect(configuration.bytesPerSecondCapacity == 6_400_000)
    }

    @Test
    func acceptsZeroAsNoLimit() {
        let (configuration, diagnostics) = loadOptions("user-quota=0\ntotal-quota=0\nmax-bps=0\nbps-capacity=0")
        #expect(diagnostics.isEmpty)
        var unlimited = TURNServerConfiguration()
        unlimited.userQuota = 0
        unlimited.totalQuota = 0
        #expect(configuration == unlimited)
        #expect(configuration.effectiveTotalQuota == 0)
    }

    @Test
    func refusesACapacityWithoutAPerAllocationLimitAsCoturnDoes() throws {
        let (_, diagnostics) = loadOptions("fingerprint\nbps-capacity=1000000")
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: "bps-capacity")
        #expect(diagnostic.message.hasPrefix("bps-capacity needs max-bps as well"))
    }

    /// coturn reads numbers with `atoi`: a remark after the number is ignored there, and here
    /// with a warning that names it (Nextcloud's and Matrix's example files have such lines).
    @Test(arguments: ["user-quota=12 # at most 3 calls", "user-quota 12\t# at most 3 calls", "--user-quota=12 # at most 3 calls"])
    func readsTheNumberBeforeARemarkAsCoturnDoes(line: String) throws {
        let fromCommandLine = line.hasPrefix("--")
        let (configuration, diagnostics) =
            fromCommandLine
            ? TURNServerConfiguration.load(fileText: "", arguments: [line], strict: false)
            : loadOptions(line)
        let warning = try onlyDiagnostic(
            in: diagnostics.filter { !$0.concernsWholeConfiguration }, severity: .warning, line: fromCommandLine ? nil : 1, key: "user-quota")
        #expect(warning.message == "user-quota: the remark '# at most 3 calls' after 12 is ignored, as coturn ignores it (put remarks on a line of their own)")
        #expect(configuration.userQuota == 12)
    }

    @Test
    func keepsAValueThatIsValidAsAWholeWithItsHash() throws {
        let (configuration, diagnostics) = loadOptions("realm=42 # the answer")
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 1, key: "realm")
        #expect(warning.message.contains("does not start a comment"))
        #expect(configuration.realm == "42 # the answer")
    }

    @Test
    func refusesARemarkAfterANumberThatIsStillBad() throws {
        let (configuration, diagnostics) = loadOptions("listening-port=70000 # too high")
        #expect(diagnostics.map(\.severity) == [.warning, .error])
        #expect(configuration.listeningPort == 3478)
    }

    @Test(arguments: ["user-quota=twelve", "user-quota=12#", "total-quota=\"x # quoted\"", "max-bps #0", "no-auth=#yes"])
    func mentionsCommentsOnlyWhenTheValueHoldsAHash(text: String) throws {
        let (_, diagnostics) = loadOptions(text)
        let error = try #require(diagnostics.first { $0.severity == .error })
        #expect(error.message.contains("coturn's syntax has no end-of-line comments") == text.contains("#"))
    }

    static let badValues: [BadValueVector] = [
        BadValueVector("user-quota=-1", key: "user-quota", "'-1' is not a number of allocations: expected a whole number, 0 for no limit"),
        BadValueVector("user-quota", key: "user-quota", "requires a value"),
        BadValueVector("total-quota=many", key: "total-quota", "'many' is not a number of allocations"),
        BadValueVector("max-bps=1e6", key: "max-bps", "'1e6' is not a number of bytes per second"),
        BadValueVector("bps-capacity=12.5", key: "bps-capacity", "'12.5' is not a number of bytes per second"),
        BadValueVector("max-bps=99999999999999999999999", key: "max-bps", "is not a number of bytes per second"),
    ]

    @Test(arguments: Self.badValues)
    func reportsBadValuesOnTheirLine(vector: BadValueVector) throws {
        let (configuration, _) = try loadBadValue(vector)
        #expect(configuration == TURNServerConfiguration())
    }
}
