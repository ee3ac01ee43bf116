import Hummingbird

/// The `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers of a credential
/// response (draft-ietf-httpapi-ratelimit-headers), from the tighter of the limits applied.
enum RateLimitHeaders {
    /// A header field (HTTPTypes' `HTTPField`, reached through the `HTTPFields` Hummingbird exports).
    typealias Field = HTTPFields.Element

    static let limit = Field.Name("RateLimit-Limit")
    static let remaining = Field.Name("RateLimit-Remaining")
    static let reset = Field.Name("RateLimit-Reset")

    /// The headers for the decisions of one request.
    static func fields(_ decisions: [RateLimiter.Decision]) -> HTTPFields {
        guard let tightest = decisions.min(by: { ($0.remaining, -$0.resetSeconds) < ($1.remaining, -$1.resetSeconds) }),
            let limit = Self.limit, let remaining = Self.remaining, let reset = Self.reset
        else { return [:] }
        var fields = HTTPFields()
        fields[limit] = String(tightest.limit)
        fields[remaining] = String(tightest.remaining)
        fields[reset] = String(tightest.resetSeconds)
        return fields
    }
}
