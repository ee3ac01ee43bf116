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
        guard let publicAddress = IPAddressLiteral(publicText) else {
            return .failure(ValueError("the public address '\(publicText)' before '/' is not an IPv4 or IPv6 address"))
        }
        guard let privateAddress = IPAddressLiteral(privateText) else {
            return .failure(ValueError("the private address '\(privateText)' after '/' is not an IPv4 or IPv6 address"))
        }
        guard publicAddress.family == privateAddress.family else {
            return .failure(ValueError("'\(text)' maps addresses of different families: both must be IPv4, or both IPv6"))
        }
        return .success(TURNServerConfiguration.ExternalIP(publicIP: publicText, privateIP: privateText))
    }

    /// A peer address range as `allowed-peer-ip` and `denied-peer-ip` take it: an address, a
    /// CIDR block `address/length`, or coturn's range `first-last` (both ends included).
    ///
    /// The rules are those of TURNCore's `IPAddressRange(parsing:)`, which reads the value when
    /// the server starts: the prefix length is within the family's bits, without leading zeros,
    /// and no address bit after it is set; a range's ends are of one family, in order.
    ///
    /// - Parameter text: The value.
    /// - Returns: The value unchanged, or a message naming the problem.
    static func peerAddressRange(_ text: String) -> Result<String, ValueError> {
        if let slash = text.firstIndex(of: "/") {
            return Self.cidrBlock(text, slash: slash)
        }
        if let hyphen = text.firstIndex(of: "-") {
            return Self.addressRange(text, hyphen: hyphen)
        }
        guard IPAddressLiteral(text) != nil else {
            return .failure(
                ValueError("'\(text)' is not an IPv4 or IPv6 address, a CIDR block (address/length) or a range (first-last)"))
        }
        return .success(text)
    }

    private static func cidrBlock(_ text: String, slash: String.Index) -> Result<String, ValueError> {
        let addressText = String(text[..<slash])
        let lengthText = String(text[text.index(after: slash)...])
        guard let address = IPAddressLiteral(addressText) else {
            return .failure(ValueError("'\(text)' is not a CIDR block: '\(addressText)' is not an IPv4 or IPv6 address"))
        }
        let bits = address.bytes.count * 8
        guard let length = Self.integer(lengthText), length <= bits, lengthText == String(length) else {
            return .failure(
                ValueError(
                    "'\(text)' is not a CIDR block: the prefix length must be a whole number from 0 to \(bits), without leading zeros"
                ))
        }
        let hostBitsSet = address.bytes.enumerated().contains { index, byte in
            let prefixBits = min(max(length - index * 8, 0), 8)
            return byte & (UInt8.max >> prefixBits) != 0
        }
        guard !hostBitsSet else {
            return .failure(ValueError("'\(text)' is not a CIDR block: the address has bits set after the first \(length)"))
        }
        return .success(text)
    }

    private static func addressRange(_ text: String, hyphen: String.Index) -> Result<String, ValueError> {
        let firstText = String(text[..<hyphen])
        let lastText = String(text[text.index(after: hyphen)...])
        guard let first = IPAddressLiteral(firstText) else {
            return .failure(
                ValueError("'\(text)' is not an address range: the first address '\(firstText)' is not an IPv4 or IPv6 address"))
        }
        guard let last = IPAddressLiteral(lastText) else {
            return .failure(
                ValueError("'\(text)' is not an address range: the last address '\(lastText)' is not an IPv4 or IPv6 address"))
        }
        guard first.family == last.family else {
            return .failure(ValueError("'\(text)' is not an address range: it mixes IPv4 and IPv6"))
        }
        guard !last.bytes.lexicographicallyPrecedes(first.bytes) else {
            return .failure(ValueError("'\(text)' is not an address range: the first address is above the last"))
        }
        return .success(text)
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
