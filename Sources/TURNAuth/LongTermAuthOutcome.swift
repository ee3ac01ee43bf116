/// The result of ``LongTermAuthenticator/authenticate(_:client:now:)``.
public enum LongTermAuthOutcome: Hashable, Sendable {
    /// The request is authentic; sign the response with the user's key.
    case authenticated(AuthenticatedUser)
    /// Answer with this error response instead of processing the request.
    case reject(AuthRejection)
}
