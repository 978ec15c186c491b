import DroverAPI
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `ControlPlaneStore` in memory, for tests and `--data-dir`-less runs; all state behind one `Mutex`.
public final class InMemoryControlPlaneStore: ControlPlaneStore {
    struct State {
        var tokens: [String: TokenRecord] = [:]  // by id
        var agents: [String: AgentRecord] = [:]
        var reports: [String: StoredReport] = [:]
        var rollups: [RollupKey: ReportRollup] = [:]
        var versions: [String: VersionRecord] = [:]  // by "model\u{0}version"
        var versionOrder: [String] = []
        var aliases: [String: [String: String]] = [:]  // model -> alias -> version
        var profiles: [String: StoredProfile] = [:]
        var desired: [String: DesiredRecord] = [:]
        var generations: [String: Int64] = [:]
        var observed: [String: ObservedRecord] = [:]
        var audit: [AuditEntry] = []
    }

    let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    /// Always ready.
    public func ping() async throws {}

    static func versionKey(_ model: String, _ version: String) -> String { model + "\u{0}" + version }
}
