/// Bounds applied while converting a hiredis reply, so a corrupt or hostile server cannot make the
/// relay build an enormous value.
///
/// hiredis 0.14 itself caps a multi-bulk at `INT_MAX` elements and a bulk string at 512 MB, far
/// beyond anything TurnGate reads; these limits refuse a reply long before that. A refused reply
/// raises ``RedisError/Code/replyTooLarge``.
public struct RedisReplyLimits: Sendable, Hashable {
    /// The largest bulk string accepted, in bytes.
    public var maximumStringBytes: Int
    /// The largest number of array elements accepted, counted over the whole reply tree.
    public var maximumElements: Int
    /// The deepest nesting of arrays accepted.
    public var maximumDepth: Int

    /// Creates limits.
    ///
    /// - Parameters:
    ///   - maximumStringBytes: Largest bulk string; 16 MiB by default.
    ///   - maximumElements: Most array elements in one reply; 1,048,576 by default.
    ///   - maximumDepth: Deepest array nesting; 8 by default.
    public init(maximumStringBytes: Int = 16 << 20, maximumElements: Int = 1 << 20, maximumDepth: Int = 8) {
        self.maximumStringBytes = maximumStringBytes
        self.maximumElements = maximumElements
        self.maximumDepth = maximumDepth
    }
}
