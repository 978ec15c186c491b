import AgentCore
import ArgumentParser
import CurlTransport
import Logging
import Metrics
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Options shared by `run` and `check-config`: the file plus the most common overrides.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (YAML or JSON).")
    var config: String?

    @Option(name: .long, help: "Agent id (agent.id).")
    var agentID: String?

    @Option(name: .long, help: "Inference server base URL (server.url).")
    var serverURL: String?

    @Option(name: .long, help: "Control plane base URL (control_plane.url).")
    var controlPlaneURL: String?

    @Option(name: .long, help: "Directory for the spool and cached profiles (agent.state_dir).")
    var stateDir: String?

    @Option(name: .long, help: "Port of the agent's endpoints (listen.port).")
    var listenPort: Int?

    @Option(name: .long, help: "Log level (agent.log_level).")
    var logLevel: String?

    @Option(name: .long, help: ArgumentHelp("Any key, e.g. --set probes.interval=2s (repeatable).", valueName: "key=value"))
    var set: [String] = []

    func overrides() throws -> [ConfigOverride] {
        var out: [ConfigOverride] = []
        if let agentID { out.append(.init(flag: "--agent-id", key: "agent.id", value: agentID)) }
        if let serverURL { out.append(.init(flag: "--server-url", key: "server.url", value: serverURL)) }
        if let controlPlaneURL { out.append(.init(flag: "--control-plane-url", key: "control_plane.url", value: controlPlaneURL)) }
        if let stateDir { out.append(.init(flag: "--state-dir", key: "agent.state_dir", value: stateDir)) }
        if let listenPort { out.append(.init(flag: "--listen-port", key: "listen.port", value: String(listenPort))) }
        if let logLevel { out.append(.init(flag: "--log-level", key: "agent.log_level", value: logLevel)) }
        for item in set {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("--set expects key=value, got \"\(item)\"")
            }
            out.append(.init(flag: "--set", key: String(item[..<eq]), value: String(item[item.index(after: eq)...])))
        }
        return out
    }

    func load() throws -> AgentConfig {
        var environment: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if text.hasPrefix("DROVER_"), let eq = text.firstIndex(of: "=") {
                environment[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        do {
            return try AgentConfig.load(file: config, environment: environment, overrides: try overrides())
        } catch let error as ConfigError {
            printError("drover-agent: the configuration has \(error.problems.count) problem(s):\n" + error.description)
            throw ExitCode(2)
        }
    }
}

func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

@main
struct DroverAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drover-agent",
        abstract: "The Drover sidecar: probes a model server, measures drift and validation, fails over, reports durably.",
        discussion: """
            Configuration precedence: flags > DROVER_* environment variables > the file > defaults.
            Every key's variable is DROVER_ + the key upper-cased with dots as underscores (server.url -> DROVER_SERVER_URL).
            Keys: drover-agent check-config --keys. Example: deploy/agent/agent.yaml. Guide: docs/agent.md.
            """,
        version: AgentCoreInfo.version,
        subcommands: [Run.self, CheckConfig.self],
        defaultSubcommand: Run.self)
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the agent (the default command).")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Write the bound port of the agent's endpoints to this file once listening.")
    var portFile: String?

    func run() async throws {
        let config = try options.load()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: config.agent.logLevel) ?? .info
            return handler
        }
        let metrics = PrometheusTextMetrics()
        MetricsSystem.bootstrap(metrics)
        var logger = Logger(label: "drover-agent")
        logger[metadataKey: "agent.id"] = "\(config.agent.id)"
        try CurlGlobal.initialize()
        let transport = try CurlTransport(configuration: .init(timeout: max(config.server.timeout, config.controlPlane.longPoll + config.controlPlane.timeout), userAgent: "drover-agent/\(AgentCoreInfo.version)"))
        let portFile = self.portFile
        let assembly = try AgentAssembly(
            config: config, transport: transport, clock: ContinuousClock(), logger: logger, metrics: metrics,
            onListening: { port in
                if let portFile { try? FileIO.writeAtomically(Array("\(port)\n".utf8), to: portFile) }
            })
        let depth = await assembly.spool.depth
        logger.info(
            "starting",
            metadata: ["model": "\(config.server.model)", "server": "\(config.server.url)", "control_plane": "\(config.controlPlane.url ?? "none")",
                       "spool.depth": "\(depth)"])
        let group = ServiceGroup(
            configuration: .init(services: assembly.services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Check a configuration: every problem is printed with its file, line, key and reason.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "List every key with its environment variable and default, then exit.")
    var keys = false

    func run() throws {
        if keys {
            for key in ConfigKey.all {
                print("\(key.name)  [\(key.kind.rawValue)]  \(key.environmentVariable)  default: \(key.defaultValue ?? "-")\n    \(key.help)")
            }
            return
        }
        let config = try options.load()
        print(
            "ok: agent \(config.agent.id) watches \(config.server.kind.rawValue) model \(config.server.model) at \(config.server.url); "
                + "control plane \(config.controlPlane.url ?? "none"); listening on \(config.listen.host):\(config.listen.port)")
    }
}
