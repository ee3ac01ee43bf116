extension ConfigValueParsers {
    /// A static user as coturn's `user` takes it: `name:password` or `name:0x<32 hex digits>`.
    ///
    /// The name ends at the first `:` and the password may hold more. A password that starts
    /// with `0x` is an MD5 long-term key as `turnadmin -k` prints it, and must be 32 hex digits:
    /// the rule TURNAuth's `UserEntry` applies when the server starts. No message repeats the
    /// value, which holds a password.
    ///
    /// - Parameter text: The value.
    /// - Returns: The user name, or a message naming the problem.
    static func userAccount(_ text: String) -> Result<String, ValueError> {
        guard let colon = text.firstIndex(of: ":") else {
            return .failure(ValueError("expected name:password or name:0x<32 hex digits>, and there is no ':'"))
        }
        let name = text[..<colon]
        let password = text[text.index(after: colon)...]
        guard !name.isEmpty else {
            return .failure(ValueError("the user name before ':' is empty"))
        }
        guard !password.isEmpty else {
            return .failure(ValueError("the password after ':' of user '\(name)' is empty"))
        }
        if password.hasPrefix("0x") {
            let digits = password.utf8.dropFirst(2)
            guard digits.count == 32, digits.allSatisfy(Self.isHexDigit) else {
                return .failure(
                    ValueError(
                        "the key of user '\(name)' starts with 0x, so it must be 32 hex digits after 0x (an MD5 key from turnadmin -k)"
                    ))
            }
        }
        return .success(String(name))
    }

    /// coturn's `rest-api-separator`: one character, and not a digit, since the expiry time
    /// before it is a number.
    ///
    /// - Parameter text: The value.
    /// - Returns: The character, or a message naming the problem.
    static func restAPISeparator(_ text: String) -> Result<Character, ValueError> {
        guard let character = text.first, text.count == 1 else {
            return .failure(ValueError("'\(text)' is not a single character"))
        }
        guard !("0"..."9").contains(character) else {
            return .failure(ValueError("'\(text)' cannot separate the expiry time, which is a number, from the user name"))
        }
        return .success(character)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}

extension ConfigValueParsers {
    /// `stateless-nonce-secret`: any text but the empty one; the message never repeats it.
    static func nonceSecret(_ text: String) -> Result<String?, ValueError> {
        text.isEmpty ? .failure(ValueError("the secret is empty")) : .success(text)
    }
}
