public import STUNWire
import IPAddressing
import Synchronization

/// The relayed transport addresses of every allocation of the node, shared by every event loop.
///
/// An Allocate whose source is one of them came through this server's own relay: a client sent
/// it from its allocation to the server's listener, nesting one allocation inside another
/// (TURN-in-TURN), which multiplies what one credential holds and hides the real client behind
/// the server's own address. The processor refuses it (403). Control path only: updated when an
/// allocation is created or deleted, read per Allocate.
public final class RelayedAddressRegistry: Sendable {
    private struct Key: Hashable {
        var transport: TransportProtocol
        var address: STUNTransportAddress
    }

    private let keys = Mutex<Set<Key>>([])

    /// Creates an empty registry.
    public init() {}

    /// The number of relayed transport addresses registered.
    public var count: Int { self.keys.withLock { $0.count } }

    /// Whether a message from `client` over `transport` came from one of the relayed transport
    /// addresses (an IPv4-mapped source, as a dual-stack listener reports it, is compared as IPv4).
    public func contains(_ client: STUNTransportAddress, transport: TransportProtocol) -> Bool {
        let key = Key(transport: transport, address: STUNTransportAddress(address: client.address.unmapped, port: client.port))
        return self.keys.withLock { $0.contains(key) }
    }

    /// Registers the relayed transport addresses of `allocation`, relayed over `transport`.
    func insert(_ allocation: Allocation, transport: TransportProtocol) {
        self.keys.withLock { keys in
            for address in Self.addresses(of: allocation) {
                keys.insert(Key(transport: transport, address: address))
            }
        }
    }

    /// Forgets the relayed transport addresses of `allocation`.
    func remove(_ allocation: Allocation, transport: TransportProtocol) {
        self.keys.withLock { keys in
            for address in Self.addresses(of: allocation) {
                keys.remove(Key(transport: transport, address: address))
            }
        }
    }

    private static func addresses(of allocation: Allocation) -> [STUNTransportAddress] {
        [allocation.relayedAddress] + (allocation.additionalRelayedAddress.map { [$0] } ?? [])
    }
}
