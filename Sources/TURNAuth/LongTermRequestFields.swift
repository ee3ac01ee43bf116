import STUNWire

/// The attributes of a request that the long-term credential mechanism reads.
struct LongTermRequestFields {
    /// Who the request claims to be from.
    enum Identity {
        case username(String)
        case userHash(UserHash)
    }

    var identity: Identity
    var nonce: String
    var passwordAlgorithm: PasswordAlgorithm?
    var passwordAlgorithms: [PasswordAlgorithm]?

    /// Reads the fields; the REALM must be present, but the server's own realm derives the key.
    ///
    /// Nil when USERNAME and USERHASH, REALM or NONCE is missing, or when any
    /// of these attributes is malformed (both mean 400, RFC 8489 Section 9.2.4).
    ///
    /// USERNAME wins when a request carries both it and USERHASH.
    static func read(_ request: STUNMessage) -> LongTermRequestFields? {
        do throws(STUNParseError) {
            return try Self.decode(request)
        } catch {
            return nil
        }
    }

    private static func decode(_ request: STUNMessage) throws(STUNParseError) -> LongTermRequestFields? {
        let identity: Identity
        if let username = try request.attribute(Username.self) {
            identity = .username(username.text)
        } else if let userHash = try request.attribute(UserHash.self) {
            identity = .userHash(userHash)
        } else {
            return nil
        }
        guard try request.attribute(Realm.self) != nil, let nonce = try request.attribute(Nonce.self) else {
            return nil
        }
        return LongTermRequestFields(
            identity: identity,
            nonce: nonce.text,
            passwordAlgorithm: try request.attribute(PasswordAlgorithm.self),
            passwordAlgorithms: try request.attribute(PasswordAlgorithms.self)?.algorithms
        )
    }
}
