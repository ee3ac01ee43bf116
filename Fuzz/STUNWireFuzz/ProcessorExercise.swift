import Foundation
import STUNWire
import TURNAuth
import TURNCore

/// Feeds one input to the TURN request processor, the way the relay does for every datagram and
/// stream frame a client sends: as a control message, as a Send indication and as ChannelData,
/// on a processor that holds a static user and a REST secret.
///
/// Any trap here is a remote crash of the server.
func exerciseProcessor(_ bytes: [UInt8]) {
    var configuration = RelayConfiguration()
    configuration.relayIPv4 = .v4(0x7F00_0001)
    configuration.relayIPv6 = .v6(high: 0, low: 1)
    configuration.userQuota = 1
    let authenticator = LongTermAuthenticator(
        realm: "fuzz",
        store: CredentialStore(
            users: [UserEntry(name: "alice", credential: .password(CredentialSecret("secret")))],
            restSecrets: [CredentialSecret("s3cret")]
        ),
        issuer: NonceIssuer(key: Array(repeating: 7, count: 32))
    )
    var processor = TURNRequestProcessor(configuration: configuration, authenticator: authenticator, quotas: QuotaLedger())
    let fiveTuple = FiveTuple(
        client: STUNTransportAddress(address: .v4(0x7F00_0002), port: 40_000),
        server: STUNTransportAddress(address: .v4(0x7F00_0001), port: 3478),
        transport: .udp
    )
    let now = ContinuousClock.now
    for action in processor.handle(bytes.span, on: fiveTuple, now: now, date: Date(timeIntervalSince1970: 1_700_000_000)) {
        if case .openRelay(let request) = action {
            _ = processor.completeAllocation(request, relayPort: 50_000, reservationToken: nil, now: now)
        }
    }
    _ = processor.sendIndication(bytes.span, on: fiveTuple, now: now)
    if let (header, _) = try? ChannelDataHeader.parseDatagram(bytes.span) {
        _ = processor.channelRoute(on: fiveTuple, channel: header.channelNumber, now: now)
    }
    _ = processor.expire(now: now + .seconds(3600))
}
