import ArgumentParser

/// `drover-refserver`: a reference OIP v2 model server and a traffic generator, for demos and end-to-end tests.
@main
struct DroverRefServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drover-refserver",
        abstract: "A reference e-commerce ranking model server (Open Inference Protocol v2) and a traffic generator.",
        discussion: """
            Serves the model "ranker" in four versions: 1 float32 baseline, 2 int8 quantized, 3 pruned (50%), \
            4 degraded. Fault knobs (latency, errors, hang, crash, skew, readiness) are set by flags or at \
            runtime with POST /admin/faults. See docs/reference-server.md.
            """,
        subcommands: [Serve.self, Describe.self, Traffic.self],
        defaultSubcommand: Serve.self)
}
