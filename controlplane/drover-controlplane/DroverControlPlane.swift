import ArgumentParser
import ControlPlaneCore
import ControlPlaneHTTP
import ControlPlaneSQLite
import CurlTransport
import DroverAPI
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals
import Foundation

/// `drover-controlplane`: the fleet's control plane.
@main
struct DroverControlPlane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drover-controlplane",
        abstract: "The Drover control plane: agents, report ingest, fleet health, version registry, desired state, alerts.",
        discussion: """
            Start it:           drover-controlplane serve --data-dir /var/lib/drover
            First admin token:  drover-controlplane token create --role admin --name me --data-dir /var/lib/drover
            The API is described at http://HOST:PORT/v1/openapi.json.
            """,
        subcommands: [Serve.self, Token.self, OpenAPI.self],
        defaultSubcommand: Serve.self)
}

/// `serve`: runs the HTTP API until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the API (graceful shutdown on SIGTERM/SIGINT).",
        discussion: "Settings come from flags, then DROVER_* environment variables, then --config (JSON), then defaults.")

    @Option(help: "Address to listen on, HOST:PORT (env DROVER_LISTEN; default 127.0.0.1:8480).")
    var listen: String?

    @Option(help: "Directory holding drover.sqlite (env DROVER_DATA_DIR; default ./drover-data).")
    var dataDir: String?

    @Option(help: "JSON configuration file (keys: listen, data_dir, log_level, report_retention_days, …, alerting).")
    var config: String?

    @Option(help: "On first start (no tokens yet), create an admin and an enroll token and write them to this file (mode 0600).")
    var bootstrapTokenFile: String?

    func run() async throws {
        let settings = try ServeConfiguration.resolve(
            listen: listen, dataDir: dataDir, configFile: config, environment: ProcessInfo.processInfo.environment)
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "drover.controlplane")

        try CurlGlobal.initialize()
        let store = try SQLiteControlPlaneStore(dataDirectory: settings.dataDirectory)
        let controlPlane = ControlPlane(
            store: store, ingest: settings.ingest, liveness: settings.liveness,
            maxLongPoll: .seconds(settings.maxLongPollSeconds))
        try await Bootstrap.firstStart(controlPlane: controlPlane, tokenFile: bootstrapTokenFile, dataDirectory: settings.dataDirectory, logger: logger)

        let retention = RetentionService(store: store, configuration: settings.ingest, clock: ContinuousClock(), logger: logger)
        let exporter = FleetHealthExporter(controlPlane: controlPlane, clock: ContinuousClock(), logger: logger)
        // Alerts, retraining and the training monitor share the control plane's SQLite file; their loops
        // (evaluation, webhook delivery, retraining) join the application's service group.
        let alerting = Alerting(
            configuration: settings.alerting, alertStore: SQLiteAlertStore(pool: store.pool),
            retrainStore: SQLiteRetrainStore(pool: store.pool), trainingStore: SQLiteTrainingStore(pool: store.pool),
            transport: try CurlTransport(configuration: .init(userAgent: "drover-controlplane")), logger: logger)
        logger.info(
            "alerting",
            metadata: [
                "rules": "\(settings.alerting.rules?.count ?? AlertRule.defaultRules.count)",
                "receivers": "\(settings.alerting.receivers.map(\.name).joined(separator: ","))",
                "retrain_policies": "\(settings.alerting.retrainPolicies.map(\.model).joined(separator: ","))",
            ])
        let app = buildApplication(
            configuration: settings.http, controlPlane: controlPlane, alerting: alerting,
            metrics: {
                var buffer: [UInt8] = []
                registry.emit(into: &buffer)
                return String(decoding: buffer, as: UTF8.self)
            },
            onServerRunning: { port in
                logger.info("listening", metadata: ["address": "http://\(settings.host):\(port)", "data_dir": "\(settings.dataDirectory)"])
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: retention), .init(service: exporter)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let outcome: Result<Void, any Error>
        do { try await group.run(); outcome = .success(()) } catch { outcome = .failure(error) }
        // Rollups merged since the last flush live in memory; write them so the next start need not replay reports.
        do { try await store.flushRollups() } catch {
            logger.error("could not write the in-memory rollups at shutdown (the next start rebuilds them from stored reports)",
                         metadata: ["error": "\(error)"])
        }
        try outcome.get()
        logger.info("stopped")
    }
}

/// `token …`: manage tokens directly in the data directory (for the first admin token).
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API tokens in the data directory.", subcommands: [Create.self])

    /// `token create`: prints a new token once.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once (stdout); store only its hash.")

        @Option(help: "admin, operator, viewer or enroll.")
        var role: String

        @Option(help: "A name for the audit log (default: the role).")
        var name: String?

        @Option(help: "Directory holding drover.sqlite (env DROVER_DATA_DIR; default ./drover-data).")
        var dataDir: String?

        func run() async throws {
            guard let role = Role(rawValue: role), role != .agent else {
                throw ValidationError("--role must be admin, operator, viewer or enroll (agents get tokens by enrolling)")
            }
            let dir = dataDir ?? ProcessInfo.processInfo.environment["DROVER_DATA_DIR"] ?? "./drover-data"
            let store = try SQLiteControlPlaneStore(dataDirectory: dir)
            let cli = Principal(tokenID: "-", name: "cli:\(NSUserNameOrNil() ?? "local")", role: .admin)
            let issued = try await TokenService(store: store).create(role: role, name: name ?? role.rawValue, by: cli)
            print(issued.secret)
            FileHandle.standardError.write(Data("created \(role.rawValue) token \(issued.record.id) (\(issued.record.name)); it is shown only once\n".utf8))
        }
    }
}

/// `openapi`: prints the OpenAPI document the binary serves (docs/openapi.json, embedded at build time).
struct OpenAPI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openapi", abstract: "Print the OpenAPI 3 document of the API.")

    func run() throws { print(OpenAPIDocument.json) }
}

private func NSUserNameOrNil() -> String? { ProcessInfo.processInfo.environment["USER"] }
