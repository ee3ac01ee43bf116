extension ConfigValueParsers {
    /// A whole number within `range`: a number of seconds or of kbit/s.
    ///
    /// - Parameters:
    ///   - text: The value.
    ///   - range: The numbers allowed.
    ///   - what: What the number counts, for the message ("a number of seconds").
    /// - Returns: The number, or a message naming the problem and the range.
    static func wholeNumber(_ text: String, in range: ClosedRange<Int>, counting what: String) -> Result<Int, ValueError> {
        let expected = "expected a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard let number = Self.integer(text) else {
            return .failure(ValueError("'\(text)' is not \(what): \(expected)"))
        }
        guard range.contains(number) else {
            return .failure(ValueError("\(number) is not allowed as \(what): \(expected)"))
        }
        return .success(number)
    }

    /// An `http://` or `https://` URL with a host, as `jwt-jwks-url` takes it. The scheme is
    /// compared case-insensitively; the rest is not checked further, the HTTP client does that.
    ///
    /// - Parameter text: The value.
    /// - Returns: The URL as written, or a message naming the problem.
    static func httpURL(_ text: String) -> Result<String, ValueError> {
        guard let rest = Self.dropScheme(of: text, among: ["https://", "http://"]) else {
            return .failure(ValueError("'\(text)' is not an http:// or https:// URL"))
        }
        guard let first = rest.first, first != "/", first != "?", first != "#" else {
            return .failure(ValueError("'\(text)' has no host after the scheme"))
        }
        guard !rest.contains(where: \.isWhitespace) else {
            return .failure(ValueError("'\(text)' contains white space: percent-encode it"))
        }
        return .success(text)
    }

    /// A `jwt-required-claim`: `name=value`, the name not empty; the value is everything after
    /// the first `=`.
    ///
    /// - Parameter text: The value.
    /// - Returns: The claim, or a message naming the problem.
    static func requiredClaim(_ text: String) -> Result<TURNServerConfiguration.RequiredClaim, ValueError> {
        guard let equals = text.firstIndex(of: "=") else {
            return .failure(ValueError("expected name=value (such as type=webrtc), and there is no '='"))
        }
        let name = String(text[..<equals])
        guard !name.isEmpty else {
            return .failure(ValueError("the claim name before '=' is empty"))
        }
        return .success(TURNServerConfiguration.RequiredClaim(name: name, value: String(text[text.index(after: equals)...])))
    }

    /// `turn-uris`: one URI or a comma-separated list, each `turn:`, `turns:` or `stun:`
    /// (RFC 7065 Section 3, RFC 7064 Section 3.1) followed by a host; blanks around the commas
    /// are dropped.
    ///
    /// - Parameter text: The value.
    /// - Returns: The URIs in order, or a message naming the first bad one.
    static func turnURIs(_ text: String) -> Result<[String], ValueError> {
        var uris: [String] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let uri = String(item.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            guard !uri.isEmpty else {
                return .failure(ValueError("the list has an empty URI: remove the extra ','"))
            }
            guard let rest = Self.dropScheme(of: uri, among: ["turn:", "turns:", "stun:"]) else {
                return .failure(ValueError("'\(uri)' is not a TURN or STUN URI: it must start with turn:, turns: or stun:"))
            }
            guard !rest.hasPrefix("//") else {
                return .failure(
                    ValueError("'\(uri)' has '//' after the scheme, which RFC 7065 does not allow: write turn:host:port?transport=udp"))
            }
            guard let first = rest.first, first != ":", first != "?" else {
                return .failure(ValueError("'\(uri)' has no host after the scheme"))
            }
            guard !rest.contains(where: \.isWhitespace) else {
                return .failure(ValueError("'\(uri)' contains white space"))
            }
            uris.append(uri)
        }
        return .success(uris)
    }

    /// `api-rate-limit`: `COUNT/SECONDS`, `COUNT` (per 60 seconds), or `off`.
    ///
    /// - Parameter text: The value.
    /// - Returns: The limit, `nil` for `off`, or a message naming the problem.
    static func rateLimit(_ text: String) -> Result<TURNServerConfiguration.RateLimit?, ValueError> {
        if text.lowercased() == "off" {
            return .success(nil)
        }
        let form = "expected COUNT/SECONDS (such as 50/60), COUNT (per 60 seconds) or off"
        let countText: Substring
        let secondsText: Substring?
        if let slash = text.firstIndex(of: "/") {
            countText = text[..<slash]
            secondsText = text[text.index(after: slash)...]
        } else {
            countText = Substring(text)
            secondsText = nil
        }
        guard let count = Self.integer(String(countText)) else {
            return .failure(ValueError("'\(text)' is not a rate limit: \(form)"))
        }
        guard count >= 1 else {
            return .failure(ValueError("a rate limit of 0 requests refuses every request: give 1 or more, or off for no limit"))
        }
        guard let secondsText else {
            return .success(TURNServerConfiguration.RateLimit(count: count, seconds: TURNServerConfiguration.defaultAPIRateLimitSeconds))
        }
        guard let seconds = Self.integer(String(secondsText)) else {
            return .failure(ValueError("'\(text)' is not a rate limit: \(form)"))
        }
        guard seconds >= 1 else {
            return .failure(ValueError("the window of '\(text)' must be 1 second or more"))
        }
        return .success(TURNServerConfiguration.RateLimit(count: count, seconds: seconds))
    }

    /// `api-cors-origin`: `*`, or an origin as browsers send it (RFC 6454 Section 6.1):
    /// `http://` or `https://`, a host, an optional port, no path, in lower case.
    ///
    /// - Parameter text: The value.
    /// - Returns: The origin as written, or a message naming the problem.
    static func corsOrigin(_ text: String) -> Result<String, ValueError> {
        if text == "*" {
            return .success(text)
        }
        guard let rest = Self.dropScheme(of: text, among: ["https://", "http://"]) else {
            return .failure(ValueError("'\(text)' is not an origin: expected * or http(s)://host[:port], such as https://app.example.com"))
        }
        if let pathStart = rest.firstIndex(where: { "/?#".contains($0) }) {
            return .failure(
                ValueError("'\(text)' is not an origin: an origin has no path, query or fragment (drop '\(rest[pathStart...])')"))
        }
        guard !rest.contains(where: { $0.isWhitespace || $0 == "@" }) else {
            return .failure(ValueError("'\(text)' is not an origin: it contains white space or user information"))
        }
        guard text == text.lowercased() else {
            return .failure(ValueError("'\(text)' is not an origin as browsers send it: write it in lower case"))
        }
        let host: Substring
        let port: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                return .failure(ValueError("'\(text)' is not an origin: the IPv6 address has no closing ']'"))
            }
            host = rest[...close]
            let after = rest[rest.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                return .failure(ValueError("'\(text)' is not an origin: expected ':port' after the IPv6 address"))
            }
            port = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            port = rest[rest.index(after: colon)...]
        } else {
            host = rest
            port = nil
        }
        guard !host.isEmpty else {
            return .failure(ValueError("'\(text)' is not an origin: it has no host"))
        }
        if let port {
            guard let number = Self.integer(String(port)), (1...65535).contains(number) else {
                return .failure(ValueError("'\(text)' is not an origin: the port must be a number from 1 to 65535"))
            }
        }
        return .success(text)
    }

    /// A `bandwidth-class`: `name=kbps`, the name of letters, digits, `-`, `_` and `.`, the
    /// bandwidth in kbit/s from 1 to 10000000.
    ///
    /// - Parameter text: The value.
    /// - Returns: The class, or a message naming the problem.
    static func bandwidthClass(_ text: String) -> Result<TURNServerConfiguration.BandwidthClass, ValueError> {
        guard let equals = text.firstIndex(of: "=") else {
            return .failure(ValueError("expected name=kbps (such as video=1000), and there is no '='"))
        }
        let name = String(text[..<equals])
        guard !name.isEmpty else {
            return .failure(ValueError("the class name before '=' is empty"))
        }
        guard name.unicodeScalars.allSatisfy(Self.isClassNameScalar) else {
            return .failure(ValueError("the class name '\(name)' may hold only ASCII letters, digits, '-', '_' and '.'"))
        }
        let range = TURNServerConfiguration.bandwidthClassRange
        return Self.wholeNumber(String(text[text.index(after: equals)...]), in: range, counting: "a bandwidth in kbit/s").map {
            TURNServerConfiguration.BandwidthClass(name: name, kbps: $0)
        }
    }

    /// What follows the first of `schemes` that `text` starts with, compared case-insensitively.
    private static func dropScheme(of text: String, among schemes: [String]) -> Substring? {
        let lowered = text.lowercased()
        guard let scheme = schemes.first(where: { lowered.hasPrefix($0) }) else { return nil }
        return text.dropFirst(scheme.count)
    }

    private static func isClassNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": true
        default: false
        }
    }
}
