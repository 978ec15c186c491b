#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// MARK: Agents

extension DroverClient {
    /// `POST /v1/agents/enroll` with the bootstrap `enrollToken`: returns the agent's own credential.
    public func enroll(_ request: EnrollRequest, enrollToken: String? = nil) async throws(DroverClientError)
        -> EnrollResponse
    {
        let operation = "POST \(APIPath.enroll)"
        let body = try encodeBody(request, operation: operation)
        let response = try await send(.post, APIPath.enroll, body: body, token: enrollToken)
        return try decode(EnrollResponse.self, response, operation: operation)
    }

    /// `POST /v1/agents/{id}/heartbeat`.
    public func heartbeat(_ heartbeat: Heartbeat) async throws(DroverClientError) {
        let path = APIPath.heartbeat(agent: heartbeat.agentID)
        let body = try encodeBody(heartbeat, operation: "POST \(path)")
        _ = try await send(.post, path, body: body)
    }

    /// `GET /v1/agents/{id}/desired?after=GEN&wait=SECONDS`: long-polls for a desired state newer than `after`.
    ///
    /// Returns nil when nothing newer was set within `wait` (204, or 304). An agent the control plane does not know
    /// is an error with `isNotFound` (enrol it again).
    public func desiredState(
        agent: String, after generation: Int64? = nil, wait: Duration = .seconds(30)
    ) async throws(DroverClientError) -> DesiredState? {
        let path = APIPath.desiredState(agent: agent)
        let seconds = max(0, Int(wait.components.seconds))
        let response = try await send(
            .get, path, query: [("after", generation.map(String.init)), ("wait", String(seconds))],
            timeout: timeout + wait, accept: [204, 304])
        if response.status == 204 || response.status == 304 || response.body.isEmpty { return nil }
        return try decode(DesiredState.self, response, operation: "GET \(path)")
    }

    /// `PUT /v1/agents/{id}/observed`: what the agent serves after applying (or failing to apply) a desired state.
    public func putObserved(_ state: ObservedState) async throws(DroverClientError) {
        let path = APIPath.observedState(agent: state.agentID)
        let body = try encodeBody(state, operation: "PUT \(path)")
        _ = try await send(.put, path, body: body)
    }

    /// `GET /v1/agents[?model=]`: the enrolled agents.
    public func listAgents(model: String? = nil) async throws(DroverClientError) -> [AgentInfo] {
        let response = try await send(.get, APIPath.agents, query: [("model", model)])
        return try decodeList(AgentInfo.self, key: "agents", response, operation: "GET \(APIPath.agents)")
    }
}

// MARK: Reports

extension DroverClient {
    /// `POST /v1/reports`: one report; the ack says whether it was new or a duplicate.
    @discardableResult
    public func postReport(_ report: Report) async throws(DroverClientError) -> ReportAck {
        let operation = "POST \(APIPath.reports)"
        let body = try encodeBody(report, operation: operation)
        let response = try await send(.post, APIPath.reports, body: body)
        if response.body.isEmpty { return ReportAck(accepted: [report.id], duplicates: []) }
        return try decode(ReportAck.self, response, operation: operation)
    }

    /// `POST /v1/reports/batch`: several reports at once (1–1,000).
    @discardableResult
    public func postReports(_ reports: [Report]) async throws(DroverClientError) -> ReportAck {
        let operation = "POST \(APIPath.reportsBatch)"
        let body = try encodeBody(ReportBatch(reports: reports), operation: operation)
        let response = try await send(.post, APIPath.reportsBatch, body: body)
        return try decode(ReportAck.self, response, operation: operation)
    }
}

// MARK: Fleet, desired state, alerts

extension DroverClient {
    /// `GET /v1/fleet/health`: per model × version × zone health, optionally filtered and over `[from, to)`.
    public func fleetHealth(
        model: String? = nil, version: String? = nil, zone: String? = nil, from: Date? = nil, to: Date? = nil
    ) async throws(DroverClientError) -> FleetHealth {
        let response = try await fleetHealthResponse(model: model, version: version, zone: zone, from: from, to: to)
        return try decode(FleetHealth.self, response, operation: "GET \(APIPath.fleetHealth)")
    }

    /// `GET /v1/fleet/health` as the raw JSON bytes the control plane sent (for `droverctl --json`).
    public func fleetHealthJSON(
        model: String? = nil, version: String? = nil, zone: String? = nil, from: Date? = nil, to: Date? = nil
    ) async throws(DroverClientError) -> [UInt8] {
        try await fleetHealthResponse(model: model, version: version, zone: zone, from: from, to: to).body
    }

    private func fleetHealthResponse(
        model: String?, version: String?, zone: String?, from: Date?, to: Date?
    ) async throws(DroverClientError) -> TransportResponse {
        try await send(
            .get, APIPath.fleetHealth,
            query: [
                ("model", model), ("version", version), ("zone", zone), ("from", from.map(RFC3339.format)),
                ("to", to.map(RFC3339.format)),
            ])
    }

    /// `PUT /v1/desired`: sets the desired version of every agent matching the selector; returns the new states.
    @discardableResult
    public func setDesired(_ update: DesiredStateUpdate) async throws(DroverClientError) -> [DesiredState] {
        let operation = "PUT \(APIPath.desired)"
        let body = try encodeBody(update, operation: operation)
        let response = try await send(.put, APIPath.desired, body: body)
        if response.body.isEmpty { return [] }
        return try decodeList(DesiredState.self, key: "desired", response, operation: operation)
    }

    /// `GET /v1/alerts[?status=firing|resolved]`.
    public func listAlerts(status: Alert.Status? = nil) async throws(DroverClientError) -> [Alert] {
        let response = try await send(.get, APIPath.alerts, query: [("status", status?.rawValue)])
        return try decodeList(Alert.self, key: "alerts", response, operation: "GET \(APIPath.alerts)")
    }
}

// MARK: Registry

extension DroverClient {
    /// `POST /v1/versions`: registers a version; returns it as stored (status, created_at filled in).
    @discardableResult
    public func registerVersion(_ version: ModelVersion) async throws(DroverClientError) -> ModelVersion {
        let operation = "POST \(APIPath.versions)"
        let body = try encodeBody(version, operation: operation)
        let response = try await send(.post, APIPath.versions, body: body)
        if response.body.isEmpty { return version }
        return try decode(ModelVersion.self, response, operation: operation)
    }

    /// `GET /v1/versions[?model=]`: registered versions.
    public func listVersions(model: String? = nil) async throws(DroverClientError) -> [ModelVersion] {
        let response = try await send(.get, APIPath.versions, query: [("model", model)])
        return try decodeList(ModelVersion.self, key: "versions", response, operation: "GET \(APIPath.versions)")
    }

    /// `GET /v1/models/{model}/versions/{version}`; a missing version throws an error with `isNotFound`.
    public func getVersion(model: String, version: String) async throws(DroverClientError) -> ModelVersion {
        let path = APIPath.version(model: model, version: version)
        let response = try await send(.get, path)
        return try decode(ModelVersion.self, response, operation: "GET \(path)")
    }

    /// `PUT /v1/models/{model}/versions/{version}/profile`: stores a reference profile; returns its digest when the
    /// control plane sends one (`{"digest": "sha256:…"}`).
    @discardableResult
    public func putReferenceProfile(_ profile: ReferenceProfile) async throws(DroverClientError) -> String? {
        let path = APIPath.referenceProfile(model: profile.model, version: profile.version)
        let body = try encodeBody(profile, operation: "PUT \(path)")
        let response = try await send(.put, path, body: body)
        struct DigestBody: Decodable { var digest: String? }
        return (try? DroverJSON.decode(DigestBody.self, from: response.body))?.digest
    }

    /// `GET /v1/models/{model}/versions/{version}/profile`; nil when the version has no profile (404).
    public func getReferenceProfile(model: String, version: String) async throws(DroverClientError) -> ReferenceProfile?
    {
        let path = APIPath.referenceProfile(model: model, version: version)
        let response = try await send(.get, path, accept: [404])
        if response.status == 404 { return nil }
        return try decode(ReferenceProfile.self, response, operation: "GET \(path)")
    }
}

// MARK: Training and tokens

extension DroverClient {
    /// `POST /v1/training/runs/{run}/steps`: a JSON array of steps of one run.
    public func postTrainingSteps(run: String, _ steps: [TrainingStep]) async throws(DroverClientError) {
        let path = APIPath.trainingSteps(run: run)
        let operation = "POST \(path)"
        if validatesRequests {
            for (index, step) in steps.enumerated() {
                do { try step.validate(at: "[\(index)]") } catch { throw .invalidRequest(operation, error) }
                if step.runID != run {
                    throw .invalidRequest(
                        operation,
                        ValidationError(
                            field: "[\(index)].run_id",
                            message: "must be the run in the URL (\"\(run)\"), got \"\(step.runID)\""))
                }
            }
        }
        let body = try encodeBody(steps, operation: operation)
        _ = try await send(.post, path, body: body)
    }

    /// `POST /v1/tokens` (admin): creates a token; the secret in the response is shown once.
    public func createToken(name: String, role: String) async throws(DroverClientError) -> TokenCreateResponse {
        let operation = "POST \(APIPath.tokens)"
        let body = try encodeBody(TokenCreateRequest(name: name, role: role), operation: operation)
        let response = try await send(.post, APIPath.tokens, body: body)
        return try decode(TokenCreateResponse.self, response, operation: operation)
    }
}
