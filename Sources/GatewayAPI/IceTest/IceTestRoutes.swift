import Hummingbird
import NIOCore

/// `GET /ice-test`: the operator's ICE test page (``IceTestPage``), on the API listener only.
///
/// Whether it is served is read from the settings in force for each request, so
/// `ice-test-page` changes with a reload; while it is off the route answers 404 `not_found`,
/// like an unknown path. Each answer carries a fresh CSP nonce for the page's inline script
/// and style, `Cache-Control: no-store`, a `connect-src` of this origin and its WebSocket
/// origins (signaling, for the two-party test), and a `frame-ancestors` list of this origin and
/// the `api-cors-origin` origins (any origin with `*`).
struct IceTestRoutes: Sendable {
    let core: GatewayCore

    func register(on router: Router<GatewayRequestContext>) {
        router.get(RouterPath(GatewayRoutes.iceTest)) { request, _ in
            let settings = self.core.settings
            guard settings.configuration.iceTestPage else { throw GatewayError.notFound }
            var generator = SystemRandomNumberGenerator()
            let nonce = IceTestPage.makeNonce(using: &generator)
            return Response(
                status: .ok,
                headers: Self.headers(nonce: nonce, frameAncestors: settings.corsOrigins, authority: request.head.authority),
                body: ResponseBody(byteBuffer: ByteBuffer(string: IceTestPage.render(nonce: nonce))))
        }
    }

    /// The page's response header fields: HTML, never cached, never sniffed, no `Referer`
    /// (the page's address may carry a token), and the content security policy.
    static func headers(nonce: String, frameAncestors origins: Set<String>, authority: String? = nil) -> HTTPFields {
        [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy: Self.contentSecurityPolicy(nonce: nonce, frameAncestors: origins, authority: authority),
            .xContentTypeOptions: "nosniff",
            Self.referrerPolicy: "no-referrer",
        ]
    }

    /// `Referrer-Policy` (W3C Referrer Policy), which swift-http-types does not name.
    private static let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy")!

    /// Only this origin's resources, the inline script and style with `nonce`, requests to this
    /// origin only (the credential endpoint, and signaling's WebSocket at `ws://` or `wss://`
    /// `authority`, the request's host, which browsers before CSP Level 3 do not take for
    /// `'self'`), no plugins, forms or `<base>`; framed by this origin and the
    /// `api-cors-origin` origins.
    ///
    /// An origin that is not plain `http(s)://host[:port]` text, and an authority that is not
    /// ``isHostSource(_:)``, are left out, so neither a configured value nor a request can add a
    /// directive.
    static func contentSecurityPolicy(nonce: String, frameAncestors origins: Set<String>, authority: String? = nil) -> String {
        let ancestors: String
        if origins.contains("*") {
            ancestors = "*"
        } else {
            ancestors = (["'self'"] + origins.filter(Self.isPlainOrigin).sorted()).joined(separator: " ")
        }
        var connect = ["'self'"]
        if let authority, Self.isHostSource(authority) {
            connect += ["ws://\(authority)", "wss://\(authority)"]
        }
        return [
            "default-src 'self'", "script-src 'nonce-\(nonce)'", "style-src 'nonce-\(nonce)'", "img-src 'self' data:",
            "connect-src \(connect.joined(separator: " "))", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
            "frame-ancestors \(ancestors)",
        ].joined(separator: "; ")
    }

    /// Whether `authority` is a host name or IPv4 address (dot-separated labels of letters,
    /// digits and `-`) with an optional port of 1 to 5 digits: what CSP's host-source grammar
    /// takes (it has no IPv6 literal).
    static func isHostSource(_ authority: String) -> Bool {
        let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let host = parts.first, host.utf8.count <= 253 else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let hostIsPlain = labels.allSatisfy { label in
            !label.isEmpty
                && label.unicodeScalars.allSatisfy { scalar in
                    switch scalar {
                    case "a"..."z", "A"..."Z", "0"..."9", "-": true
                    default: false
                    }
                }
        }
        guard hostIsPlain else { return false }
        guard parts.count == 2 else { return true }
        let port = parts[1]
        return (1...5).contains(port.count) && port.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Whether `origin` is `http://` or `https://` followed by host and port characters only.
    static func isPlainOrigin(_ origin: String) -> Bool {
        guard let rest = ["https://", "http://"].lazy.compactMap({ origin.hasPrefix($0) ? origin.dropFirst($0.count) : nil }).first,
            !rest.isEmpty
        else { return false }
        return rest.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", ":", "[", "]": true
            default: false
            }
        }
    }
}
