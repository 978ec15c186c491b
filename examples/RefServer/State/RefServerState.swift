import HTTPTypes
import RefModel
import Synchronization

/// The server's mutable state: loaded versions, the default version, fault knobs and counters.
///
/// Shared by every request handler; all mutable state sits behind one `Mutex`.
public final class RefServerState: Sendable {
    /// The model name on the wire.
    public let modelName: String
    /// The versions in the repository, in order.
    public let versionIDs: [String]
    private let versions: [String: RefModelVersion]
    private let exitHandler: @Sendable (Int32) -> Void
    private let inner: Mutex<Inner>

    private struct Inner {
        var loaded: Set<String>
        var defaultVersion: String
        var faults: FaultSettings
        var rng: SeededGenerator
        var stats = RefServerStats()
        var responseCounter = 0
    }

    /// Creates the state; every configured version starts loaded. `exitHandler` is called by the crash knob.
    public init(configuration: RefServerConfiguration, exitHandler: @escaping @Sendable (Int32) -> Void)
        throws(OIPError)
    {
        var table: [String: RefModelVersion] = [:]
        for id in configuration.versions {
            guard let version = RefModelCatalog.version(id) else {
                throw OIPError(
                    .badRequest,
                    "unknown model version \"\(id)\"; available: \(RefModelCatalog.versionIDs.joined(separator: ", "))")
            }
            table[id] = version
        }
        guard !configuration.versions.isEmpty else {
            throw OIPError(.badRequest, "at least one version must be served")
        }
        guard table[configuration.defaultVersion] != nil else {
            throw OIPError(
                .badRequest,
                "default version \"\(configuration.defaultVersion)\" is not among the served versions \(configuration.versions.joined(separator: ","))"
            )
        }
        do throws(FaultSettingsError) { try configuration.faults.validate() } catch {
            throw OIPError(.badRequest, error.message)
        }
        self.modelName = configuration.modelName
        self.versionIDs = configuration.versions
        self.versions = table
        self.exitHandler = exitHandler
        self.inner = Mutex(
            Inner(
                loaded: Set(configuration.versions), defaultVersion: configuration.defaultVersion,
                faults: configuration.faults, rng: SeededGenerator(seed: configuration.faults.seed)))
    }

    // MARK: Faults and counters

    /// The current fault knobs.
    public var faults: FaultSettings { inner.withLock { $0.faults } }

    /// Applies a partial update of the fault knobs and returns the result; `crash: now` calls the exit handler.
    @discardableResult
    public func updateFaults(_ patch: FaultPatch) throws(FaultSettingsError) -> FaultSettings {
        var candidate = patch.reset == true ? FaultSettings() : faults
        candidate.apply(patch)
        try candidate.validate()
        let exitCode: Int32? = inner.withLock { state in
            if patch.seed != nil || patch.reset == true { state.rng = SeededGenerator(seed: candidate.seed) }
            state.faults = candidate
            if candidate.crash == .now {
                state.faults.crash = .off
                state.stats.crashesTriggered += 1
                return candidate.crashExitCode
            }
            return nil
        }
        if let exitCode { exitHandler(exitCode) }
        return candidate
    }

    /// The request counters.
    public var stats: RefServerStats { inner.withLock { $0.stats } }

    /// Calls the exit handler if a crash on the next request is armed (disarming it).
    func crashIfArmed() {
        let exitCode: Int32? = inner.withLock { state in
            guard state.faults.crash == .nextRequest else { return nil }
            state.faults.crash = .off
            state.stats.crashesTriggered += 1
            return state.faults.crashExitCode
        }
        if let exitCode { exitHandler(exitCode) }
    }

    /// Whether requests must hang now.
    var isHanging: Bool { inner.withLock { $0.faults.hang } }

    /// Draws this request's injected delay (milliseconds) and whether it must fail, from the seeded stream.
    func drawInjection() -> (delayMs: Double, fail: Bool) {
        inner.withLock { state in
            let f = state.faults
            var delay = f.latencyMs
            if f.jitterMs > 0 { delay += state.rng.uniform(-f.jitterMs, f.jitterMs) }
            let fail = f.errorRate > 0 && state.rng.uniform() < f.errorRate
            if fail { state.stats.inferErrorsInjected += 1 }
            return (max(0, delay), fail)
        }
    }

    /// Applies the output skew knobs to scores.
    func skew(_ scores: [Float]) -> [Float] {
        let f = faults
        guard f.skewAdd != 0 || f.skewMultiply != 1 else { return scores }
        return scores.map { Float(Double($0) * f.skewMultiply + f.skewAdd) }
    }

    func count(_ update: (inout RefServerStats) -> Void) { inner.withLock { update(&$0.stats) } }

    func nextResponseID() -> String {
        inner.withLock { state in
            state.responseCounter += 1
            return "refserver-\(state.responseCounter)"
        }
    }

    // MARK: Repository

    /// The version `/v2/models/{name}/infer` uses.
    public var defaultVersion: String { inner.withLock { $0.defaultVersion } }

    /// The versions loaded now, in repository order.
    public var loadedVersions: [String] {
        let loaded = inner.withLock { $0.loaded }
        return versionIDs.filter { loaded.contains($0) }
    }

    /// Whether the server as a whole is ready: the readiness knob is off and the default version is loaded.
    public var isServerReady: Bool {
        inner.withLock { !$0.faults.notReady && $0.loaded.contains($0.defaultVersion) }
    }

    /// Checks the model name (404 when unknown) and resolves the version (404 unknown, 400 unloaded).
    func resolve(model: String, version: String?, requireLoaded: Bool = true) throws(OIPError) -> RefModelVersion {
        guard model == modelName else {
            throw .notFound("unknown model \"\(model)\"; this server serves \"\(modelName)\"")
        }
        let (id, loaded) = inner.withLock { state in
            let id = version ?? state.defaultVersion
            return (id, state.loaded.contains(id))
        }
        guard let served = versions[id] else {
            throw .notFound(
                "unknown version \"\(id)\" of model \"\(model)\"; available: \(versionIDs.joined(separator: ", "))")
        }
        if requireLoaded, !loaded {
            let which = version == nil ? "default version \"\(id)\"" : "version \"\(id)\""
            throw .badRequest(
                "model \"\(model)\" \(which) is not loaded; POST /v2/repository/models/\(model)/load with {\"parameters\":{\"version\":\"\(id)\"}}"
            )
        }
        return served
    }

    /// Whether a model (version) is ready: loaded and the readiness knob off.
    func isReady(model: String, version: String?) throws(OIPError) -> Bool {
        let served = try resolve(model: model, version: version, requireLoaded: false)
        return inner.withLock { !$0.faults.notReady && $0.loaded.contains(served.id) }
    }

    /// Loads one version and makes it the default, or (without a version) loads every version.
    public func load(model: String, version: String?) throws(OIPError) {
        if let version {
            let served = try resolve(model: model, version: version, requireLoaded: false)
            inner.withLock { state in
                state.loaded.insert(served.id)
                state.defaultVersion = served.id
            }
        } else {
            _ = try resolve(model: model, version: nil, requireLoaded: false)
            inner.withLock { $0.loaded = Set(versionIDs) }
        }
    }

    /// Unloads one version, or (without a version) the whole model.
    public func unload(model: String, version: String?) throws(OIPError) {
        if let version {
            let served = try resolve(model: model, version: version, requireLoaded: false)
            inner.withLock { _ = $0.loaded.remove(served.id) }
        } else {
            _ = try resolve(model: model, version: nil, requireLoaded: false)
            inner.withLock { $0.loaded.removeAll() }
        }
    }

    /// The repository index: one entry per version, READY or UNAVAILABLE.
    func index(readyOnly: Bool) -> [OIPRepositoryIndexEntry] {
        let loaded = inner.withLock { $0.loaded }
        return versionIDs.compactMap { id in
            let ready = loaded.contains(id)
            if readyOnly, !ready { return nil }
            return OIPRepositoryIndexEntry(
                name: modelName, version: id, state: ready ? "READY" : "UNAVAILABLE", reason: ready ? "" : "unloaded")
        }
    }
}
