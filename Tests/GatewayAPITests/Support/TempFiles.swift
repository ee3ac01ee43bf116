import Foundation

/// Files written to a fresh temporary directory.
enum TempFiles {
    /// Writes `text` to a new file and returns its path.
    static func write(_ text: String, name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// PEM files of the RSA, P-256, P-384 and Ed25519 test public keys.
    static func publicKeyFiles() throws -> [String] {
        [
            try Self.write(TestKeys.rsaPEM, name: "rsa.pem"), try Self.write(TestKeys.p256PEM, name: "p256.pem"),
            try Self.write(TestKeys.p384PEM, name: "p384.pem"), try Self.write(TestKeys.ed25519PEM, name: "ed25519.pem"),
        ]
    }
}
