import DatagramEngine
import Foundation
import STUNWire
import TURNAuth
import TURNConfig
import TURNCore
import TURNServer

/// Turns the file's typed configuration into what the relay service runs with: parsed
/// addresses and ranges, credential store, nonce issuer, relay addresses.
enum RelaySetup {
    /// A configuration value that is well-formed but cannot be used (an unreadable userdb file).
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// The realm used when the file names none.
    static let defaultRealm = "turngate"

    static func serviceConfiguration(_ configuration: TURNServerConfiguration) throws -> TURNServerService.Configuration {
        guard configuration.authenticationRequired else {
            throw SetupError(description: "\(Self.place(of: "no-auth", in: configuration)): anonymous relaying is refused: every Allocate is "
                + "authenticated (configure user or static-auth-secret; for a test setup, user=test:test)")
        }
        var relay = RelayConfiguration()
        relay.maximumLifetime = .seconds(configuration.maxAllocateLifetime)
        relay.defaultLifetime = min(.seconds(600), relay.maximumLifetime)
        relay.permissionLifetime = .seconds(configuration.permissionLifetime)
        relay.channelLifetime = .seconds(configuration.channelLifetime)
        relay.channelNumbers = configuration.channelNumbers == .rfc8656 ? .rfc8656 : .rfc5766
        relay.userQuota = configuration.userQuota
        relay.totalQuota = configuration.effectiveTotalQuota
        relay.challengeRate = configuration.challengeRate
        relay.challengeBurst = 2 * configuration.challengeRate
        relay.roomQuota = configuration.roomQuota
        relay.allocationBandwidth = configuration.maxBytesPerSecond > 0 ? configuration.maxBytesPerSecond : nil
        relay.serverBandwidth = configuration.bytesPerSecondCapacity > 0 ? configuration.bytesPerSecondCapacity : nil
        relay.credentialExpiryPolicy = CredentialExpiryPolicy(rawValue: configuration.credentialExpiryPolicy.rawValue) ?? .allocate
        relay.alternateServers = try configuration.alternateServers.map(Self.serverAddress)
        relay.softwareName = configuration.softwareName
        relay.alwaysFingerprint = configuration.fingerprint
        relay.tcpRelayEnabled = configuration.tcpRelayEnabled
        relay.answersBinding = !configuration.noStun
        relay.relaysTURN = !configuration.stunOnly
        relay.authenticatesBinding = configuration.secureStun
        relay.natDiscovery = try Self.natDiscovery(configuration)
        let relayIPs = try Self.relayAddresses(configuration)
        relay.relayIPv4 = relayIPs.first { $0.family == .ipv4 }
        relay.relayIPv6 = relayIPs.first { $0.family == .ipv6 }
        relay.externalAddresses = try Self.externalAddresses(configuration, relayIPs: relayIPs)
        relay.peerPolicy = PeerAddressPolicy(configuration: .init(
            allowLoopbackPeers: configuration.allowLoopbackPeers,
            allowMulticastPeers: false,
            deniedRanges: configuration.deniedPeerIPs,
            allowedRanges: configuration.allowedPeerIPs,
            hostAddresses: try HostAddresses.all(configuration, relayIPs: relayIPs),
            relayAddresses: relayIPs + Array(relay.externalAddresses.values),
            relayPorts: UInt16(clamping: configuration.minPort)...UInt16(clamping: configuration.maxPort),
            servicePorts: HostAddresses.servicePorts(configuration)
        ))
        let realm = configuration.realm ?? Self.defaultRealm
        let authenticator = LongTermAuthenticator(
            realm: realm,
            store: try Self.credentialStore(configuration),
            issuer: try Self.nonceIssuer(configuration)
        )
        let limits = configuration.connectionLimits
        var service = TURNServerService.Configuration(
            listeningIPs: configuration.listeningIPs,
            port: configuration.listeningPort,
            udpEnabled: configuration.udpEnabled,
            tcpEnabled: configuration.tcpEnabled,
            relay: relay,
            authenticator: authenticator,
            relayPorts: UInt16(clamping: configuration.minPort)...UInt16(clamping: configuration.maxPort),
            tcpIdleTimeout: .seconds(Int64(limits.idleTimeout)),
            tls: Self.tlsSettings(configuration),
            maximumStreamConnections: limits.total,
            maximumStreamConnectionsPerSource: limits.perSource,
            streamFirstFrameTimeout: .seconds(Int64(limits.firstFrameTimeout)),
            tlsHandshakeTimeout: .seconds(Int64(limits.tlsHandshakeTimeout))
        )
        service.relayEngine = DatagramEngine.Choice(rawValue: configuration.relayEngine.rawValue) ?? .auto
        service.relayThreads = configuration.relayThreads
        service.relayBatchWait = .microseconds(configuration.relayBatchWait)
        service.listenerBufferSize = configuration.sockBufSize
        service.nonceKeyIsShared = configuration.nonceSecretFile != nil || configuration.statelessNonceSecret != nil
        service.drainTimeout = .seconds(configuration.drainTimeout)
        service.drainRemaining = configuration.drainMinAllocations
        return service
    }

    /// The largest `nonce-secret-file` read: a key is 32 to a few hundred bytes of text.
    static let maximumNonceKeyFileBytes = 4096

    /// The nonce issuer: with the key of `nonce-secret-file` or `stateless-nonce-secret`, shared
    /// by every node given the same, or with a random key of this process's own.
    private static func nonceIssuer(_ configuration: TURNServerConfiguration) throws -> NonceIssuer {
        let lifetime = TimeInterval(configuration.staleNonce == 0 ? Int(Int32.max) : configuration.staleNonce)
        if let passphrase = configuration.statelessNonceSecret {
            return NonceIssuer(key: NonceIssuer.key(derivingFrom: passphrase), lifetime: lifetime)
        }
        guard let path = configuration.nonceSecretFile else {
            var generator = SystemRandomNumberGenerator()
            return NonceIssuer(lifetime: lifetime, using: &generator)
        }
        let option = Self.place(of: "nonce-secret-file", in: configuration)
        let text: String
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard size <= Self.maximumNonceKeyFileBytes else {
                throw SetupError(description: "\(option): \(path) has \(size) bytes; a key file holds at most \(Self.maximumNonceKeyFileBytes)")
            }
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch let error as SetupError {
            throw error
        } catch {
            throw SetupError(description: "\(option): cannot read \(path): \(error.localizedDescription)")
        }
        do {
            let key = try NonceIssuer.key(parsing: text, minimumBytes: TURNServerConfiguration.minimumNonceKeyBytes)
            return NonceIssuer(key: key, lifetime: lifetime)
        } catch {
            throw SetupError(description: "\(option): \(path): \(error)")
        }
    }

    /// A warning for each quota set to 0 (no limit): with `user-quota=0` one credential can
    /// take every relay port; with `total-quota=0` nothing stops allocations before the port
    /// range runs out.
    static func unlimitedQuotaWarnings(_ configuration: TURNServerConfiguration) -> [String] {
        var warnings: [String] = []
        if configuration.userQuota == 0 {
            warnings.append("user-quota=0: no limit on allocations per user; one user can take every relay port")
        }
        if configuration.totalQuota == 0 {
            warnings.append("total-quota=0: no limit on allocations on this server")
        }
        return warnings
    }

    /// TURN over TLS when `cert` and `pkey` are given and `no-tls` is not.
    private static func tlsSettings(_ configuration: TURNServerConfiguration) -> TLSSettings? {
        guard configuration.tlsEnabled, let certificate = configuration.certificateFile, let key = configuration.privateKeyFile else {
            return nil
        }
        return TLSSettings(
            port: configuration.tlsListeningPort,
            certificateChainFile: certificate,
            privateKeyFile: key,
            cipherList: configuration.cipherList,
            minimumVersion: configuration.noTLSv1_2 ? .tls13 : .tls12
        )
    }

    /// RFC 5780 discovery under `rfc5780` when two listening addresses of a family can pair.
    private static func natDiscovery(_ configuration: TURNServerConfiguration) throws -> NATDiscovery? {
        guard configuration.rfc5780, configuration.udpEnabled, configuration.listeningPort < 65535 else { return nil }
        let discovery = NATDiscovery(
            listening: try configuration.listeningIPs.map(Self.address),
            port: UInt16(configuration.listeningPort),
            alternatePort: UInt16(configuration.listeningPort + 1))
        return discovery.partners.isEmpty ? nil : discovery
    }

    /// The metrics endpoint's HTTPS under `prometheus-tls`, with the TURN listener's cipher list
    /// and lowest TLS version.
    static func prometheusTLSSettings(_ configuration: TURNServerConfiguration) -> TLSSettings? {
        guard let files = configuration.prometheusTLSFiles else { return nil }
        var settings = TLSSettings(
            port: configuration.prometheusPort,
            certificateChainFile: files.certificateChain,
            privateKeyFile: files.privateKey,
            cipherList: configuration.cipherList,
            minimumVersion: configuration.noTLSv1_2 ? .tls13 : .tls12
        )
        if configuration.prometheusCertificateFile != nil {
            settings.certificateOption = "prometheus-cert"
            settings.keyOption = "prometheus-key"
        }
        return settings
    }

    /// `relay-ip` when given; otherwise the specific (non-wildcard) listening addresses, as coturn does.
    private static func relayAddresses(_ configuration: TURNServerConfiguration) throws -> [IPAddress] {
        try configuration.effectiveRelayIPs.map(Self.address)
    }

    private static func externalAddresses(_ configuration: TURNServerConfiguration, relayIPs: [IPAddress]) throws -> [IPAddress: IPAddress] {
        if configuration.externalIPAuto {
            try Self.checkPublic(relayIPs, option: Self.place(of: "external-ip", in: configuration))
            return [:]
        }
        var mapping: [IPAddress: IPAddress] = [:]
        for external in configuration.externalIPs {
            let publicAddress = try Self.address(external.publicIP)
            if let privateIP = external.privateIP {
                mapping[try Self.address(privateIP)] = publicAddress
            } else {
                for relayIP in relayIPs where relayIP.family == publicAddress.family {
                    mapping[relayIP] = publicAddress
                }
            }
        }
        return mapping
    }

    /// `external-ip=auto`: every relay address must be public, since clients are told it as it is.
    private static func checkPublic(_ relayIPs: [IPAddress], option: String) throws {
        guard !relayIPs.isEmpty else {
            throw SetupError(description: "\(option): external-ip=auto needs a relay address: set relay-ip to this node's public "
                + "address (or, behind a NAT, external-ip=<public address>/<relay address>)")
        }
        for address in relayIPs {
            if let category = PeerAddressPolicy.category(of: address) {
                throw SetupError(description: "\(option): external-ip=auto: the relay address \(address) is not public "
                    + "(\(category.rawValue)); set external-ip=<public address>/\(address), or relay-ip to a public address")
            }
        }
    }

    /// "line N: key" for an option given in the file, "key" for one given on the command line.
    private static func place(of key: String, in configuration: TURNServerConfiguration) -> String {
        configuration.optionLines[key].map { "line \($0): \(key)" } ?? key
    }

    private static func credentialStore(_ configuration: TURNServerConfiguration) throws -> CredentialStore {
        let base = try Self.credentialBase(configuration)
        return CredentialStore(users: base.users, restSecrets: base.secrets, restSeparator: base.separator)
    }

    /// The file's static users and REST secrets with `userdb`'s, which a cluster's Redis
    /// entries are merged with.
    static func credentialBase(_ configuration: TURNServerConfiguration) throws -> RedisCredentialSync.Base {
        let users = try configuration.users.map { line in
            do {
                return try UserEntry(parsing: line)
            } catch {
                throw SetupError(description: "invalid user entry: \(error)")
            }
        }
        let database = try Self.userDatabase(configuration)
        return RedisCredentialSync.Base(
            users: configuration.longTermCredentials ? users + database.users : [],
            secrets: configuration.restAPICredentials ? configuration.staticAuthSecrets.map(CredentialSecret.init) + database.secrets : [],
            separator: configuration.restAPISeparator
        )
    }

    /// The users and secrets of `userdb` for the realm; none without it.
    static func userDatabase(_ configuration: TURNServerConfiguration) throws -> UserDatabase.Entries {
        guard let path = configuration.userDB else { return UserDatabase.Entries() }
        return try UserDatabase.read(path, realm: configuration.realm ?? Self.defaultRealm, option: Self.place(of: "userdb", in: configuration))
    }

    /// `IP`, `IP:port` or `[IPv6]:port` (checked by the configuration loader); port 3478 by default.
    private static func serverAddress(_ text: String) throws -> STUNTransportAddress {
        var host = Substring(text)
        var port: UInt16 = 3478
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            port = UInt16(host[close...].dropFirst(2)) ?? port
            host = host[host.index(after: host.startIndex)..<close]
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            port = UInt16(host[host.index(after: colon)...]) ?? port
            host = host[..<colon]
        }
        return STUNTransportAddress(address: try Self.address(String(host)), port: port)
    }

    /// An IP address literal from the configuration.
    static func address(_ text: String) throws -> IPAddress {
        do {
            return try IPAddress(parsing: text)
        } catch {
            throw SetupError(description: "\(error)")
        }
    }
}
