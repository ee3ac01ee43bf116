import IPAddressing

extension TURNServerConfiguration {
    /// The TURN URIs the gateway hands out (RFC 7065): `turn-uris` when given, otherwise one
    /// per listener of the node on each address clients can reach.
    ///
    /// Those addresses are the public `external-ip` addresses, the relay addresses under
    /// `external-ip=auto`, or else the specific (non-wildcard) `listening-ip` addresses. Each gets
    /// `turn:` with `transport=udp` and `transport=tcp` for the plain listeners that are on, and
    /// `turns:` with `transport=tcp` on `tls-listening-port` when TLS is served. Empty when no
    /// address is known (a node listening on the wildcard address with no `external-ip`).
    public var advertisedTURNURIs: [String] {
        guard self.turnURIs.isEmpty else { return self.turnURIs }
        var uris: [String] = []
        for host in self.advertisedHosts {
            if self.udpEnabled { uris.append("turn:\(host):\(self.listeningPort)?transport=udp") }
            if self.tcpEnabled { uris.append("turn:\(host):\(self.listeningPort)?transport=tcp") }
            if self.tlsEnabled, self.certificateFile != nil, self.privateKeyFile != nil {
                uris.append("turns:\(host):\(self.tlsListeningPort)?transport=tcp")
            }
        }
        return uris
    }

    /// The relay addresses: `relay-ip` when given, otherwise the specific (non-wildcard)
    /// `listening-ip` addresses, as coturn does; each once, as written.
    public var effectiveRelayIPs: [String] {
        Self.specific(self.relayIPs.isEmpty ? self.listeningIPs : self.relayIPs).map(\.text)
    }

    /// The addresses of ``advertisedTURNURIs``, IPv6 in brackets, each once.
    private var advertisedHosts: [String] {
        let texts: [String] =
            if !self.externalIPs.isEmpty { self.externalIPs.map(\.publicIP) } else if self.externalIPAuto {
                self.effectiveRelayIPs
            } else {
                self.listeningIPs
            }
        return Self.specific(texts).map { $0.address.isIPv4 ? "\($0.address)" : "[\($0.address)]" }
    }

    /// The addresses among `texts` that are neither wildcard nor repeated, with their text.
    private static func specific(_ texts: [String]) -> [(text: String, address: IPAddress)] {
        var seen: Set<IPAddress> = []
        return texts.compactMap { text in
            guard let address = try? IPAddress(parsing: text), address != .v4(0), address != .v6(high: 0, low: 0), seen.insert(address).inserted
            else { return nil }
            return (text, address)
        }
    }
}
