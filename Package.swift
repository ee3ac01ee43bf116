// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

/// The data path's modules (the engine, the relay loops, the processor) in release builds: no
/// run-time exclusivity checks, which cost about 2.5% of the relay's CPU per packet (a profile
/// at 40,000 relayed packets/s). Debug builds, which every test runs, keep them.
let dataPathSettings: [SwiftSetting] = strictSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "TurnGate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "turngate", targets: ["turngate"]),
        .executable(name: "turngate-bench", targets: ["turngate-bench"]),
        .library(name: "STUNWire", targets: ["STUNWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .target(
            name: "IPAddressing",
            swiftSettings: strictSettings
        ),
        .target(
            name: "STUNWire",
            dependencies: ["IPAddressing", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(name: "CDatagramCalls"),
        .target(name: "CURing", linkerSettings: [.linkedLibrary("uring")]),
        .target(
            name: "DatagramEngine",
            dependencies: ["STUNWire", "CDatagramCalls", "CURing"],
            swiftSettings: dataPathSettings
        ),
        .target(
            name: "TURNAuth",
            dependencies: ["STUNWire", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TURNCore",
            dependencies: ["IPAddressing", "STUNWire", "TURNAuth"],
            swiftSettings: dataPathSettings
        ),
        .target(
            name: "TURNLogging",
            swiftSettings: strictSettings
        ),
        .target(
            name: "TURNMetrics",
            dependencies: [.product(name: "CoreMetrics", package: "swift-metrics")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GatewayAPI",
            dependencies: [
                "IPAddressing", "TURNAuth", "TURNLogging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "TURNRedis",
            dependencies: [
                "CHiredis",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "TURNSQLite",
            dependencies: ["CSQLite"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TURNConfig",
            dependencies: ["IPAddressing"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TURNServer",
            dependencies: [
                "STUNWire", "TURNCore", "TURNAuth", "TURNMetrics", "TURNLogging", "DatagramEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: dataPathSettings
        ),
        .executableTarget(
            name: "turngate",
            dependencies: [
                "TURNServer", "TURNConfig", "TURNCore", "TURNMetrics", "TURNAuth", "STUNWire", "GatewayAPI", "TURNRedis", "TURNSQLite", "TURNLogging",
                "DatagramEngine",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "turngate-bench",
            dependencies: [
                "STUNWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "bench/TurnGateBench",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "stunwire-fuzz",
            dependencies: ["STUNWire", "TURNAuth", "TURNCore"],
            path: "Fuzz/STUNWireFuzz",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "turngate-fuzz",
            dependencies: [
                "STUNWire", "TURNAuth", "TURNCore", "TURNConfig", "TURNServer", "GatewayAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Fuzz/TurnGateFuzz",
            swiftSettings: strictSettings
        ),
        .target(name: "TURNTestSupport", dependencies: ["STUNWire"], path: "Tests/TURNTestSupport"),
        .testTarget(name: "IPAddressingTests", dependencies: ["IPAddressing", "TURNTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "DatagramEngineTests", dependencies: ["DatagramEngine", "STUNWire"], swiftSettings: strictSettings),
        .testTarget(
            name: "STUNWireTests", dependencies: ["STUNWire", "TURNTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "TURNConfigTests", dependencies: ["TURNConfig", "IPAddressing", "TURNTestSupport"]),
        .testTarget(name: "TURNCoreTests", dependencies: ["TURNCore", "IPAddressing", "TURNAuth", "STUNWire", "TURNTestSupport"]),
        .testTarget(name: "TURNAuthTests", dependencies: ["TURNAuth", "STUNWire", "TURNTestSupport"]),
        .testTarget(name: "TURNLoggingTests", dependencies: ["TURNLogging"], swiftSettings: strictSettings),
        .testTarget(name: "TURNSQLiteTests", dependencies: ["TURNSQLite", "CSQLite"], swiftSettings: strictSettings),
        .testTarget(
            name: "TURNRedisTests",
            dependencies: ["TURNRedis", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatewayAPITests",
            dependencies: [
                "GatewayAPI", "IPAddressing", "TURNAuth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TURNServerTests",
            dependencies: [
                "TURNServer", "STUNWire", "TURNCore", "TURNMetrics", "TURNAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
