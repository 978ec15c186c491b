import DroverAPI

/// The control plane's `/v1` API through `DroverClient` (libcurl's `CurlTransport` in production), authenticated
/// with the agent's credential; a rejected stored credential is replaced by enrolling again, then the call is retried
/// once.
public struct DroverClientLink: ControlPlaneLink {
    /// The client (without a token: each call carries the current credential).
    public let client: DroverClient
    /// The agent's id.
    public let agentID: String
    /// The agent's credential.
    public let credentials: AgentCredentials

    /// Creates a link.
    public init(client: DroverClient, agentID: String, credentials: AgentCredentials) {
        self.client = client
        self.agentID = agentID
        self.credentials = credentials
    }

    /// Runs `call` with the current credential; on 401 enrols again (when allowed) and retries once.
    func authorized<T: Sendable>(
        _ call: @Sendable (DroverClient) async throws(DroverClientError) -> T
    ) async throws(LinkError) -> T {
        var retried = false
        while true {
            let token = try await credentials.credential()
            do {
                return try await call(client.withToken(token))
            } catch {
                if error.status == 401, !retried, await credentials.rejected(token) {
                    retried = true
                    continue
                }
                var link = LinkError(error)
                if let status = error.status, status == 401 || status == 403 {
                    link.message += " — " + (await credentials.advice(status: status))
                }
                throw link
            }
        }
    }

    /// `POST /v1/reports/batch` with the spooled JSON spliced in as is (no decode and re-encode).
    public func postReports(_ reports: [SpooledReport]) async throws(LinkError) -> ReportAck {
        var body = Array("{\"reports\":[".utf8)
        for (i, report) in reports.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body += report.bytes
        }
        body += Array("]}".utf8)
        let payload = body
        return try await authorized { client throws(DroverClientError) in
            let response = try await client.send(.post, APIPath.reportsBatch, body: payload)
            return try client.decode(ReportAck.self, response, operation: "POST \(APIPath.reportsBatch)")
        }
    }

    /// `GET /v1/agents/{id}/desired?after=GEN&wait=S`: 200 is a newer state, 204/304 nothing newer, 404 none set yet.
    public func desiredState(after generation: Int64?, wait: Duration) async throws(LinkError) -> DesiredPoll {
        let agentID = self.agentID
        return try await authorized { client throws(DroverClientError) in
            do throws(DroverClientError) {
                guard let state = try await client.desiredState(agent: agentID, after: generation, wait: wait) else {
                    return .unchanged
                }
                return .changed(state)
            } catch {
                if error.isNotFound { return .notSet }
                throw error
            }
        }
    }

    /// `PUT /v1/agents/{id}/observed`.
    public func putObserved(_ state: ObservedState) async throws(LinkError) {
        try await authorized { client throws(DroverClientError) in try await client.putObserved(state) }
    }

    /// `GET /v1/models/{model}/versions/{version}/profile`; nil when the version has none. The digest is the
    /// response's ETag (the control plane's own), else the SHA-256 of the body as received.
    public func referenceProfile(model: String, version: String) async throws(LinkError) -> FetchedProfile? {
        try await authorized { client throws(DroverClientError) in
            let path = APIPath.referenceProfile(model: model, version: version)
            let response = try await client.send(.get, path, accept: [404])
            if response.status == 404 { return nil }
            let profile = try client.decode(ReferenceProfile.self, response, operation: "GET \(path)")
            return FetchedProfile(profile: profile, json: response.body, etag: response.header("ETag"))
        }
    }

    /// `POST /v1/agents/{id}/heartbeat`, written with `JSONWriter` (no `JSONEncoder` every interval).
    public func heartbeat(_ heartbeat: Heartbeat) async throws(LinkError) {
        let path = APIPath.heartbeat(agent: heartbeat.agentID)
        let body = heartbeat.compactJSON()
        try await authorized { client throws(DroverClientError) in _ = try await client.send(.post, path, body: body) }
    }
}
