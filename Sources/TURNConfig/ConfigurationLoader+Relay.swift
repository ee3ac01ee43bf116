import IPAddressing

extension ConfigurationLoader {
    /// Adds an IP literal to a list of addresses (`listening-ip`, `relay-ip`); the same address
    /// again, however spelt, gets a warning and is not added.
    mutating func addAddress(
        _ directive: ConfDirective,
        seen: WritableKeyPath<ConfigurationLoader, Set<IPAddress>>,
        to field: WritableKeyPath<TURNServerConfiguration, [String]>
    ) {
        guard let text = self.requiredValue(directive), let address = self.parsed(ConfigValueParsers.ipAddress(text), directive) else {
            return
        }
        guard self[keyPath: seen].insert(address).inserted else {
            self.diagnostics.append(.warning("\(directive.key) \(text) is given more than once", line: directive.line, key: directive.key))
            return
        }
        self.configuration[keyPath: field].append(text)
    }

    /// What one `external-ip` line maps: the relay address of a family (the plain form), or
    /// one private address.
    enum ExternalIPSlot: Hashable {
        case plain(ipv4: Bool)
        case mapped(IPAddress)
    }

    /// Adds an `external-ip`. As in coturn, the plain form (one public address for the relay
    /// address of its family) may be given once per family, so a dual-stack node gives one IPv4
    /// and one IPv6 line; each private address may be mapped once.
    /// `external-ip=auto` stands alone: the relay addresses themselves must be public.
    mutating func addExternalIP(_ directive: ConfDirective) {
        guard let text = self.requiredValue(directive) else { return }
        let mixed = text == "auto" ? !self.configuration.externalIPs.isEmpty : self.configuration.externalIPAuto
        guard !mixed else {
            self.diagnostics.append(
                .error("external-ip=auto cannot be combined with other external-ip lines", line: directive.line, key: directive.key))
            return
        }
        if text == "auto" {
            self.configuration.externalIPAuto = true
            return
        }
        guard let mapping = self.parsed(ConfigValueParsers.externalIP(text), directive) else { return }
        let slot: ExternalIPSlot =
            if let privateAddress = mapping.privateIP.flatMap({ try? IPAddress(parsing: $0) }) {
                .mapped(privateAddress)
            } else {
                .plain(ipv4: (try? IPAddress(parsing: mapping.publicIP))?.isIPv4 ?? true)
            }
        if let previous = self.externalIPPlaces[slot] {
            let message =
                mapping.privateIP.map { "external-ip maps the private address \($0) again (also on \(previous.phrase))" }
                ?? "external-ip without a private address is also given for this address family on \(previous.phrase): "
                + "give it once per family, or write public/private for each relay address"
            self.diagnostics.append(.error(message, line: directive.line, key: directive.key))
            return
        }
        self.externalIPPlaces[slot] = Place(line: directive.line, key: directive.key)
        self.configuration.externalIPs.append(mapping)
    }

    /// Checks the relay port range and coturn's rule that a bandwidth capacity needs a
    /// per-allocation limit.
    mutating func checkRelay() {
        let minPort = self.configuration.minPort
        let maxPort = self.configuration.maxPort
        if minPort > maxPort {
            let place = self.latestPlace(of: [.minPort, .maxPort])
            self.diagnostics.append(
                .error(
                    "min-port \(minPort) is above max-port \(maxPort): no port is left to relay from",
                    line: place?.line, key: place?.key
                ))
        }
        if self.configuration.bytesPerSecondCapacity > 0, self.configuration.maxBytesPerSecond == 0 {
            self.report(
                .error, "bps-capacity needs max-bps as well, as coturn requires: each allocation takes its max-bps out of the capacity",
                at: .bpsCapacity)
        }
    }
}
