import DroverAPI

/// A desired-state change refused because the version's declared inputs do not match what the selected agents
/// see (ControlPlaneHTTP answers 409 `schema_mismatch` with the whole check); pass `force` to set it anyway.
public struct SchemaMismatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failing check, group by group.
    public let check: SchemaCheck

    /// Creates the error from a failing check.
    public init(check: SchemaCheck) { self.check = check }

    /// The stable code, `schema_mismatch`.
    public var codeName: String { "schema_mismatch" }

    /// What does not match and what to do.
    public var message: String {
        let blocking = check.groups.filter { !$0.compatible }
        let agents = blocking.reduce(0) { $0 + $1.agents.count }
        var text = "\(check.model)/\(check.version) declares inputs that the traffic of \(agents) selected agent"
            + (agents == 1 ? "" : "s") + " does not match: "
        text += blocking.map(Self.describe).joined(separator: "; ")
        text += ". Register a version whose inputs match the traffic, narrow the selector, or set it anyway with force"
            + " (written to the audit log)."
        return text
    }

    /// `a, b: missing x, y; kind mismatch z (declared numeric, seen categorical)` for one group.
    static func describe(_ group: SchemaCheckGroup) -> String {
        let shown = group.agents.prefix(3).joined(separator: ", ") + (group.agents.count > 3 ? " +\(group.agents.count - 3) more" : "")
        var parts: [String] = []
        if !group.missing.isEmpty { parts.append("missing " + list(group.missing)) }
        for m in group.kindMismatches.prefix(5) {
            parts.append(
                "\(m.name) is \(m.observed.map(\.rawValue).joined(separator: "/")) but declared "
                    + m.declared.map(\.rawValue).joined(separator: "/"))
        }
        if group.kindMismatches.count > 5 { parts.append("+\(group.kindMismatches.count - 5) more kind mismatches") }
        if !group.extra.isEmpty { parts.append("extra (not blocking) " + list(group.extra)) }
        return "[\(shown)] " + parts.joined(separator: ", ")
    }

    private static func list(_ names: [String]) -> String {
        names.prefix(8).joined(separator: ", ") + (names.count > 8 ? " +\(names.count - 8) more" : "")
    }

    /// The message.
    public var description: String { "\(codeName): \(message)" }
}
