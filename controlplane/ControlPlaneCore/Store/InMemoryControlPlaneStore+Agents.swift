import Synchronization

extension InMemoryControlPlaneStore {
    /// Inserts or replaces an agent.
    public func upsertAgent(_ agent: AgentRecord) async throws {
        state.withLock { s in
            var agent = agent
            if let existing = s.agents[agent.id] {
                agent.enrolledAt = existing.enrolledAt
                agent.lastSeen = agent.lastSeen ?? existing.lastSeen
                agent.version = agent.version ?? existing.version
            }
            s.agents[agent.id] = agent
        }
    }

    /// One agent.
    public func agent(id: String) async throws -> AgentRecord? {
        state.withLock { $0.agents[id] }
    }

    /// All agents.
    public func agents(model: String?) async throws -> [AgentRecord] {
        state.withLock { s in
            s.agents.values.filter { model == nil || $0.model == model }.sorted { $0.id < $1.id }
        }
    }

    /// Records sightings.
    @discardableResult
    public func recordSightings(_ sightings: [AgentSighting]) async throws -> Set<String> {
        state.withLock { s in
            var seen = Set<String>()
            for sighting in sightings {
                guard var agent = s.agents[sighting.agentID] else { continue }
                Self.apply(sighting, to: &agent)
                s.agents[agent.id] = agent
                seen.insert(agent.id)
            }
            return seen
        }
    }

    static func apply(_ sighting: AgentSighting, to agent: inout AgentRecord) {
        if agent.lastSeen.map({ $0 <= sighting.at }) ?? true {
            agent.lastSeen = sighting.at
            if let version = sighting.version { agent.version = version }
        }
        if let labels = sighting.labels { agent.labels = labels }
        if let depth = sighting.spoolDepth { agent.spoolDepth = depth }
        if let agentVersion = sighting.agentVersion { agent.agentVersion = agentVersion }
    }
}
