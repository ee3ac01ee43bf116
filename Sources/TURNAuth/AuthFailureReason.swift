/// Why a request failed the long-term credential mechanism: a bounded label for metrics.
///
/// The raw value is a bounded label for metrics and logs; it never names the user.
public enum AuthFailureReason: String, Hashable, Sendable, CaseIterable {
    /// No MESSAGE-INTEGRITY(-SHA256): the ordinary first request, answered with a 401 challenge.
    case missingIntegrity = "missing_integrity"
    /// A missing or malformed USERNAME/USERHASH, REALM or NONCE, or PASSWORD-ALGORITHM(S) that do
    /// not match the offer: 400.
    case badRequest = "bad_request"
    /// A nonce that is stale, forged or from another address: 438.
    case staleNonce = "stale_nonce"
    /// No such user (or a USERHASH that names none): 401.
    case unknownUser = "unknown_user"
    /// No key verifies the MAC: 401.
    case badMAC = "bad_mac"
    /// A REST credential past its expiry: 401.
    case expired
}
