extension TURNServerConfiguration {
    /// TurnGate's `channel-numbers`: which channel numbers a ChannelBind may use.
    ///
    /// RFC 5766 Section 11 allowed 0x4000-0x7FFF; RFC 8656 Section 12 allows 0x4000-0x4FFF and
    /// reserves the rest (RFC 7983 multiplexing). RFC 5766 clients, coturn's among them, still
    /// pick numbers above 0x4FFF, so the wider range is the default.
    public enum ChannelNumbers: String, CaseIterable, Sendable {
        /// 0x4000-0x7FFF (RFC 5766 Section 11), the default.
        case rfc5766
        /// 0x4000-0x4FFF only (RFC 8656 Section 12).
        case rfc8656
    }
}
