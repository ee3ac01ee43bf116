import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import NIOPosix
import Prometheus
import ServiceLifecycle
import TURNConfig
import TURNCore
import TURNMetrics
import TURNServer

/// `turngate`: the STUN/TURN relay, configured like coturn.
@main
struct TurnGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turngate",
        abstract: "TurnGate: a STUN/TURN relay server that reads coturn's turnserver.conf.",
        discussion: """
            Every option of turnserver.conf can also be given on the command line as a long \
            option (--listening-port 3478, --fingerprint), overriding the file. \
            --strict-config turns warnings about unknown or unsupported options into errors.

            Exit status: 0 after a clean stop (SIGTERM or SIGINT), 1 when the server cannot \
            start (a port is taken), 2 when the configuration is invalid.
            """,
        version: TurnGateVersion.current
    )

    @Option(name: [.customShort("c"), .customLong("config")], help: "The configuration file (coturn's turnserver.conf syntax).")
    var configFile: String?

    @Argument(parsing: .allUnrecognized, help: "Configuration options as --key [value], e.g. --listening-port 3478.")
    var options: [String] = []

    func run() async throws {
        let configuration = try self.loadConfiguration()
        let output = try LogOutput(configuration: configuration)
        let level = Logger.Level(rawValue: configuration.logLevel.rawValue) ?? .info
        let format = configuration.logFormat
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label, output: output, format: format == .json ? .json : .text)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "turngate")
        let pidFile = try configuration.pidFile.map(PIDFile.init(path:))
        defer { pidFile?.remove() }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if configuration.prometheusEnabled {
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            services.append(.init(service: PrometheusEndpoint(
                registry: registry,
                host: configuration.prometheusAddress ?? "0.0.0.0",
                port: configuration.prometheusPort,
                group: MultiThreadedEventLoopGroup.singleton,
                logger: logger
            )))
        }
        let metrics = RelayMetrics(
            factory: MetricsSystem.factory,
            ignoreReasons: TURNServerService.ignoreReasons,
            errorCodes: [400, 401, 403, 420, 437, 438, 440, 441, 442, 443, 486, 508]
        )
        let serviceConfiguration: TURNServerService.Configuration
        do {
            serviceConfiguration = try RelaySetup.serviceConfiguration(configuration)
        } catch {
            Self.printError("turngate: \(error)")
            throw ExitCode(2)
        }
        if serviceConfiguration.relay.relayIPv4 == nil, serviceConfiguration.relay.relayIPv6 == nil {
            logger.warning("no relay address: set relay-ip (or a specific listening-ip); Allocate requests will fail")
        }
        let server = TURNServerService(
            configuration: serviceConfiguration,
            group: MultiThreadedEventLoopGroup.singleton,
            metrics: metrics,
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server)] + services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info("starting", metadata: ["turn.version": "\(TurnGateVersion.current)"])
        do {
            try await group.run()
        } catch {
            logger.critical("stopped with an error", metadata: ["turn.error": "\(error)"])
            Self.printError("turngate: \(Self.describe(error))")
            throw ExitCode(1)
        }
        logger.info("stopped")
    }

    /// Reads the file and options; prints every diagnostic; exits 2 on any error.
    private func loadConfiguration() throws -> TURNServerConfiguration {
        var fileText = ""
        if let configFile = self.configFile {
            do {
                fileText = try String(contentsOfFile: configFile, encoding: .utf8)
            } catch {
                Self.printError("turngate: cannot read \(configFile): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: fileText, arguments: self.options, strict: false)
        let origin = self.configFile ?? "command line"
        for diagnostic in diagnostics {
            Self.printError(diagnostic.line == nil ? "turngate: \(diagnostic)" : "\(origin): \(diagnostic)")
        }
        if diagnostics.contains(where: { $0.severity == .error }) {
            Self.printError("turngate: the configuration is invalid; not starting")
            throw ExitCode(2)
        }
        return configuration
    }

    private static func describe(_ error: any Error) -> String {
        if let listenerError = error as? ListenerError { return listenerError.description }
        if let metricsError = error as? MetricsEndpointError { return metricsError.description }
        return "\(error)"
    }

    private static func printError(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }
}
