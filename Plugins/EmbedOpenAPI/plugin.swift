import Foundation
import PackagePlugin

/// Compiles `docs/openapi.json` into ControlPlaneHTTP as `OpenAPIDocument.json`, so the file in docs/ is the only
/// copy and the control plane binary needs no resource bundle next to it.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    /// One build command: `embed-openapi docs/openapi.json <work>/OpenAPIDocument+JSON.swift`.
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let input = context.package.directoryURL.appending(path: "docs/openapi.json")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument+JSON.swift")
        return [
            .buildCommand(
                displayName: "Embedding docs/openapi.json in \(target.name)",
                executable: try context.tool(named: "embed-openapi").url,
                arguments: [input.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: [input],
                outputFiles: [output])
        ]
    }
}
