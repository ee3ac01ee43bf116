import Foundation
import NIOCore
import STUNWire
import TURNAuth
import TURNCore

/// Requests refused for a credential the relay does not know: held back while the store
/// behind the cache is asked, then decided again (RFC 8489 Section 9.2.4 answers them 401).
extension RelayLoop {
    /// The most requests one loop holds back at once; more are answered from the cache alone.
    static let maximumDeferredRequests = 256

    /// Holds the request back when `actions` refuse it for a credential the resolver may
    /// know; returns whether it did (and then nothing of `actions` is carried out).
    func deferForCredentialMiss(
        _ actions: [TURNAction],
        message: UnsafeRawBufferPointer,
        on fiveTuple: FiveTuple,
        link: ClientLink
    ) -> Bool {
        guard let resolver = self.credentialMisses, self.deferredRequests < Self.maximumDeferredRequests,
            let reason = Self.authenticationRefusal(in: actions),
            let request = try? STUNMessage(parsing: Array(message)),
            let miss = self.processor.authenticator.credentialMiss(in: request, reason: reason),
            resolver.admit(miss)
        else { return false }
        self.deferredRequests += 1
        let bytes = Array(message)
        let promise = self.eventLoop.makePromise(of: Bool.self)
        promise.completeWithTask { await resolver.resolve(miss) }
        promise.futureResult.assumeIsolated().whenSuccess { _ in
            self.deferredRequests -= 1
            self.decideAgain(bytes, on: fiveTuple, link: link)
        }
        return true
    }

    /// The reason of the 401 among `actions`, when it is one a lookup may change.
    private static func authenticationRefusal(in actions: [TURNAction]) -> AuthFailureReason? {
        for case .respond(_, let summary) in actions {
            if case .authentication(let reason)? = summary.refusal, reason == .unknownUser || reason == .badMAC {
                return reason
            }
        }
        return nil
    }

    /// Decides a held-back request with the credentials now in force; a stream client that
    /// left meanwhile gets nothing (an allocation for it would outlive its connection).
    private func decideAgain(_ message: [UInt8], on fiveTuple: FiveTuple, link: ClientLink) {
        if case .stream(let connection) = link, !connection.isActive { return }
        let actions = self.processor.handle(message.span, on: fiveTuple, now: .now, date: Date())
        message.withUnsafeBytes { self.perform(actions, link: link, message: $0) }
        self.flush()
    }
}
