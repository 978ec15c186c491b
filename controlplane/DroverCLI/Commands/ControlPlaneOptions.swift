import ArgumentParser
import CurlTransport
import DroverAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--server` and `--token`, shared by every control-plane command (environment `DROVER_SERVER`, `DROVER_TOKEN`).
public struct ControlPlaneOptions: ParsableArguments, Sendable {
    /// The default control-plane URL.
    public static let defaultServer = "http://127.0.0.1:8480"

    /// The control-plane URL given on the command line.
    @Option(name: .long, help: "Control plane URL (env DROVER_SERVER; default \(ControlPlaneOptions.defaultServer)).")
    public var server: String?

    /// The bearer token given on the command line.
    @Option(name: .long, help: "API token (env DROVER_TOKEN). Never printed.")
    public var token: String?

    /// Creates empty options.
    public init() {}

    /// The URL to use: the flag, else `DROVER_SERVER`, else the default.
    public func resolvedServer(environment: [String: String]) -> String {
        let value = server ?? environment["DROVER_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultServer
        var url = value
        if !url.contains("://") { url = "http://" + url }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// The token to use: the flag, else `DROVER_TOKEN`.
    public func resolvedToken(environment: [String: String]) -> String? {
        token ?? environment["DROVER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A client over libcurl for the resolved server and token.
    func makeClient(environment: [String: String]) throws(CLIError) -> DroverClient {
        let server = resolvedServer(environment: environment)
        do {
            try CurlGlobal.initialize()
            var configuration = CurlTransport.Configuration(connectTimeout: .seconds(3), timeout: .seconds(30), userAgent: "droverctl")
            if Self.isLoopback(server) { configuration.proxy = "" }
            let transport = try CurlTransport(configuration: configuration)
            return DroverClient(transport: transport, baseURL: server, token: resolvedToken(environment: environment))
        } catch {
            throw .unexpected("cannot start the HTTP client (libcurl): \(error)")
        }
    }

    static func isLoopback(_ url: String) -> Bool {
        guard let scheme = url.firstRange(of: "://") else { return false }
        let rest = url[scheme.upperBound...]
        return rest.hasPrefix("127.") || rest.hasPrefix("localhost") || rest.hasPrefix("[::1]")
    }
}

/// The process environment as a dictionary.
func processEnvironment() -> [String: String] {
    var environment: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let eq = text.firstIndex(of: "=") {
            environment[String(text[..<eq])] = String(text[text.index(after: eq)...])
        }
        pointer += 1
    }
    return environment
}

/// Writes text to standard error.
func writeStandardError(_ text: String) {
    let bytes = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
