import Foundation
import STUNWire
import Testing
import TURNAuth

struct CredentialMissTests {
    private let wrongKey = [UInt8](repeating: 7, count: 16)

    private func nonce(_ authenticator: LongTermAuthenticator) -> String {
        authenticator.issuer.nonce(for: AuthFixture.client, now: AuthFixture.start, features: [])
    }

    @Test func anUnknownNameIsAUserMiss() throws {
        let authenticator = AuthFixture.authenticator()
        let request = try AuthFixture.signedRequest(username: "carol", nonce: self.nonce(authenticator), key: self.wrongKey)
        #expect(authenticator.credentialMiss(in: request, reason: .unknownUser) == .user("carol"))
    }

    @Test func aKnownUsersBadMACIsAUserMiss() throws {
        let authenticator = AuthFixture.authenticator()
        let request = try AuthFixture.signedRequest(username: "alice", nonce: self.nonce(authenticator), key: self.wrongKey)
        #expect(authenticator.credentialMiss(in: request, reason: .badMAC) == .user("alice"))
    }

    @Test(arguments: [AuthFailureReason.unknownUser, .badMAC])
    func aRESTNameIsASharedSecretMiss(reason: AuthFailureReason) throws {
        let authenticator = AuthFixture.authenticator(store: CredentialStore(restSecrets: [CredentialSecret("s")]))
        let request = try AuthFixture.signedRequest(username: "1700003600:alice", nonce: self.nonce(authenticator), key: self.wrongKey)
        #expect(authenticator.credentialMiss(in: request, reason: reason) == .sharedSecrets)
    }

    @Test(arguments: [AuthFailureReason.missingIntegrity, .badRequest, .staleNonce, .expired])
    func otherRefusalsAreNoMiss(reason: AuthFailureReason) throws {
        let authenticator = AuthFixture.authenticator()
        let request = try AuthFixture.signedRequest(username: "carol", nonce: self.nonce(authenticator), key: self.wrongKey)
        #expect(authenticator.credentialMiss(in: request, reason: reason) == nil)
    }

    @Test func aUserHashIsNoMiss() throws {
        let authenticator = AuthFixture.authenticator()
        let hash = LongTermKey.userHash(username: "carol", realm: AuthFixture.realm)
        let request = try AuthFixture.signedRequest(userHash: hash, nonce: self.nonce(authenticator), key: self.wrongKey)
        #expect(authenticator.credentialMiss(in: request, reason: .unknownUser) == nil)
    }
}

struct CredentialMissLimiterTests {
    private let start = ContinuousClock.now

    /// Whether each miss, at its offset from ``start``, is admitted, in order.
    private func admitted(_ limiter: inout CredentialMissLimiter, _ misses: [(CredentialMiss, Duration)]) -> [Bool] {
        misses.map { miss, offset in limiter.admit(miss, now: self.start + offset) }
    }

    @Test func aMissIsLookedUpOnceUntilItsRetry() {
        var limiter = CredentialMissLimiter(retryAfter: .seconds(5))
        let results = self.admitted(&limiter, [
            (.user("carol"), .zero), (.user("carol"), .seconds(4)), (.user("dave"), .seconds(4)), (.user("carol"), .seconds(5)),
        ])
        #expect(results == [true, false, true, true])
    }

    @Test func lookupsPerSecondAreCapped() {
        var limiter = CredentialMissLimiter(maximumPerSecond: 3)
        let results = self.admitted(&limiter, (0..<10).map { (.user("u\($0)"), .milliseconds($0)) } + [(.user("late"), .seconds(1))])
        #expect(results == [true, true, true] + Array(repeating: false, count: 7) + [true])
    }

    @Test func aFullTableAdmitsNothingUntilEntriesExpire() {
        var limiter = CredentialMissLimiter(retryAfter: .seconds(5), maximumEntries: 2, maximumPerSecond: 100)
        let results = self.admitted(&limiter, [
            (.user("a"), .zero), (.sharedSecrets, .zero), (.user("b"), .seconds(1)), (.user("b"), .seconds(2)), (.user("b"), .seconds(6)),
        ])
        #expect(results == [true, true, false, false, true])
    }
}
