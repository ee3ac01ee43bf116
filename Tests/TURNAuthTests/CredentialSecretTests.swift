import Testing
import TURNAuth

struct CredentialSecretTests {
    @Test func neverShowsItsValue() {
        let secret = CredentialSecret("hunter2")
        var dumped = ""
        dump(secret, to: &dumped)
        for text in [String(describing: secret), String(reflecting: secret), "\(secret)", dumped] {
            #expect(!text.contains("hunter2"))
            #expect(!text.contains("104"))
        }
    }

    @Test func keepsTheTextAsUTF8() {
        let secret = CredentialSecret("TheMatrIX\u{2168}")
        #expect(secret.bytes == Array("TheMatrIX\u{2168}".utf8))
        #expect(secret.text == "TheMatrIX\u{2168}")
    }
}
