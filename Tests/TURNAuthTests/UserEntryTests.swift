import Testing
import TURNAuth

struct UserEntryTests {
    @Test(arguments: [
        ("alice:wonderland", "alice", "wonderland"),
        ("bob:pa:ss:word", "bob", "pa:ss:word"),
        ("carol:0xshort", "carol", nil),
        ("\u{30DE}\u{30C8}\u{30EA}:TheMatrIX", "\u{30DE}\u{30C8}\u{30EA}", "TheMatrIX"),
    ] as [(String, String, String?)])
    func parsesNameAndPassword(value: String, name: String, password: String?) throws {
        guard let password else {
            #expect(throws: TURNAuthError.invalidKey) { try UserEntry(parsing: value) }
            return
        }
        let entry = try UserEntry(parsing: value)
        #expect(entry.name == name)
        #expect(entry.credential == .password(CredentialSecret(password)))
    }

    @Test(arguments: ["0x72f86f2053703faa0f521ce71cfe6f59", "0x72F86F2053703FAA0F521CE71CFE6F59"])
    func parsesAnMD5KeyInEitherCase(secret: String) throws {
        let entry = try UserEntry(parsing: "alice:" + secret)
        let expected: [UInt8] = [
            0x72, 0xf8, 0x6f, 0x20, 0x53, 0x70, 0x3f, 0xaa, 0x0f, 0x52, 0x1c, 0xe7, 0x1c, 0xfe, 0x6f, 0x59,
        ]
        #expect(entry.name == "alice")
        #expect(entry.credential == .md5Key(CredentialSecret(bytes: expected)))
    }

    @Test(arguments: [
        ("alice", TURNAuthError.missingSeparator),
        ("", .missingSeparator),
        (":wonderland", .emptyUsername),
        ("alice:", .emptyPassword),
        ("alice:0x", .invalidKey),
        ("alice:0x72f86f2053703faa0f521ce71cfe6f5", .invalidKey),
        ("alice:0x72f86f2053703faa0f521ce71cfe6f5900", .invalidKey),
        ("alice:0x72f86f2053703faa0f521ce71cfe6fzz", .invalidKey),
    ])
    func rejectsMalformedEntries(value: String, error: TURNAuthError) {
        #expect(throws: error) { try UserEntry(parsing: value) }
    }

    @Test(arguments: [TURNAuthError.missingSeparator, .emptyUsername, .emptyPassword, .invalidKey])
    func explainsEveryError(error: TURNAuthError) {
        #expect(error.description.contains("user"))
    }

    @Test(arguments: ["alice:wonderland", "alice:0x72f86f2053703faa0f521ce71cfe6f59"])
    func describesItselfWithoutTheSecret(value: String) throws {
        let entry = try UserEntry(parsing: value)
        for text in [String(describing: entry), String(reflecting: entry), String(describing: entry.credential)] {
            #expect(!text.contains("wonderland"))
            #expect(!text.contains("114"))
            #expect(text.contains("redacted"))
        }
    }
}
