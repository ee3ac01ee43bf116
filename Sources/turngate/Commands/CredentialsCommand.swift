import ArgumentParser
import Foundation
import TURNAuth
import TURNConfig

/// `turngate credentials`: mints a TURN REST credential offline, as coturn's `turnadmin` and
/// `eturnalctl credentials` do, from the shared secret in the configuration or a file.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Mint a time-limited TURN credential from the shared secret (static-auth-secret).",
        discussion: """
            The secret is the first static-auth-secret of the configuration file (-c), or the \
            first line of --secret-file. It is never read from the command line, where other \
            users of the machine could see it.
            """
    )

    @Option(name: [.customShort("c"), .customLong("config")], help: "A configuration file with static-auth-secret.")
    var configFile: String?

    @Option(help: "A file whose first line is the secret.")
    var secretFile: String?

    @Option(help: "The user the credential is for.")
    var user: String

    @Option(help: "Seconds the credential is valid (default: the configuration's credential-ttl, else 3600).")
    var ttl: Int?

    @Option(help: "The room to sign into the credential.")
    var room: String?

    @Option(help: "The bandwidth class to sign into the credential, in kbit/s.")
    var bandwidthKbps: Int?

    @Flag(help: "Print JSON with iceServers, as the gateway answers.")
    var json = false

    func run() async throws {
        let configuration = try ConfigurationFile.loadValid(path: self.configFile)
        let secret = try self.secret(configuration)
        let ttl = self.ttl ?? configuration?.credentialTTL ?? 3600
        guard ttl > 0 else { throw ValidationError("--ttl must be positive") }
        if let bandwidthKbps = self.bandwidthKbps, !(1...CredentialGrant.maximumBandwidthKbps).contains(bandwidthKbps) {
            throw ValidationError("--bandwidth-kbps must be 1...\(CredentialGrant.maximumBandwidthKbps)")
        }
        let expiry = Date().addingTimeInterval(TimeInterval(ttl))
        let credential = RESTCredential(
            grant: CredentialGrant(user: self.user, room: self.room, bandwidthKbps: self.bandwidthKbps),
            expiry: expiry,
            secret: secret,
            separator: configuration?.restAPISeparator ?? ":"
        )
        let uris = configuration?.advertisedTURNURIs ?? []
        if self.json {
            let object: [String: Any] = [
                "username": credential.username, "password": credential.password, "credential": credential.password,
                "ttl": ttl, "expiresAt": ISO8601DateFormatter().string(from: expiry), "uris": uris,
                "iceServers": [["urls": uris, "username": credential.username, "credential": credential.password]],
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("username: \(credential.username)")
            print("password: \(credential.password)")
            print("expires:  \(ISO8601DateFormatter().string(from: expiry))")
        }
    }

    private func secret(_ configuration: TURNServerConfiguration?) throws -> String {
        if let secretFile = self.secretFile {
            guard let line = ConfigurationFile.firstLine(of: secretFile) else {
                throw ValidationError("cannot read a secret from \(secretFile)")
            }
            return line
        }
        guard let secret = configuration?.staticAuthSecrets.first else {
            throw ValidationError("no secret: give -c with a static-auth-secret, or --secret-file")
        }
        return secret
    }
}
