public import CoreMetrics

/// Every metric the relay records, created once from an injected factory.
///
/// Names follow coturn's where coturn has the metric (`stun_binding_request`,
/// `stun_binding_response`, `stun_binding_error`), so existing dashboards keep working.
/// Dimensions are bounded sets (transport, reason, code): never a username, address or port.
public struct RelayMetrics: Sendable {
    /// The transport a message arrived on.
    public enum Transport: String, Sendable, CaseIterable {
        case udp
        case tcp
    }

    private let bindingRequests: [Transport: Counter]
    private let bindingResponses: [Transport: Counter]
    private let bindingErrors: [Transport: Counter]
    private let ignoredMessages: [String: Counter]
    private let errorResponses: [UInt16: Counter]
    private let streamFramingErrors: Counter

    /// The reasons ``ignored(reason:)`` accepts, fixed at creation so the label set stays bounded.
    public let ignoreReasons: [String]

    /// Creates every metric with `factory`.
    ///
    /// - Parameters:
    ///   - factory: the metrics backend (the executable passes Prometheus; tests pass `TestMetrics`).
    ///   - ignoreReasons: the bounded set of reasons a message may be ignored for.
    ///   - errorCodes: the bounded set of error codes counted by ``errorResponse(code:)``.
    public init(factory: any MetricsFactory, ignoreReasons: [String], errorCodes: [UInt16]) {
        func perTransport(_ label: String) -> [Transport: Counter] {
            Dictionary(uniqueKeysWithValues: Transport.allCases.map { transport in
                (transport, Counter(label: label, dimensions: [("transport", transport.rawValue)], factory: factory))
            })
        }
        self.bindingRequests = perTransport("stun_binding_request")
        self.bindingResponses = perTransport("stun_binding_response")
        self.bindingErrors = perTransport("stun_binding_error")
        self.ignoreReasons = ignoreReasons
        self.ignoredMessages = Dictionary(uniqueKeysWithValues: ignoreReasons.map { reason in
            (reason, Counter(label: "turn_ignored_messages_total", dimensions: [("reason", reason)], factory: factory))
        })
        self.errorResponses = Dictionary(uniqueKeysWithValues: errorCodes.map { code in
            (code, Counter(label: "turn_error_responses_total", dimensions: [("code", String(code))], factory: factory))
        })
        self.streamFramingErrors = Counter(label: "turn_stream_framing_errors_total", factory: factory)
    }

    /// A Binding request arrived.
    public func bindingRequest(transport: Transport) { self.bindingRequests[transport]?.increment() }
    /// A Binding success response was sent.
    public func bindingResponse(transport: Transport) { self.bindingResponses[transport]?.increment() }
    /// A Binding error response was sent.
    public func bindingError(transport: Transport) { self.bindingErrors[transport]?.increment() }
    /// An error response with `code` was sent (codes outside the bounded set are not counted).
    public func errorResponse(code: UInt16) { self.errorResponses[code]?.increment() }
    /// A message was ignored (reasons outside the bounded set are not counted).
    public func ignored(reason: String) { self.ignoredMessages[reason]?.increment() }
    /// A stream connection was closed because its framing was broken.
    public func streamFramingError() { self.streamFramingErrors.increment() }
}
