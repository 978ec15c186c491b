import ArgumentParser

/// The root `droverctl` command; each feature adds its subcommand to `subcommands`.
public struct DroverCTL: AsyncParsableCommand {
    /// Name, summary and the list of subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "droverctl",
        abstract: "Drover's command-line tool: offline drift reports and control-plane operations.",
        subcommands: [
            DriftCommand.self,
            VersionsCommand.self, FleetCommand.self, AgentsCommand.self, AlertsCommand.self, TokensCommand.self,
            DesiredCommand.self,
        ]
    )

    /// Creates the command.
    public init() {}
}

extension DroverCTL {
    /// Parses `CommandLine.arguments`, runs the chosen subcommand and exits: the whole of `droverctl`'s main.
    public static func runAsMain() async {
        await main()
    }
}
