import Hummingbird
import Logging
import NIOCore

/// Turns every error into the contract's JSON error body, so no request ends in Hummingbird's
/// own error format: unknown routes become 404 `not_found`, oversized bodies 413
/// `body_too_large`, anything unexpected 500 `internal_error` (logged by type only).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try self.response(for: error, request: request, context: context)
        }
    }

    /// The contract's response for `error`.
    func response(for error: any Error, request: Request, context: Context) throws -> Response {
        try self.map(error).response(from: request, context: context)
    }

    private func map(_ error: any Error) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case is NIOTooManyBytesError:
            return .bodyTooLarge
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound
            case .contentTooLarge: return .bodyTooLarge
            case .badRequest: return .badRequest
            default: break
            }
        default:
            break
        }
        self.logger.error("gateway request failed", metadata: ["turn.error.type": "\(type(of: error))"])
        return .internalError
    }
}
