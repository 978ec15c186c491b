/// Whether a version's declared input schema matches the features the selected agents see in their traffic
/// (`GET /v1/models/{m}/versions/{v}/schema-check?selector=k=v,…`; also returned by `PUT /v1/desired`, and in
/// the body of its 409 `schema_mismatch` refusal).
public struct SchemaCheck: Codable, Sendable, Equatable {
    /// Model.
    public var model: String
    /// The version whose declared inputs were compared.
    public var version: String
    /// The label selector of the agents compared.
    public var selector: [String: String]
    /// True when no group blocks (nothing missing, no kind mismatch); extras do not block.
    public var compatible: Bool
    /// The version's declared input features with the kinds the declaration allows.
    public var declared: [SchemaFeature]
    /// Agents grouped by the features they see, each with its difference from `declared`.
    public var groups: [SchemaCheckGroup]
    /// Agents that could not be compared (no reports yet); they do not block.
    public var unchecked: [SchemaUncheckedAgent]
    /// A sentence for people, e.g. why nothing was compared.
    public var note: String?

    /// Creates a check.
    public init(
        model: String, version: String, selector: [String: String] = [:], compatible: Bool, declared: [SchemaFeature] = [],
        groups: [SchemaCheckGroup] = [], unchecked: [SchemaUncheckedAgent] = [], note: String? = nil
    ) {
        self.model = model
        self.version = version
        self.selector = selector
        self.compatible = compatible
        self.declared = declared
        self.groups = groups
        self.unchecked = unchecked
        self.note = note
    }

    /// Decodes leniently: lists default to empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        version = try c.decode(String.self, forKey: .version)
        selector = try c.decodeIfPresent([String: String].self, forKey: .selector) ?? [:]
        compatible = try c.decode(Bool.self, forKey: .compatible)
        declared = try c.decodeIfPresent([SchemaFeature].self, forKey: .declared) ?? []
        groups = try c.decodeIfPresent([SchemaCheckGroup].self, forKey: .groups) ?? []
        unchecked = try c.decodeIfPresent([SchemaUncheckedAgent].self, forKey: .unchecked) ?? []
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    enum CodingKeys: String, CodingKey { case model, version, selector, compatible, declared, groups, unchecked, note }
}

/// One declared input feature and the kinds its declaration allows.
public struct SchemaFeature: Codable, Sendable, Equatable {
    /// Feature name.
    public var name: String
    /// Allowed kinds (one when the reference profile says; several when only the tensor's datatype does).
    public var kinds: [FeatureKind]

    /// Creates a feature.
    public init(name: String, kinds: [FeatureKind]) {
        self.name = name
        self.kinds = kinds
    }
}

/// Agents that see the same features, and how those differ from the version's declared inputs.
public struct SchemaCheckGroup: Codable, Sendable, Equatable {
    /// The agents, sorted.
    public var agents: [String]
    /// The versions they served in the reports compared.
    public var servedVersions: [String]
    /// Where the features came from: `reports` (their latest report's drift block) and/or `served_version`
    /// (the declared inputs of the version they serve).
    public var source: [String]
    /// False when this group blocks the change.
    public var compatible: Bool
    /// Declared by the version, not seen by these agents (blocks).
    public var missing: [String]
    /// Seen by these agents, not declared by the version (does not block).
    public var extra: [String]
    /// Seen with another kind than declared (blocks).
    public var kindMismatches: [SchemaKindMismatch]

    /// Creates a group.
    public init(
        agents: [String], servedVersions: [String] = [], source: [String] = [], compatible: Bool, missing: [String] = [],
        extra: [String] = [], kindMismatches: [SchemaKindMismatch] = []
    ) {
        self.agents = agents
        self.servedVersions = servedVersions
        self.source = source
        self.compatible = compatible
        self.missing = missing
        self.extra = extra
        self.kindMismatches = kindMismatches
    }

    enum CodingKeys: String, CodingKey {
        case agents, servedVersions = "served_versions", source, compatible, missing, extra, kindMismatches = "kind_mismatches"
    }
}

/// A feature whose observed kind the declaration does not allow.
public struct SchemaKindMismatch: Codable, Sendable, Equatable {
    /// Feature name.
    public var name: String
    /// Kinds the version's declaration allows.
    public var declared: [FeatureKind]
    /// Kinds seen (from reports) or declared by the served version.
    public var observed: [FeatureKind]

    /// Creates a mismatch.
    public init(name: String, declared: [FeatureKind], observed: [FeatureKind]) {
        self.name = name
        self.declared = declared
        self.observed = observed
    }
}

/// An agent the check could not compare, and why.
public struct SchemaUncheckedAgent: Codable, Sendable, Equatable {
    /// The agent.
    public var agentID: String
    /// Why, e.g. "no reports yet".
    public var reason: String

    /// Creates an entry.
    public init(agentID: String, reason: String) {
        self.agentID = agentID
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey { case agentID = "agent_id", reason }
}

/// `PUT /v1/desired`'s answer: the new desired states and the schema check that allowed them.
public struct DesiredStateResult: Codable, Sendable, Equatable {
    /// The desired states set, one per agent.
    public var desired: [DesiredState]
    /// The schema check (nil from servers that do not check).
    public var schemaCheck: SchemaCheck?
    /// Whether the change was forced past a failing schema check.
    public var forced: Bool?

    /// Creates a result.
    public init(desired: [DesiredState], schemaCheck: SchemaCheck? = nil, forced: Bool? = nil) {
        self.desired = desired
        self.schemaCheck = schemaCheck
        self.forced = forced
    }

    enum CodingKeys: String, CodingKey { case desired, schemaCheck = "schema_check", forced }
}
