import Foundation
import STUNWire
import TURNAuth

extension TURNRequestProcessor {
    /// The long-term credential check of a request on `fiveTuple`, with REST credential expiry
    /// enforced as ``RelayConfiguration/credentialExpiryPolicy`` says for its method.
    ///
    /// Nonces are bound to the client's transport address. A ConnectionBind (RFC 6062 Section
    /// 5.3) comes on a new connection, while its client learnt the nonce on its control
    /// connection; so when the nonce does not fit the new connection's address, the request is
    /// authenticated a second time against the control connection of the CONNECTION-ID it
    /// names. Both attempts are made whether or not that connection exists (against the
    /// request's own address again when it does not), and a request that fails both gets the
    /// first attempt's answer: before authentication, a live and an unknown CONNECTION-ID get
    /// the same answer, at the same cost, so the answer reveals nothing about live connections.
    func authenticate(_ request: STUNMessage, on fiveTuple: FiveTuple, date: Date) -> LongTermAuthOutcome {
        let method = request.type.method
        let enforceExpiry = self.configuration.credentialExpiryPolicy.checksExpiry(on: method)
        let outcome = self.authenticator.authenticate(request, client: fiveTuple.client, now: date, enforceExpiry: enforceExpiry)
        guard method == .connectionBind, case .reject(let rejection) = outcome, rejection.code == .staleNonce else {
            return outcome
        }
        let owner = (try? request.attribute(ConnectionID.self)?.rawValue).flatMap { self.tcpConnections.entry($0)?.owner.client }
        let second = self.authenticator.authenticate(request, client: owner ?? fiveTuple.client, now: date, enforceExpiry: enforceExpiry)
        guard case .authenticated = second else { return outcome }
        return second
    }
}
