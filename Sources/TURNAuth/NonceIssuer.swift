public import Foundation
public import STUNWire

/// Issues and checks stateless nonces for the long-term credential mechanism.
///
/// RFC 8489 Section 9.2 leaves the nonce's contents to the server; this follows the
/// time-stamp-and-keyed-hash construction of RFC 7616 Section 3.3. A nonce is the
/// ``NonceCookie`` (RFC 8489 Section 9.2), then the base64 of the issue time (seconds since
/// 1970, 8 bytes) and a 16-byte HMAC-SHA256, under a server key, of the cookie, the issue time
/// and the client's transport address. The server stores nothing per nonce, so a flood of
/// unauthenticated requests costs no memory, a nonce is only valid from the address it was
/// issued to, and a changed byte (even in the cookie's feature bits) makes it invalid. Every
/// nonce is 45 printable characters, well under the 128 that NONCE allows (Section 14.10).
///
/// Time is always a parameter; the issuer never reads a clock.
public struct NonceIssuer: Sendable, CustomStringConvertible {
    /// coturn's `stale-nonce` default: a nonce is valid for 600 seconds.
    public static let defaultLifetime: TimeInterval = 600
    /// How far in the future an issue time may be and still count, for nodes that share a key
    /// but not a perfectly synchronised clock.
    public static let maximumClockSkew: TimeInterval = 5
    /// The length of the key that ``init(lifetime:using:)`` draws.
    public static let keyByteCount = 32
    /// The shortest key ``init(key:lifetime:)`` accepts.
    public static let minimumKeyByteCount = 16
    /// The length of every nonce this issuer makes.
    public static let nonceLength = NonceCookie.length + 32

    private static let macByteCount = 16

    /// Seconds after its issue time until a nonce is stale.
    public let lifetime: TimeInterval
    private let key: [UInt8]
    /// The key before the last ``rotated(to:at:)``, still accepted until its nonces are stale.
    private var previous: (key: [UInt8], acceptedUntil: Date)?

    /// Creates an issuer with a key the caller supplies, so several nodes can share it.
    ///
    /// - Parameters:
    ///   - key: at least ``minimumKeyByteCount`` secret random bytes (``keyByteCount`` is usual).
    ///   - lifetime: seconds until a nonce is stale (coturn's `stale-nonce`); positive.
    public init(key: [UInt8], lifetime: TimeInterval = NonceIssuer.defaultLifetime) {
        precondition(key.count >= Self.minimumKeyByteCount, "a nonce key needs at least 16 bytes")
        precondition(lifetime > 0 && lifetime.isFinite, "a nonce lifetime must be a positive number of seconds")
        self.key = key
        self.lifetime = lifetime
    }

    /// Creates an issuer with a fresh ``keyByteCount``-byte key drawn from `generator`.
    ///
    /// - Parameters:
    ///   - lifetime: seconds until a nonce is stale (coturn's `stale-nonce`); positive.
    ///   - generator: a cryptographically secure source in production (`SystemRandomNumberGenerator`).
    public init(lifetime: TimeInterval = NonceIssuer.defaultLifetime, using generator: inout some RandomNumberGenerator) {
        var key: [UInt8] = []
        key.reserveCapacity(Self.keyByteCount)
        while key.count < Self.keyByteCount {
            var word: UInt64 = generator.next()
            for _ in 0..<8 {
                key.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        self.init(key: key, lifetime: lifetime)
    }

    /// A fresh nonce for `client`, issued at `now`.
    ///
    /// - Parameters:
    ///   - client: the transport address the request came from.
    ///   - now: the issue time, from the caller's clock.
    ///   - features: what the nonce cookie advertises (RFC 8489 Section 9.2.1): include
    ///     ``STUNSecurityFeatures/passwordAlgorithms`` exactly when the response carries
    ///     PASSWORD-ALGORITHMS.
    public func nonce(for client: STUNTransportAddress, now: Date, features: STUNSecurityFeatures = []) -> String {
        let cookie = NonceCookie.cookie(for: features)
        let issued = Self.seconds(now)
        var body: [UInt8] = []
        body.reserveCapacity(8 + Self.macByteCount)
        for shift in stride(from: 56, through: 0, by: -8) {
            body.append(UInt8(truncatingIfNeeded: issued >> Int64(shift)))
        }
        body.append(contentsOf: self.mac(key: self.key, cookie: cookie, issued: body, client: client))
        return cookie + Data(body).base64EncodedString()
    }

    /// Whether `nonce` was issued by this issuer to `client` and is still fresh at `now`.
    ///
    /// RFC 8489 Section 9.2.4: the caller answers ``NonceValidity/stale`` and
    /// ``NonceValidity/invalid`` alike, with 438 and a fresh nonce.
    public func validate(_ nonce: String, client: STUNTransportAddress, now: Date) -> NonceValidity {
        let utf8 = Array(nonce.utf8)
        guard utf8.count == Self.nonceLength, NonceCookie.features(of: nonce) != nil,
            let encoded = String(validating: utf8[NonceCookie.length...], as: UTF8.self),
            let body = Data(base64Encoded: encoded), body.count == 8 + Self.macByteCount
        else { return .invalid }
        let cookie = String(decoding: utf8[..<NonceCookie.length], as: UTF8.self)
        let issuedBytes = Array(body.prefix(8))
        let code = body.suffix(Self.macByteCount)
        guard self.isSigned(code, cookie: cookie, issued: issuedBytes, client: client, now: now) else { return .invalid }
        let issued = issuedBytes.reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let age = now.timeIntervalSince1970.rounded(.down) - Double(issued)
        if age < -Self.maximumClockSkew { return .invalid }
        return age > self.lifetime ? .stale : .valid
    }

    /// `next`, which also accepts the nonces this issuer made until they are stale: a key
    /// rotation (a fleet's shared key replaced) drops no client.
    ///
    /// Only the key before the newest stays accepted: rotate twice within one lifetime and
    /// nonces of the oldest key get 438, which clients answer by authenticating again.
    ///
    /// - Parameters:
    ///   - next: the issuer with the new key (and lifetime).
    ///   - now: the time of the rotation, from the caller's clock.
    package func rotated(to next: NonceIssuer, at now: Date) -> NonceIssuer {
        var rotated = next
        rotated.previous = (self.key, now.addingTimeInterval(self.lifetime))
        return rotated
    }

    /// Whether `other` makes the same nonces as this issuer (the same key).
    package func hasSameKey(as other: NonceIssuer) -> Bool {
        ConstantTime.isEqual(self.key, other.key)
    }

    public var description: String { "NonceIssuer(lifetime: \(self.lifetime), key: <redacted>)" }

    /// Whether `code` is the MAC under the key, or under the previous key while it is accepted.
    private func isSigned(_ code: Data, cookie: String, issued: [UInt8], client: STUNTransportAddress, now: Date) -> Bool {
        if ConstantTime.isEqual(self.mac(key: self.key, cookie: cookie, issued: issued, client: client), code) { return true }
        guard let previous = self.previous, now <= previous.acceptedUntil else { return false }
        return ConstantTime.isEqual(self.mac(key: previous.key, cookie: cookie, issued: issued, client: client), code)
    }

    private func mac(key: [UInt8], cookie: String, issued: [UInt8], client: STUNTransportAddress) -> ArraySlice<UInt8> {
        var input = Array(cookie.utf8)
        input.append(contentsOf: issued)
        let address = client.address.bytes
        input.append(UInt8(truncatingIfNeeded: address.count))
        input.append(contentsOf: address)
        input.append(UInt8(truncatingIfNeeded: client.port >> 8))
        input.append(UInt8(truncatingIfNeeded: client.port))
        return KeyedHash.sha256(key: key, message: input).prefix(Self.macByteCount)
    }

    /// Whole seconds since 1970 (rounded down); 0 for a time that has none.
    private static func seconds(_ date: Date) -> Int64 {
        Int64(exactly: date.timeIntervalSince1970.rounded(.down)) ?? 0
    }
}
