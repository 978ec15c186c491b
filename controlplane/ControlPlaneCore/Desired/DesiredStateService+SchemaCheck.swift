import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DesiredStateService {
    /// How many of an agent's latest reports are searched for one with a drift block.
    static let reportsSearched = 10

    /// Compares a version's declared input schema with the features the agents of `model` matching `selector` see.
    public func schemaCheck(model: String, version: String, selector: [String: String], by principal: Principal) async throws
        -> SchemaCheck
    {
        try principal.require(.read)
        try BodyValidation.id(model, "model")
        try BodyValidation.id(version, "version")
        guard let record = try await store.version(model: model, version: version) else {
            throw ControlPlaneError.notFound("version \(model)/\(version) is not registered; list versions with GET /v1/versions")
        }
        let agents = try await store.agents(model: model).filter { $0.matches(selector) }
        return try await schemaCheck(record, agents: agents, selector: selector)
    }

    /// The check of `record` against `agents`: per agent, the drift features of its latest report with a drift
    /// block (exact kinds) plus the declared inputs of the version it serves; agents without reports are unchecked.
    func schemaCheck(_ record: VersionRecord, agents: [AgentRecord], selector: [String: String]) async throws -> SchemaCheck {
        var schemas: [String: InputSchema] = [:]
        let declared = try await inputSchema(of: record, cache: &schemas)
        var check = SchemaCheck(
            model: record.model, version: record.version, selector: selector, compatible: true,
            declared: declared.features.keys.sorted().map { SchemaFeature(name: $0, kinds: InputSchema.sorted(declared.features[$0]!)) })
        if declared.isEmpty {
            check.note = "\(record.model)/\(record.version) declares no input features (inputs with names); nothing to compare"
            return check
        }
        if agents.isEmpty { check.note = "no enrolled agent of \(record.model) matches the selector; nothing to compare" }
        struct GroupKey: Hashable {
            var features: [String: Set<FeatureKind>]
            var source: [String]
        }
        var grouped: [GroupKey: (agents: [String], served: Set<String>)] = [:]
        for agent in agents.sorted(by: { $0.id < $1.id }) {
            let reports = try await store.reports(
                agentID: agent.id, from: .distantPast, to: .distantFuture, limit: Self.reportsSearched)
            guard let latest = reports.first else {
                check.unchecked.append(SchemaUncheckedAgent(agentID: agent.id, reason: "no reports yet; it does not block"))
                continue
            }
            let served = latest.version
            var observed: [String: Set<FeatureKind>] = [:]
            var source: [String] = []
            for stored in reports where stored.version == served {
                guard let drift = (try? DroverJSON.decode(Report.self, from: stored.json))?.drift, !drift.features.isEmpty else { continue }
                for feature in drift.features { observed[feature.name] = [feature.kind] }
                source.append("reports")
                break
            }
            if let servedRecord = try await store.version(model: record.model, version: served) {
                let servedSchema = try await inputSchema(of: servedRecord, cache: &schemas)
                for (name, kinds) in servedSchema.features where observed[name] == nil { observed[name] = kinds }
                if !servedSchema.isEmpty { source.append("served_version") }
            }
            if observed.isEmpty {
                check.unchecked.append(
                    SchemaUncheckedAgent(
                        agentID: agent.id,
                        reason: "its reports carry no drift features and version \(served) declares no inputs; it does not block"))
                continue
            }
            let key = GroupKey(features: observed, source: source)
            grouped[key, default: ([], [])].agents.append(agent.id)
            grouped[key, default: ([], [])].served.insert(served)
        }
        for (key, members) in grouped {
            let difference = declared.compare(with: InputSchema(features: key.features))
            check.groups.append(
                SchemaCheckGroup(
                    agents: members.agents, servedVersions: members.served.sorted(), source: key.source,
                    compatible: difference.isCompatible, missing: difference.missing, extra: difference.extra,
                    kindMismatches: difference.kindMismatches))
        }
        check.groups.sort { ($0.compatible ? 1 : 0, $0.agents.first ?? "") < ($1.compatible ? 1 : 0, $1.agents.first ?? "") }
        check.compatible = check.groups.allSatisfy(\.compatible)
        if check.note == nil, !check.unchecked.isEmpty, check.groups.isEmpty {
            check.note = "no selected agent has reported yet; nothing blocks the change"
        }
        return check
    }

    /// A version's declared input schema, refined by its stored reference profile (cached by version).
    private func inputSchema(of record: VersionRecord, cache: inout [String: InputSchema]) async throws -> InputSchema {
        if let known = cache[record.version] { return known }
        var profile: ReferenceProfile? = nil
        if record.referenceProfileDigest != nil, let stored = try await store.profile(model: record.model, version: record.version) {
            profile = try? DroverJSON.decode(ReferenceProfile.self, from: stored.json)
        }
        let schema = InputSchema(inputs: record.inputs, profile: profile)
        cache[record.version] = schema
        return schema
    }
}
