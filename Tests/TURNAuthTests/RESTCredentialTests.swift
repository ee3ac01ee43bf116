import Foundation
import Testing
import TURNAuth

struct RESTCredentialTests {
    /// Reference value from `printf '%s' "1700000000:alice" | openssl dgst -sha1 -hmac "s3cret" -binary | base64`.
    @Test func passwordMatchesCoturnsDerivation() {
        #expect(RESTCredential.password(for: "1700000000:alice", secret: "s3cret") == "TtElzSjT0GdnTQ9xdcRNxx96yQs=")
    }

    @Test func mintsUsernameWithExpiryAndUser() {
        let credential = RESTCredential(user: "alice", expiry: Date(timeIntervalSince1970: 1_700_000_000), secret: "s3cret")
        #expect(credential.username == "1700000000:alice")
        #expect(credential.password == RESTCredential.password(for: "1700000000:alice", secret: "s3cret"))
    }

    @Test func honoursTheSeparator() throws {
        let credential = RESTCredential(user: "bob", expiry: Date(timeIntervalSince1970: 42), secret: "k", separator: "-")
        #expect(credential.username == "42-bob")
        let parsed = try #require(RESTCredential.parse(username: credential.username, separator: "-"))
        #expect(parsed.user == "bob")
        #expect(parsed.expiry == Date(timeIntervalSince1970: 42))
    }

    @Test func userPartMayContainTheSeparator() throws {
        let parsed = try #require(RESTCredential.parse(username: "100:room:alice"))
        #expect(parsed.user == "room:alice")
    }

    @Test(arguments: ["", "alice", "x100:alice", ":alice", "-5:alice", "99999999999999999999999:a", "１２:alice"])
    func rejectsNamesWithoutATimestamp(username: String) {
        #expect(RESTCredential.parse(username: username) == nil)
    }

    @Test func timestampOnlyNameHasEmptyUser() throws {
        let parsed = try #require(RESTCredential.parse(username: "1700000000"))
        #expect(parsed.user.isEmpty)
    }
}
