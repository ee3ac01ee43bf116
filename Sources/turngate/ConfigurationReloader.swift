import GatewayAPI
import Logging
import TURNAuth
import TURNConfig
import TURNServer

/// SIGHUP: reads the configuration file again and applies what can change while running
/// (credentials, quotas, bandwidth, peer rules, log level, and the gateway's live settings); a
/// configuration with errors is refused with its line-numbered diagnostics and the running one
/// stays.
struct ConfigurationReloader: Sendable {
    let path: String?
    let options: [String]
    let server: TURNServerService
    /// The credential gateway, when `api-listening-port` was set at start.
    let gateway: Gateway?
    /// The cluster's Redis users and secrets, merged with the file's.
    let credentialSync: RedisCredentialSync?
    /// The cluster's nodes: this node's `turn-uris` are published with its load.
    let clusterNodes: ClusterNodes?
    /// The metrics endpoint's HTTPS context under `prometheus-tls`.
    let metricsTLS: TLSContextStore?
    let levelSwitch: LogLevelSwitch
    let logger: Logger

    /// SIGUSR2 (and part of SIGHUP), and a change of the files (``FileChangeWatcher``):
    /// reads the TLS certificates and keys again, TURN's, the API's and the metrics endpoint's;
    /// new connections use them, established ones are not touched.
    func reloadTLS() {
        if self.server.servesTLS {
            self.reportTLSReload("TLS certificate", event: "tls") { try self.server.reloadTLS() }
        }
        if let gateway = self.gateway, gateway.servesTLS {
            self.reportTLSReload("API certificate", event: "api_tls") { try gateway.reloadTLS() }
        }
        if let metricsTLS = self.metricsTLS {
            self.reportTLSReload("metrics certificate", event: "metrics_tls") { try metricsTLS.reload() }
        }
    }

    private func reportTLSReload(_ what: String, event: String, _ reload: () throws -> Void) {
        do {
            try reload()
            self.logger.notice("\(what) reloaded", metadata: ["turn.event": "\(event)_reloaded"])
        } catch {
            self.logger.error("\(what) reload refused; the running certificate stays", metadata: [
                "turn.event": "\(event)_reload_refused", "turn.error": "\(error)",
            ])
        }
    }

    /// A change of `userdb` (`turnadmin` wrote to it): the users and secrets of the file and the
    /// database are read again and put in force, merged with Redis's; nothing else changes.
    ///
    /// Logs, and changes nothing, when the configuration or the database cannot be read.
    func reloadCredentials() async {
        let base: RedisCredentialSync.Base
        do {
            let (configuration, diagnostics) = try ConfigurationFile.load(path: self.path, options: self.options, reportingErrors: false)
            guard !diagnostics.contains(where: { $0.severity == .error }) else {
                self.logger.error("userdb changed, but the configuration file has errors: not reloaded", metadata: ["turn.event": "userdb_reload_refused"])
                return
            }
            base = try RelaySetup.credentialBase(configuration)
        } catch {
            self.logger.error("userdb changed, but cannot be read: \(error); the running users stay", metadata: ["turn.event": "userdb_reload_refused"])
            return
        }
        if let credentialSync = self.credentialSync {
            credentialSync.replaceBase(base)
            await self.server.replaceCredentials(credentialSync.store(with: base))
        } else {
            await self.server.replaceCredentials(CredentialStore(users: base.users, restSecrets: base.secrets, restSeparator: base.separator))
        }
        self.logger.notice("users and secrets of userdb reloaded", metadata: [
            "turn.event": "userdb_reloaded", "turn.users": "\(base.users.count)", "turn.secrets": "\(base.secrets.count)",
        ])
    }

    /// Reloads once; never throws, only logs.
    func reload() async {
        let origin = self.path ?? "command line"
        let configuration: TURNServerConfiguration
        let diagnostics: [ConfigDiagnostic]
        do {
            (configuration, diagnostics) = try ConfigurationFile.load(path: self.path, options: self.options, reportingErrors: false)
        } catch {
            self.logger.error("configuration reload refused: cannot read the file; the running configuration stays", metadata: [
                "turn.event": "reload_refused", "turn.config": "\(origin)",
            ])
            return
        }
        for diagnostic in diagnostics {
            let metadata: Logger.Metadata = ["turn.config": "\(origin)", "turn.config.line": "\(diagnostic.line.map(String.init) ?? "-")"]
            if diagnostic.severity == .error {
                self.logger.error("\(origin): \(diagnostic)", metadata: metadata)
            } else {
                self.logger.warning("\(origin): \(diagnostic)", metadata: metadata)
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) {
            self.logger.error("configuration reload refused; the running configuration stays", metadata: ["turn.event": "reload_refused"])
            return
        }
        var relay: TURNServerService.Configuration
        do {
            relay = try RelaySetup.serviceConfiguration(configuration)
            if let credentialSync = self.credentialSync {
                let base = try RelaySetup.credentialBase(configuration)
                credentialSync.replaceBase(base)
                relay.authenticator = relay.authenticator.replacingStore(credentialSync.store(with: base))
            }
        } catch {
            self.logger.error("configuration reload refused: \(error); the running configuration stays", metadata: [
                "turn.event": "reload_refused",
            ])
            return
        }
        let needRestart = await self.server.reload(relay)
        self.clusterNodes?.replaceURIs(configuration.advertisedTURNURIs)
        await self.credentialSync?.syncOnce()
        await self.reloadGateway(configuration)
        self.reloadTLS()
        self.levelSwitch.level = Logger.Level(rawValue: configuration.logLevel.rawValue) ?? .info
        if !needRestart.isEmpty {
            self.logger.warning("changed settings that apply only after a restart", metadata: [
                "turn.settings": "\(needRestart.joined(separator: ", "))",
            ])
        }
        self.logger.notice("configuration reloaded", metadata: ["turn.event": "reloaded", "turn.config": "\(origin)"])
    }

    /// Applies the gateway's part of `configuration`; a refusal is logged and the running
    /// gateway settings stay. Settings that need a restart are logged by the gateway.
    private func reloadGateway(_ configuration: TURNServerConfiguration) async {
        guard let gateway = self.gateway else { return }
        do {
            guard let gatewayConfiguration = try GatewaySetup.gatewayConfiguration(configuration) else {
                self.logger.warning("api-listening-port was removed; the gateway stops only after a restart")
                return
            }
            try await gateway.reload(gatewayConfiguration)
        } catch {
            self.logger.error("gateway reload refused: \(error); the running gateway settings stay", metadata: [
                "turn.event": "gateway_reload_refused",
            ])
        }
    }
}
