import STUNWire

/// When the relay checks a REST credential's expiry (`credential-expiry-policy`).
///
/// The TURN REST API draft leaves this to the server; coturn checks it on Allocate only, so a
/// call outlives its credential for as long as the client refreshes.
public enum CredentialExpiryPolicy: String, Hashable, Sendable, CaseIterable {
    /// On Allocate only (coturn's behaviour).
    case allocate
    /// On Allocate and Refresh: an allocation ends at most one lifetime after its credential.
    case refresh
    /// On every request, and allocations end when their credential expires.
    case strict

    /// Whether a request of `method` is refused with an expired credential.
    func checksExpiry(on method: STUNMethod) -> Bool {
        switch self {
        case .allocate: method == .allocate
        case .refresh: method == .allocate || method == .refresh
        case .strict: true
        }
    }
}
