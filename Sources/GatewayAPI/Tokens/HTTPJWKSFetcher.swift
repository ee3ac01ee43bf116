import AsyncHTTPClient
import Foundation
import NIOCore

/// Fetches a JWKS document over HTTP(S): a 5 s deadline, status 200 only, at most 1 MiB, and
/// no redirects (a redirect could lead an `https` URL to a plain `http` one).
struct HTTPJWKSFetcher: JWKSFetcher {
    static let timeout: TimeAmount = .seconds(5)
    static let maximumBytes = 1024 * 1024

    func fetch(_ url: URL) async throws -> Data {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await jwksHTTPClient.execute(request, timeout: Self.timeout)
        guard response.status == .ok else { throw JWKSFetchError(status: Int(response.status.code)) }
        let body = try await response.body.collect(upTo: Self.maximumBytes)
        return Data(buffer: body)
    }
}

/// The client of every JWKS fetch: `HTTPClient.shared`'s event loops, redirects refused. It
/// lives as long as the process, like `HTTPClient.shared`, so it is never shut down.
private let jwksHTTPClient = HTTPClient(
    eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

/// A JWKS URL answered with another status than 200 (a redirect included).
struct JWKSFetchError: Error, CustomStringConvertible {
    var status: Int
    var description: String { "JWKS URL answered HTTP \(self.status)" }
}
