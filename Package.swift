// swift-tools-version: 6.2
// Drover: a sidecar agent and a control plane that monitor and roll out AI models in
// e-commerce search and recommendation. Layout and layering: see CONVENTIONS in README.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "drover",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "drover-agent", targets: ["drover-agent"]),
        .executable(name: "drover-controlplane", targets: ["drover-controlplane"]),
        .executable(name: "droverctl", targets: ["droverctl"]),
        .executable(name: "drover-refserver", targets: ["drover-refserver"]),
        .executable(name: "drover-bench", targets: ["drover-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: Shared by both sides (no server framework inside)
        .target(name: "DroverAPI", path: "Sources/DroverAPI", swiftSettings: swiftSettings),
        .target(name: "DroverStats", path: "Sources/DroverStats", swiftSettings: swiftSettings),
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CurlTransport",
            dependencies: ["CCurl", "DroverAPI"],
            path: "Sources/CurlTransport",
            swiftSettings: swiftSettings
        ),
        // posix_spawn with default signal dispositions, no blocked signals, own process group (server and tests).
        .target(name: "DroverProcess", path: "Sources/DroverProcess", swiftSettings: swiftSettings),
        // A YAML-subset reader (pure Swift, no Foundation) for the agent's configuration files.
        .target(name: "DroverYAML", path: "Sources/DroverYAML", swiftSettings: swiftSettings),
        .target(
            name: "DroverTestKit",
            dependencies: ["DroverAPI", "DroverStats", "DroverProcess"],
            path: "Sources/DroverTestKit",
            swiftSettings: swiftSettings
        ),

        // MARK: Agent (lean: libcurl out, own HTTP/1.1 listener on sockets; never NIO, Hummingbird, GRDB, PostgresNIO)
        .target(
            name: "AgentCore",
            dependencies: [
                "DroverAPI", "DroverStats", "CurlTransport", "DroverYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "agent/AgentCore",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "drover-agent",
            dependencies: [
                "AgentCore", "CurlTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "agent/drover-agent",
            swiftSettings: swiftSettings
        ),

        // MARK: Control plane
        .target(
            name: "ControlPlaneCore",
            dependencies: [
                "DroverAPI", "DroverStats", "DroverProcess",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "controlplane/ControlPlaneCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ControlPlaneSQLite",
            dependencies: ["ControlPlaneCore", "DroverAPI", .product(name: "GRDB", package: "GRDB.swift")],
            path: "controlplane/ControlPlaneSQLite",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ControlPlaneDashboard",
            dependencies: ["ControlPlaneCore", "DroverAPI", "DroverStats"],
            path: "controlplane/ControlPlaneDashboard",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ControlPlaneHTTP",
            dependencies: [
                "ControlPlaneCore", "ControlPlaneDashboard", "DroverAPI", "DroverStats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "controlplane/ControlPlaneHTTP",
            swiftSettings: swiftSettings,
            plugins: ["EmbedOpenAPI"]
        ),
        // docs/openapi.json is the only copy of the API description; this plugin compiles it into ControlPlaneHTTP.
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["embed-openapi"], path: "Plugins/EmbedOpenAPI"),
        .executableTarget(name: "embed-openapi", path: "Plugins/embed-openapi"),
        .executableTarget(
            name: "drover-controlplane",
            dependencies: [
                "ControlPlaneCore", "ControlPlaneSQLite", "ControlPlaneHTTP", "CurlTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "controlplane/drover-controlplane",
            swiftSettings: swiftSettings
        ),
        // The CLI's logic (commands, tables, offline drift) lives here so tests import it.
        .target(
            name: "DroverCLI",
            dependencies: [
                "DroverAPI", "DroverStats", "CurlTransport", "DroverYAML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "controlplane/DroverCLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "droverctl",
            dependencies: ["DroverCLI", "CurlTransport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "controlplane/droverctl",
            swiftSettings: swiftSettings
        ),

        // MARK: Reference model server and traffic generator (demo + end-to-end tests; the agent never depends on it)
        .target(name: "RefModel", dependencies: ["DroverAPI"], path: "examples/RefModel", swiftSettings: swiftSettings),
        .target(
            name: "RefServer",
            dependencies: [
                "RefModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "examples/RefServer",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "drover-refserver",
            dependencies: [
                "RefModel", "RefServer", "CurlTransport", "DroverAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "examples/drover-refserver",
            swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks (print figures; compared side by side with a baseline by scripts in Benchmarks/)
        .executableTarget(
            name: "drover-bench",
            dependencies: [
                "DroverStats", "DroverAPI", "CurlTransport", "AgentCore", "ControlPlaneCore", "ControlPlaneSQLite", "DroverTestKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/drover-bench",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests (one target per module, plus EndToEndTests with real processes)
        .testTarget(
            name: "DroverAPITests",
            dependencies: ["DroverAPI", "DroverTestKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DroverStatsTests",
            dependencies: ["DroverStats", "DroverTestKit"],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DroverProcessTests",
            dependencies: ["DroverProcess"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DroverYAMLTests", dependencies: ["DroverYAML"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CurlTransportTests",
            dependencies: [
                "CurlTransport", "DroverAPI", "DroverTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AgentCoreTests",
            dependencies: [
                "AgentCore", "DroverAPI", "DroverTestKit", "CurlTransport",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ControlPlaneCoreTests",
            dependencies: ["ControlPlaneCore", "DroverTestKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ControlPlaneSQLiteTests",
            dependencies: [
                "ControlPlaneSQLite", "ControlPlaneCore", "DroverTestKit", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ControlPlaneHTTPTests",
            dependencies: [
                "ControlPlaneHTTP", "ControlPlaneSQLite", "ControlPlaneCore", "CurlTransport", "DroverTestKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DroverCLITests",
            dependencies: ["DroverCLI", "DroverTestKit"],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RefServerTests",
            dependencies: [
                "RefServer", "RefModel", "CurlTransport", "DroverTestKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["DroverAPI", "DroverTestKit", "CurlTransport"],
            swiftSettings: swiftSettings
        ),
    ]
)
