/// Where a configuration value came from, so an error can point at it.
public enum ConfigOrigin: Sendable, Equatable, CustomStringConvertible {
    /// A line (and, for syntax errors, a column) of a configuration file.
    case file(path: String, line: Int?, column: Int? = nil)
    /// An environment variable.
    case environment(String)
    /// A command-line flag.
    case flag(String)
    /// The built-in default.
    case defaultValue

    /// `agent.yaml:12`, `agent.yaml:12:5`, `env DROVER_SERVER_URL`, `flag --server-url`, `default`.
    public var description: String {
        switch self {
        case .file(let path, let line, let column):
            guard let line else { return path }
            return column.map { "\(path):\(line):\($0)" } ?? "\(path):\(line)"
        case .environment(let name): return "env \(name)"
        case .flag(let name): return "flag \(name)"
        case .defaultValue: return "default"
        }
    }
}

/// One thing wrong with a configuration: where, which key, and what to do about it.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// Where the offending value came from.
    public var origin: ConfigOrigin
    /// The dotted key, e.g. `server.url`.
    public var key: String
    /// What is wrong and what is expected.
    public var reason: String

    /// Creates a problem.
    public init(origin: ConfigOrigin, key: String, reason: String) {
        self.origin = origin
        self.key = key
        self.reason = reason
    }

    /// `agent.yaml:12: server.url: <reason>`.
    public var description: String { "\(origin): \(key): \(reason)" }
}

/// The configuration could not be used; lists every problem found, each with its file, key and reason.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in the order they were found.
    public var problems: [ConfigProblem]

    /// Creates an error from problems.
    public init(problems: [ConfigProblem]) { self.problems = problems }

    /// Creates an error with one problem.
    public init(_ origin: ConfigOrigin, key: String, reason: String) {
        self.problems = [ConfigProblem(origin: origin, key: key, reason: reason)]
    }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
