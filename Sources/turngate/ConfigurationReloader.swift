import GatewayAPI
import Logging
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
    let levelSwitch: LogLevelSwitch
    let logger: Logger

    /// SIGUSR2 (and part of SIGHUP), and a change of the files (``CertificateFileWatcher``):
    /// reads the TLS certificates and keys again, TURN's and the API's; new connections use
    /// them, established ones are not touched.
    ///
    /// - Returns: false when a reload was refused (the running certificate stays).
    @discardableResult
    func reloadTLS() -> Bool {
        var reloaded = true
        if self.server.servesTLS {
            reloaded = self.reportTLSReload("TLS certificate", event: "tls") { try self.server.reloadTLS() } && reloaded
        }
        if let gateway = self.gateway, gateway.servesTLS {
            reloaded = self.reportTLSReload("API certificate", event: "api_tls") { try gateway.reloadTLS() } && reloaded
        }
        return reloaded
    }

    private func reportTLSReload(_ what: String, event: String, _ reload: () throws -> Void) -> Bool {
        do {
            try reload()
            self.logger.notice("\(what) reloaded", metadata: ["turn.event": "\(event)_reloaded"])
            return true
        } catch {
            self.logger.error("\(what) reload refused; the running certificate stays", metadata: [
                "turn.event": "\(event)_reload_refused", "turn.error": "\(error)",
            ])
            return false
        }
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
        let relay: TURNServerService.Configuration
        do {
            relay = try RelaySetup.serviceConfiguration(configuration)
        } catch {
            self.logger.error("configuration reload refused: \(error); the running configuration stays", metadata: [
                "turn.event": "reload_refused",
            ])
            return
        }
        let needRestart = await self.server.reload(relay)
        self.clusterNodes?.replaceURIs(configuration.advertisedTURNURIs)
        if let credentialSync = self.credentialSync, let base = try? RelaySetup.credentialBase(configuration) {
            credentialSync.replaceBase(base)
            await credentialSync.syncOnce()
        }
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
