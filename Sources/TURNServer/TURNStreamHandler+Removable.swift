import NIOCore

/// A ConnectionBind turns a TURN connection into a client data connection (RFC 6062 Section
/// 5.3): the STUN handling leaves its pipeline.
extension TURNStreamHandler: RemovableChannelHandler {}
