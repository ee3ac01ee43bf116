public import Foundation

/// Fetches a JWKS document.
public protocol JWKSFetcher: Sendable {
    /// The document at `url`.
    func fetch(_ url: URL) async throws -> Data
}
