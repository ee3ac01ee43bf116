import Foundation
import STUNWire
import TURNConfig

/// What the peer policy must know about the relay's own host: its addresses and the ports the
/// server listens on, so that no client can relay to them (RFC 8656 Section 21).
enum HostAddresses {
    /// Every address of the host: the addresses of its network interfaces (`getifaddrs(3)`,
    /// read when the configuration is applied: at start and on each reload), the specific
    /// `listening-ip`s, the relay addresses and both sides of every `external-ip`.
    static func all(_ configuration: TURNServerConfiguration, relayIPs: [IPAddress]) throws -> [IPAddress] {
        var addresses = Self.interfaceAddresses() + relayIPs
        for text in configuration.listeningIPs {
            addresses.append(try RelaySetup.address(text))
        }
        for external in configuration.externalIPs {
            addresses.append(try RelaySetup.address(external.publicIP))
            if let privateIP = external.privateIP {
                addresses.append(try RelaySetup.address(privateIP))
            }
        }
        return addresses
    }

    /// The ports this process listens on: TURN (plain and TLS), the gateway, the admin API and
    /// the metrics endpoint, when configured.
    static func servicePorts(_ configuration: TURNServerConfiguration) -> [UInt16] {
        var ports = [configuration.listeningPort, configuration.tlsListeningPort]
        ports += [configuration.apiListeningPort, configuration.adminListeningPort].compactMap { $0 }
        if configuration.prometheusEnabled {
            ports.append(configuration.prometheusPort)
        }
        return ports.compactMap { UInt16(exactly: $0) }
    }

    /// The IPv4 and IPv6 addresses of every network interface; empty when they cannot be read.
    static func interfaceAddresses() -> [IPAddress] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var addresses: [IPAddress] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let socketAddress = entry.pointee.ifa_addr else { continue }
            switch Int32(socketAddress.pointee.sa_family) {
            case AF_INET:
                let value = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                addresses.append(.v4(UInt32(bigEndian: value)))
            case AF_INET6:
                var value = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                if let address = withUnsafeBytes(of: &value, { IPAddress(bytes: $0) }) {
                    addresses.append(address)
                }
            default:
                continue
            }
        }
        return addresses
    }
}
