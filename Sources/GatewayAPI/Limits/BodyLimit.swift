import Hummingbird
import NIOCore

/// The request body limit: 16 KiB (413 `body_too_large`).
///
/// The middleware refuses a declared `Content-Length` over the limit before reading; handlers
/// read bodies through ``collect(_:)``, which stops at the limit for chunked bodies.
struct BodyLimit: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// The largest body accepted, in bytes.
    static let maximumBytes = 16 * 1024

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let declared = request.headers[.contentLength], Int(declared).map({ $0 > Self.maximumBytes }) ?? true {
            throw declared.allSatisfy(\.isNumber) ? GatewayError.bodyTooLarge : GatewayError.badRequest
        }
        return try await next(request, context)
    }

    /// Reads a whole body of at most ``maximumBytes``.
    static func collect(_ request: Request) async throws(GatewayError) -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: Self.maximumBytes)
        } catch is NIOTooManyBytesError {
            throw .bodyTooLarge
        } catch {
            throw .badRequest
        }
    }
}
