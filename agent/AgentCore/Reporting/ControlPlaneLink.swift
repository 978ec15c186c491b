import DroverAPI

/// Talking to the control plane failed; `retryable` says whether backing off and trying again can help.
public struct LinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What happened.
    public var message: String
    /// Network failures and 5xx/429 are retryable; other 4xx are not (the request itself is wrong).
    public var retryable: Bool
    /// The HTTP status, when one came back.
    public var status: Int?

    /// Creates an error.
    public init(message: String, retryable: Bool, status: Int? = nil) {
        self.message = message
        self.retryable = retryable
        self.status = status
    }

    /// The message.
    public var description: String { message }
}

/// What the agent needs from the control plane; `HTTPControlPlaneLink` speaks it over HTTP.
public protocol ControlPlaneLink: Sendable {
    /// Posts spooled reports as one batch; the ack names what was stored (or already stored).
    func postReports(_ reports: [SpooledReport]) async throws(LinkError) -> ReportAck
    /// Long-polls the desired state newer than `generation`; nil when nothing newer arrived within `wait`.
    func desiredState(after generation: Int64?, wait: Duration) async throws(LinkError) -> DesiredState?
    /// Reports the observed state after an apply or a failover.
    func putObserved(_ state: ObservedState) async throws(LinkError)
    /// The reference profile of a version; nil when the control plane has none.
    func referenceProfile(model: String, version: String) async throws(LinkError) -> ReferenceProfile?
}

/// The control plane's `/v1` HTTP API over the agent's HTTP client, with a bearer token.
public struct HTTPControlPlaneLink: ControlPlaneLink {
    private let client: any AgentHTTPClient
    private let baseURL: String
    private let agentID: String
    private let token: String?
    private let timeout: Duration

    /// Creates a link.
    public init(client: any AgentHTTPClient, baseURL: String, agentID: String, token: String?, timeout: Duration) {
        self.client = client
        self.baseURL = baseURL
        self.agentID = agentID
        self.token = token
        self.timeout = timeout
    }

    private func send(_ method: String, _ path: String, body: [UInt8]? = nil, timeout: Duration? = nil) async throws(LinkError) -> AgentHTTPResponse {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response: AgentHTTPResponse
        do {
            response = try await client.send(
                AgentHTTPRequest(method: method, url: baseURL + path, headers: headers, body: body, timeout: timeout ?? self.timeout))
        } catch {
            throw LinkError(message: "control plane unreachable: \(error)", retryable: true)
        }
        if response.status >= 500 || response.status == 429 || response.status == 408 {
            throw LinkError(message: "control plane answered HTTP \(response.status): \(response.bodyText)", retryable: true, status: response.status)
        }
        return response
    }

    private func failure(_ response: AgentHTTPResponse, _ what: String) -> LinkError {
        LinkError(message: "\(what): control plane answered HTTP \(response.status): \(response.bodyText)", retryable: false, status: response.status)
    }

    /// `POST /v1/reports/batch` with the spooled JSON spliced in as is.
    public func postReports(_ reports: [SpooledReport]) async throws(LinkError) -> ReportAck {
        var body = Array("{\"reports\":[".utf8)
        for (i, report) in reports.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body += report.bytes
        }
        body += Array("]}".utf8)
        let response = try await send("POST", APIPath.reportsBatch, body: body)
        guard (200..<300).contains(response.status) else { throw failure(response, "posting reports") }
        do {
            return try DroverJSON.decode(ReportAck.self, from: response.body)
        } catch {
            throw LinkError(message: "the report ack is not valid: \(error)", retryable: true)
        }
    }

    /// `GET /v1/agents/{id}/desired?after=GEN&wait=SECONDS`; 204/304/404 mean nothing newer.
    public func desiredState(after generation: Int64?, wait: Duration) async throws(LinkError) -> DesiredState? {
        var path = APIPath.desiredState(agent: agentID) + "?wait=\(max(1, wait.milliseconds / 1000))"
        if let generation { path += "&after=\(generation)" }
        let response = try await send("GET", path, timeout: wait + timeout)
        if response.status == 204 || response.status == 304 || response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, "reading the desired state") }
        do {
            return try DroverJSON.decode(DesiredState.self, from: response.body)
        } catch {
            throw LinkError(message: "the desired state is not valid: \(error)", retryable: true)
        }
    }

    /// `PUT /v1/agents/{id}/observed`.
    public func putObserved(_ state: ObservedState) async throws(LinkError) {
        let body: [UInt8]
        do { body = try DroverJSON.encode(state) } catch { throw LinkError(message: "\(error)", retryable: false) }
        let response = try await send("PUT", APIPath.observedState(agent: agentID), body: body)
        guard (200..<300).contains(response.status) else { throw failure(response, "reporting the observed state") }
    }

    /// `GET /v1/models/{model}/versions/{version}/profile`; 404 means none.
    public func referenceProfile(model: String, version: String) async throws(LinkError) -> ReferenceProfile? {
        let response = try await send("GET", APIPath.referenceProfile(model: model, version: version))
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, "fetching the reference profile") }
        do {
            return try DroverJSON.decode(ReferenceProfile.self, from: response.body)
        } catch {
            throw LinkError(message: "the reference profile is not valid: \(error)", retryable: false)
        }
    }
}
