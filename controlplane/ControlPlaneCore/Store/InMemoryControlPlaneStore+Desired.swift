import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension InMemoryControlPlaneStore {
    /// Sets desired states with fresh generations.
    public func setDesired(_ targets: [DesiredTarget], at: Date, by: String) async throws -> [DesiredRecord] {
        state.withLock { s in
            targets.map { target in
                let generation = (s.generations[target.agentID] ?? 0) + 1
                s.generations[target.agentID] = generation
                let record = DesiredRecord(
                    agentID: target.agentID, model: target.model, version: target.version, generation: generation,
                    planID: target.planID, reason: target.reason, updatedAt: at, updatedBy: by)
                s.desired[target.agentID] = record
                return record
            }
        }
    }

    /// One agent's desired state.
    public func desired(agentID: String) async throws -> DesiredRecord? {
        state.withLock { $0.desired[agentID] }
    }

    /// Desired states naming a version.
    public func desired(model: String, version: String) async throws -> [DesiredRecord] {
        state.withLock { s in
            s.desired.values.filter { $0.model == model && $0.version == version }.sorted { $0.agentID < $1.agentID }
        }
    }

    /// Stores observed state.
    public func putObserved(_ observed: ObservedRecord) async throws {
        state.withLock { $0.observed[observed.agentID] = observed }
    }

    /// One agent's observed state.
    public func observed(agentID: String) async throws -> ObservedRecord? {
        state.withLock { $0.observed[agentID] }
    }
}
