/// Which channel numbers a ChannelBind may use.
///
/// RFC 8656 Section 12 allows 0x4000-0x4FFF; RFC 5766 Section 11 allowed 0x4000-0x7FFF, and
/// RFC 5766 clients (among them coturn's `turnutils_uclient`) still pick numbers above 0x4FFF,
/// so the wider range is the default.
public enum ChannelNumberRange: Hashable, Sendable {
    /// 0x4000-0x4FFF only (RFC 8656).
    case rfc8656
    /// 0x4000-0x7FFF (RFC 5766), the default.
    case rfc5766

    /// Whether `number` may be bound.
    public func contains(_ number: UInt16) -> Bool {
        switch self {
        case .rfc8656: (0x4000...0x4FFF).contains(number)
        case .rfc5766: (0x4000...0x7FFF).contains(number)
        }
    }
}
