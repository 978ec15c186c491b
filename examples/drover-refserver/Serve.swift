import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RefModel
import RefServer

/// `serve`: runs the OIP v2 server until SIGTERM/SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the reference model over OIP v2 REST.")

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free port; see --port-file).") var port = 8000
    @Option(help: "Model name on the wire.") var model = RefModelCatalog.modelName
    @Option(help: "Comma-separated versions to serve (all start loaded).") var versions = RefModelCatalog.versionIDs
        .joined(separator: ",")
    @Option(help: "The version /v2/models/<model>/infer uses.") var defaultVersion = "1"
    @Option(help: "Write the bound port to this file once listening.") var portFile: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    @Option(help: "Fault: added latency of every inference, in ms.") var latencyMs = 0.0
    @Option(help: "Fault: ± uniform jitter around --latency-ms, in ms.") var jitterMs = 0.0
    @Option(help: "Fault: fraction (0…1) of inference requests answered 500.") var errorRate = 0.0
    @Flag(help: "Fault: inference requests hang until cleared via POST /admin/faults {\"hang\":false}.") var hang =
        false
    @Option(help: "Fault: off | next_request (exit on the next non-admin request) | now (exit right after start).")
    var crash = "off"
    @Option(help: "Fault: exit code of a crash (non-zero).") var crashExitCode: Int32 = 70
    @Option(help: "Fault: added to every score.") var skewAdd = 0.0
    @Option(help: "Fault: every score multiplied by this (before --skew-add).") var skewMultiply = 1.0
    @Flag(help: "Fault: readiness endpoints answer not ready.") var notReady = false
    @Option(help: "Seed of the fault random stream (error rate, jitter).") var faultSeed: UInt64 = 1

    func run() async throws {
        guard let crashMode = FaultSettings.Crash(rawValue: crash) else {
            throw ValidationError("--crash must be off, next_request or now; got \"\(crash)\"")
        }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "drover.refserver")
        logger.logLevel = level

        var configuration = RefServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.modelName = model
        configuration.versions = versions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        configuration.defaultVersion = defaultVersion
        var faults = FaultSettings()
        faults.latencyMs = latencyMs
        faults.jitterMs = jitterMs
        faults.errorRate = errorRate
        faults.hang = hang
        faults.crash = crashMode == .now ? .off : crashMode
        faults.crashExitCode = crashExitCode
        faults.skewAdd = skewAdd
        faults.skewMultiply = skewMultiply
        faults.notReady = notReady
        faults.seed = faultSeed
        configuration.faults = faults

        let state: RefServerState
        do throws(OIPError) {
            state = try RefServerState(
                configuration: configuration,
                exitHandler: { code in
                    Logger(label: "drover.refserver").critical(
                        "crash fault: exiting", metadata: ["exit_code": "\(code)"])
                    Foundation.exit(code)
                })
        } catch {
            throw ValidationError(error.message)
        }
        _ = RefModelCatalog.all  // train and derive the versions before listening
        let portFile = self.portFile
        let bootConfiguration = configuration
        let bootLogger = logger
        let app = buildRefServer(
            configuration: configuration, state: state, logger: logger,
            onBound: { bound in
                bootLogger.info("listening", metadata: ["host": "\(bootConfiguration.host)", "port": "\(bound)"])
                if let portFile {
                    let temporary = portFile + ".tmp"
                    do {
                        try "\(bound)\n".write(toFile: temporary, atomically: false, encoding: .utf8)
                        _ = rename(temporary, portFile)
                    } catch {
                        bootLogger.error(
                            "could not write the port file", metadata: ["path": "\(portFile)", "error": "\(error)"])
                    }
                }
                if crashMode == .now { state.updateFaultsIgnoringErrors(FaultPatch(crash: .now)) }
            })
        try await app.runService()
    }
}

extension RefServerState {
    fileprivate func updateFaultsIgnoringErrors(_ patch: FaultPatch) {
        _ = try? updateFaults(patch)
    }
}
