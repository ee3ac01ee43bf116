public import STUNWire

/// The error response the long-term credential mechanism calls for: a value, not a throw.
///
/// RFC 8489 Section 9.2.4 fixes the code and the attributes: 401 and 438 carry REALM, a fresh
/// NONCE and, when the server offers password algorithms, PASSWORD-ALGORITHMS; 400 carries none
/// of them.
public struct AuthRejection: Hashable, Sendable {
    /// The error code: 400, 401 or 438.
    public var code: STUNErrorCode
    /// The bounded reason, for metrics and debug logs.
    public var reason: AuthFailureReason
    /// The attributes to send after ERROR-CODE.
    public var attributes: [STUNAttribute]

    /// Creates a rejection.
    public init(code: STUNErrorCode, reason: AuthFailureReason, attributes: [STUNAttribute] = []) {
        self.code = code
        self.reason = reason
        self.attributes = attributes
    }

    /// The error response to `request`: ERROR-CODE, then ``attributes``.
    ///
    /// Unsigned, as RFC 8489 Section 9.2.4 asks of these responses; the caller may add SOFTWARE
    /// and FINGERPRINT.
    public func errorResponse(to request: STUNMessage) -> STUNMessage {
        var response = STUNMessage(type: request.type.errorResponse, transactionID: request.transactionID)
        response.append(ErrorCodeAttribute(self.code))
        response.attributes.append(contentsOf: self.attributes)
        return response
    }
}
