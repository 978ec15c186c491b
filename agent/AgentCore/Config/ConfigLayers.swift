import DroverYAML

/// A raw configuration value before it is typed.
enum RawConfigValue: Sendable, Equatable {
    case scalar(String)
    case list([String])
    case map([String: String])
}

/// A raw value and where it came from.
struct ConfigEntry: Sendable, Equatable {
    var value: RawConfigValue
    var origin: ConfigOrigin
}

/// Reads the configuration layers (file, environment, flags) into raw entries keyed by dotted name.
enum ConfigLayers {
    /// Parses a YAML (or JSON, a subset of YAML) document; unknown keys and wrong shapes become problems.
    static func parseFile(text: String, path: String, problems: inout [ConfigProblem]) -> [String: ConfigEntry] {
        let root: YAMLNode?
        do {
            root = try YAML.parse(text)
        } catch {
            problems.append(
                .init(origin: .file(path: path, line: error.line, column: error.column), key: "(file)", reason: error.message))
            return [:]
        }
        guard let root else { return [:] }
        guard let mapping = root.mapping else {
            problems.append(
                .init(origin: .file(path: path, line: root.line), key: "(file)",
                      reason: "the top level must be a mapping of sections (agent, server, probes, …)"))
            return [:]
        }
        var out: [String: ConfigEntry] = [:]
        walk(mapping, prefix: "", path: path, into: &out, problems: &problems)
        return out
    }

    private static func walk(
        _ mapping: [YAMLNode.Pair], prefix: String, path: String, into out: inout [String: ConfigEntry],
        problems: inout [ConfigProblem]
    ) {
        for pair in mapping {
            let name = prefix + (pair.key.string ?? "?")
            let origin = ConfigOrigin.file(path: path, line: pair.key.line)
            if let key = ConfigKey.named(name) {
                if let value = raw(pair.value, kind: key.kind, name: name, origin: origin, problems: &problems) {
                    out[name] = ConfigEntry(value: value, origin: origin)
                }
            } else if ConfigKey.all.contains(where: { $0.name.hasPrefix(name + ".") }) {
                if let inner = pair.value.mapping {
                    walk(inner, prefix: name + ".", path: path, into: &out, problems: &problems)
                } else if !isNull(pair.value) {
                    problems.append(.init(origin: origin, key: name, reason: "must be a mapping of keys (a section)"))
                }
            } else {
                problems.append(.init(origin: origin, key: name, reason: unknownKeyReason(name)))
            }
        }
    }

    /// A plain null (`~`, `null`, nothing) or an empty string: the key is treated as not set.
    private static func isNull(_ node: YAMLNode) -> Bool {
        node.isNull || node.string == ""
    }

    private static func raw(
        _ node: YAMLNode, kind: ConfigKey.Kind, name: String, origin: ConfigOrigin, problems: inout [ConfigProblem]
    ) -> RawConfigValue? {
        if isNull(node) { return nil }
        switch (kind, node.content) {
        case (.list, .sequence(let seq)):
            var items: [String] = []
            for item in seq {
                guard let text = item.string else {
                    problems.append(.init(origin: origin, key: name, reason: "must be a list of plain values"))
                    return nil
                }
                items.append(text)
            }
            return .list(items)
        case (.list, .scalar(let text, _)):
            return .list(splitList(text))
        case (.map, .mapping(let pairs)):
            var items: [String: String] = [:]
            for pair in pairs {
                guard let ks = pair.key.string else {
                    problems.append(.init(origin: origin, key: name, reason: "must map names to plain values"))
                    return nil
                }
                switch pair.value.content {
                case .scalar(let vs, _):
                    items[ks] = vs
                case .sequence(let seq) where seq.allSatisfy({ $0.string != nil }):
                    items[ks] = seq.compactMap(\.string).joined(separator: ",")
                default:
                    problems.append(.init(origin: origin, key: name, reason: "must map names to plain values or lists"))
                    return nil
                }
            }
            return .map(items)
        case (.map, _):
            problems.append(.init(origin: origin, key: name, reason: "must be a mapping like {zone: eu-1}"))
            return nil
        case (_, .scalar(let text, _)):
            return .scalar(text)
        default:
            problems.append(.init(origin: origin, key: name, reason: "must be a single value, not a list or mapping"))
            return nil
        }
    }

    /// Reads `DROVER_*` variables for the known keys.
    static func environment(_ env: [String: String], problems: inout [ConfigProblem]) -> [String: ConfigEntry] {
        var out: [String: ConfigEntry] = [:]
        for key in ConfigKey.all {
            let variable = key.environmentVariable
            guard let text = env[variable] else { continue }
            if let value = parseText(text, kind: key.kind, name: key.name, origin: .environment(variable), problems: &problems) {
                out[key.name] = ConfigEntry(value: value, origin: .environment(variable))
            }
        }
        return out
    }

    /// Reads flag overrides given as (flag name, dotted key, text).
    static func flags(_ overrides: [ConfigOverride], problems: inout [ConfigProblem]) -> [String: ConfigEntry] {
        var out: [String: ConfigEntry] = [:]
        for override in overrides {
            let origin = ConfigOrigin.flag(override.flag)
            guard let key = ConfigKey.named(override.key) else {
                problems.append(.init(origin: origin, key: override.key, reason: unknownKeyReason(override.key)))
                continue
            }
            if let value = parseText(override.value, kind: key.kind, name: key.name, origin: origin, problems: &problems) {
                out[key.name] = ConfigEntry(value: value, origin: origin)
            }
        }
        return out
    }

    /// The built-in defaults.
    static func defaults() -> [String: ConfigEntry] {
        var out: [String: ConfigEntry] = [:]
        var ignored: [ConfigProblem] = []
        for key in ConfigKey.all {
            guard let text = key.defaultValue,
                  let value = parseText(text, kind: key.kind, name: key.name, origin: .defaultValue, problems: &ignored)
            else { continue }
            out[key.name] = ConfigEntry(value: value, origin: .defaultValue)
        }
        return out
    }

    private static func parseText(
        _ text: String, kind: ConfigKey.Kind, name: String, origin: ConfigOrigin, problems: inout [ConfigProblem]
    ) -> RawConfigValue? {
        switch kind {
        case .list:
            return .list(splitList(text))
        case .map:
            var items: [String: String] = [:]
            for pair in splitList(text) {
                guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                    problems.append(.init(origin: origin, key: name, reason: "expected k=v pairs separated by commas, got \"\(pair)\""))
                    return nil
                }
                items[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            return .map(items)
        default:
            return .scalar(text)
        }
    }

    private static func splitList(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    static func unknownKeyReason(_ name: String) -> String {
        let best = ConfigKey.all.map { ($0.name, editDistance($0.name, name)) }.min { $0.1 < $1.1 }
        if let best, best.1 <= max(3, name.count / 4) {
            return "unknown key; did you mean \(best.0)?"
        }
        return "unknown key; see docs/agent.md or `drover-agent check-config --keys` for the keys the agent understands"
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A configuration value given on the command line.
public struct ConfigOverride: Sendable, Equatable {
    /// The flag as typed (`--server-url`, `--set`), for error messages.
    public var flag: String
    /// The dotted key it sets.
    public var key: String
    /// The value as text.
    public var value: String

    /// Creates an override.
    public init(flag: String, key: String, value: String) {
        self.flag = flag
        self.key = key
        self.value = value
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\r\n".unicodeScalars.contains($0) }),
              let last = scalars.lastIndex(where: { !" \t\r\n".unicodeScalars.contains($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
