import IPAddressing

extension ConfigValueParsers {
    /// coturn's `external-ip`: a public address alone, or `public/private`; IP literals, both
    /// of one family.
    ///
    /// - Parameter text: The value.
    /// - Returns: The mapping as written, or a message naming the problem.
    static func externalIP(_ text: String) -> Result<TURNServerConfiguration.ExternalIP, ValueError> {
        guard let slash = text.firstIndex(of: "/") else {
            return Self.ipAddress(text).map { _ in TURNServerConfiguration.ExternalIP(publicIP: text) }
        }
        let publicText = String(text[..<slash])
        let privateText = String(text[text.index(after: slash)...])
        guard let publicAddress = try? IPAddress(parsing: publicText) else {
            return .failure(ValueError("the public address '\(publicText)' before '/' is not an IPv4 or IPv6 address"))
        }
        guard let privateAddress = try? IPAddress(parsing: privateText) else {
            return .failure(ValueError("the private address '\(privateText)' after '/' is not an IPv4 or IPv6 address"))
        }
        guard publicAddress.isIPv4 == privateAddress.isIPv4 else {
            return .failure(ValueError("'\(text)' maps addresses of different families: both must be IPv4, or both IPv6"))
        }
        return .success(TURNServerConfiguration.ExternalIP(publicIP: publicText, privateIP: privateText))
    }

    /// An address range as `allowed-peer-ip`, `denied-peer-ip`, `api-allowed-ip` and
    /// `api-denied-ip` take it: an address, a CIDR block `address/length`, or coturn's range
    /// `first-last` (both ends included), read by `IPAddressRange(parsing:)`, the parser the
    /// relay and the gateway use, so a value accepted here is the value they run with.
    ///
    /// - Parameter text: The value.
    /// - Returns: The range, or a message naming the problem.
    static func addressRange(_ text: String) -> Result<IPAddressRange, ValueError> {
        do {
            return .success(try IPAddressRange(parsing: text))
        } catch {
            return .failure(ValueError(error.message))
        }
    }
}

extension ConfigValueParsers {
    /// A server's transport address, as `alternate-server` takes it: `IPv4`, `IPv4:port`,
    /// `IPv6` or `[IPv6]:port`; the port defaults to 3478. Returned as written, checked.
    static func serverAddress(_ text: String) -> Result<String, ValueError> {
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                return .failure(ValueError("'\(text)' is not an address: a '[' without ']'"))
            }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return .failure(ValueError("'\(text)' is not an address: expected ':port' after ']'")) }
                portText = rest.dropFirst()
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        if case .failure(let error) = Self.ipAddress(String(host)) { return .failure(error) }
        if let portText, case .failure(let error) = Self.port(String(portText)) { return .failure(error) }
        return .success(text)
    }
}
