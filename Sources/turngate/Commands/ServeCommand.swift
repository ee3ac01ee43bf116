import ArgumentParser
import CoreMetrics
import Foundation
import GatewayAPI
import Logging
import NIOPosix
import Prometheus
import ServiceLifecycle
import TURNAuth
import TURNConfig
import TURNCore
import TURNMetrics
import TURNServer

/// `turngate serve` (the default): the relay and gateway, configured like coturn.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the STUN/TURN relay (the default when no subcommand is given).",
        discussion: """
            Every option of turnserver.conf can also be given on the command line as a long \
            option (--listening-port 3478, --fingerprint), overriding the file. \
            --strict-config turns warnings about unknown or unsupported options into errors.

            Exit status: 0 after a clean stop (SIGTERM or SIGINT, or the end of a drain), 1 when \
            the server cannot start (a port is taken) or loses a listener, 2 when the \
            configuration is invalid.
            """
    )

    @Option(name: [.customShort("c"), .customLong("config")], help: "The configuration file (coturn's turnserver.conf syntax).")
    var configFile: String?

    @Argument(parsing: .allUnrecognized, help: "Configuration options as --key [value], e.g. --listening-port 3478.")
    var options: [String] = []

    func run() async throws {
        let configuration = try self.loadConfiguration()
        let levelSwitch = LogLevelSwitch(Logger.Level(rawValue: configuration.logLevel.rawValue) ?? .info)
        let format: LineLogHandler.Format = configuration.logFormat == .json ? .json : .text
        let output = try LogOutput(configuration: configuration, format: format)
        defer { output.shutdown() }
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, output: output, format: format, levelSwitch: levelSwitch)
        }
        let logger = Logger(label: "turngate")
        let pidFile = try configuration.pidFile.map(PIDFile.init(path:))
        defer { pidFile?.remove() }

        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["turn_allocation_duration_seconds"] = [1, 10, 30, 60, 300, 600, 1800, 3600, 7200, 14400].map {
            Duration.seconds($0)
        }
        factory.durationHistogramBuckets["turn_relay_latency_seconds"] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000, 50000].map {
            Duration.microseconds($0)
        }
        MetricsSystem.bootstrap(factory)
        let exposition = MetricsExposition(registry: registry, process: ProcessMetrics(factory: MetricsSystem.factory))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let metricsTLS: TLSContextStore?
        do {
            metricsTLS = try RelaySetup.prometheusTLSSettings(configuration).map(TLSContextStore.init)
        } catch {
            printError("turngate: \(error)")
            throw ExitCode(2)
        }
        if configuration.prometheusEnabled {
            services.append(.init(service: PrometheusEndpoint(
                exposition: exposition,
                configuration: .init(
                    host: configuration.prometheusAddress ?? TURNServerConfiguration.defaultPrometheusAddress,
                    port: configuration.prometheusPort,
                    connectionLimit: configuration.connectionLimits.prometheusTotal,
                    idleTimeout: .seconds(Int64(configuration.connectionLimits.prometheusIdleTimeout)),
                    path: configuration.prometheusPath,
                    tls: metricsTLS
                ),
                group: MultiThreadedEventLoopGroup.singleton,
                factory: MetricsSystem.factory,
                logger: logger
            )))
        }
        let metrics = RelayMetrics(
            factory: MetricsSystem.factory,
            ignoreReasons: TURNServerService.ignoreReasons,
            errorCodes: [400, 401, 403, 420, 437, 438, 440, 441, 442, 443, 486, 508],
            authFailureReasons: AuthFailureReason.allCases.map(\.rawValue),
            refusalReasons: TURNRefusal.policyLabels,
            sendErrorLabels: TURNServerService.sendErrorLabels,
            engineBackends: TURNServerService.engineBackends
        )
        let serviceConfiguration: TURNServerService.Configuration
        let gatewayConfiguration: GatewayConfiguration?
        do {
            serviceConfiguration = try RelaySetup.serviceConfiguration(configuration)
            gatewayConfiguration = try GatewaySetup.gatewayConfiguration(configuration)
        } catch {
            printError("turngate: \(error)")
            throw ExitCode(2)
        }
        if serviceConfiguration.relay.relaysTURN, serviceConfiguration.relay.relayIPv4 == nil, serviceConfiguration.relay.relayIPv6 == nil {
            logger.warning("no relay address: set relay-ip (or a specific listening-ip); Allocate requests will fail")
        }
        if gatewayConfiguration != nil, configuration.advertisedTURNURIs.isEmpty {
            logger.warning("no turn-uris and no address to derive them from: credentials carry no URIs", metadata: [
                "turn.hint": "set turn-uris, external-ip, or a specific listening-ip or relay-ip",
            ])
        }
        for warning in (try? RelaySetup.userDatabase(configuration).warnings) ?? [] {
            logger.warning("\(warning)")
        }
        for warning in RelaySetup.unlimitedQuotaWarnings(configuration) {
            logger.warning("\(warning)")
        }
        let cluster: Cluster?
        do {
            cluster = try await Cluster.connect(configuration, realm: serviceConfiguration.authenticator.realm, logger: logger)
        } catch {
            printError("turngate: \(error)")
            throw ExitCode(1)
        }
        let server: TURNServerService
        do {
            server = try TURNServerService(
                configuration: serviceConfiguration,
                group: MultiThreadedEventLoopGroup.singleton,
                metrics: metrics,
                logger: logger,
                observer: cluster?.observer
            )
        } catch {
            printError("turngate: \(error)")
            throw ExitCode(2)
        }
        let clusterService = try cluster.map {
            try $0.start(server: server, base: RelaySetup.credentialBase(configuration), uris: configuration.advertisedTURNURIs)
        }
        if let clusterService {
            services.append(.init(service: clusterService))
            await clusterService.sync?.firstRead(within: .seconds(5))
        }
        let readiness = NodeReadiness(server: server, cluster: clusterService)
        services.append(.init(service: ReadinessReporter(readiness: readiness, factory: MetricsSystem.factory)))
        var gateway: Gateway?
        let securityLog = try configuration.securityLogFile.map(SecurityLogFile.init(path:))
        defer { securityLog?.shutdown() }
        if let gatewayConfiguration {
            do {
                let signalBus = gatewayConfiguration.signaling == nil ? nil : try cluster?.makeSignalBus()
                if let signalBus { services.append(.init(service: signalBus)) }
                let created = try await Gateway(
                    configuration: gatewayConfiguration,
                    relay: RelayAdministration(server: server, nodes: clusterService?.nodes, readinessCheck: readiness),
                    revocations: server.revocations,
                    metricsFactory: MetricsSystem.factory,
                    logger: Logger(label: "turngate.gateway"),
                    securityLogger: securityLog?.logger() ?? Logger(label: "turngate.security"),
                    metricsText: { exposition.text() },
                    prepareListener: GatewayListenerBackoff.prepareListener(logger: Logger(label: "turngate.gateway")),
                    signalBus: signalBus
                )
                services += created.services.map { .init(service: $0) }
                gateway = created
            } catch {
                printError("turngate: \(error)")
                throw ExitCode(2)
            }
        }
        let drainSignals = ([SIGUSR1] + (configuration.drainOnSigterm ? [SIGTERM] : [])).map { number in
            SignalWatcher(number) { server.drain() }
        }
        defer { drainSignals.forEach { $0.cancel() } }
        let reloader = ConfigurationReloader(
            path: self.configFile, options: self.options, server: server, gateway: gateway, credentialSync: clusterService?.sync, clusterNodes: clusterService?.nodes,
            metricsTLS: metricsTLS, levelSwitch: levelSwitch, logger: logger)
        let reloadSignal = SignalWatcher(SIGHUP) { Task { await reloader.reload() } }
        defer { reloadSignal.cancel() }
        let tlsReloadSignal = SignalWatcher(SIGUSR2) { reloader.reloadTLS() }
        defer { tlsReloadSignal.cancel() }
        let certificateFiles = Self.certificateFiles(relay: serviceConfiguration, gateway: gatewayConfiguration, metrics: configuration)
        if configuration.certReloadInterval > 0, !certificateFiles.isEmpty {
            services.append(.init(service: FileChangeWatcher(
                paths: certificateFiles, interval: .seconds(configuration.certReloadInterval), subject: "certificate files",
                reload: { reloader.reloadTLS() }, logger: logger)))
        }
        if let userDB = configuration.userDB {
            services.append(.init(service: FileChangeWatcher(
                paths: [userDB], interval: Self.userDatabaseInterval, subject: "userdb", reload: { await reloader.reloadCredentials() }, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)] + services,
                gracefulShutdownSignals: configuration.drainOnSigterm ? [.sigint] : [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info("starting", metadata: ["turn.version": "\(TurnGateVersion.current)"])
        do {
            try await group.run()
        } catch {
            logger.critical("stopped with an error", metadata: ["turn.error": "\(error)"])
            printError("turngate: \(Self.describe(error))")
            throw ExitCode(1)
        }
        logger.info("stopped")
    }

    /// How often `userdb` is checked for a change (the interval of the Redis users' reads).
    static let userDatabaseInterval: Duration = .seconds(5)

    /// The certificate and key files the node serves: TURN's (`cert`, `pkey`) and the API's.
    private static func certificateFiles(
        relay: TURNServerService.Configuration, gateway: GatewayConfiguration?, metrics: TURNServerConfiguration
    ) -> [String] {
        var paths: [String] = []
        if let tls = relay.tls { paths += [tls.certificateChainFile, tls.privateKeyFile] }
        if let files = gateway?.tls { paths += [files.certificateChainPath, files.privateKeyPath] }
        if let files = metrics.prometheusTLSFiles { paths += [files.certificateChain, files.privateKey] }
        return Array(Set(paths)).sorted()
    }

    /// Reads the file and options; prints every diagnostic; exits 2 on any error.
    private func loadConfiguration() throws -> TURNServerConfiguration {
        let (configuration, diagnostics) = try ConfigurationFile.load(path: self.configFile, options: self.options)
        ConfigurationFile.print(diagnostics, origin: self.configFile)
        if diagnostics.contains(where: { $0.severity == .error }) {
            printError("turngate: the configuration is invalid; not starting")
            throw ExitCode(2)
        }
        return configuration
    }

    private static func describe(_ error: any Error) -> String {
        if let listenerError = error as? ListenerError { return listenerError.description }
        if let metricsError = error as? MetricsEndpointError { return metricsError.description }
        return "\(error)"
    }
}
