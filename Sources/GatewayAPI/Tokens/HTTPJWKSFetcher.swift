import AsyncHTTPClient
import Foundation
import NIOCore

/// Fetches a JWKS document over HTTP(S) with AsyncHTTPClient's shared client: a 5 s deadline,
/// status 200 only, at most 1 MiB.
struct HTTPJWKSFetcher: JWKSFetcher {
    static let timeout: TimeAmount = .seconds(5)
    static let maximumBytes = 1024 * 1024

    func fetch(_ url: URL) async throws -> Data {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await HTTPClient.shared.execute(request, timeout: Self.timeout)
        guard response.status == .ok else { throw JWKSFetchError(status: Int(response.status.code)) }
        let body = try await response.body.collect(upTo: Self.maximumBytes)
        return Data(buffer: body)
    }
}

/// A JWKS URL answered with another status than 200.
struct JWKSFetchError: Error, CustomStringConvertible {
    var status: Int
    var description: String { "JWKS URL answered HTTP \(self.status)" }
}
