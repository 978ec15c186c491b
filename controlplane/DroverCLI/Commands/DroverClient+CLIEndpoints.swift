import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One node of a version's lineage as `GET …/lineage` serves it, with size ratios against its parent.
public struct LineageNodeView: Codable, Sendable, Equatable {
    /// The version.
    public var version: String
    /// Its parent.
    public var derivedFrom: String?
    /// How it was derived.
    public var method: LineageMethod?
    /// Method parameters.
    public var parameters: [String: String]?
    /// Status.
    public var status: VersionStatus?
    /// Size and precision.
    public var footprint: ModelFootprint?
    /// Parent bytes / own bytes.
    public var compressionRatio: Double?
    /// Parent parameters / own parameters.
    public var parameterRatio: Double?
    /// Ancestors negative, descendants positive.
    public var depth: Int

    /// Creates a node.
    public init(
        version: String, derivedFrom: String? = nil, method: LineageMethod? = nil, parameters: [String: String]? = nil,
        status: VersionStatus? = nil, footprint: ModelFootprint? = nil, compressionRatio: Double? = nil,
        parameterRatio: Double? = nil, depth: Int = 0
    ) {
        self.version = version
        self.derivedFrom = derivedFrom
        self.method = method
        self.parameters = parameters
        self.status = status
        self.footprint = footprint
        self.compressionRatio = compressionRatio
        self.parameterRatio = parameterRatio
        self.depth = depth
    }

    enum CodingKeys: String, CodingKey {
        case version, derivedFrom = "derived_from", method, parameters, status, footprint
        case compressionRatio = "compression_ratio", parameterRatio = "parameter_ratio", depth
    }
}

/// A version's lineage walked both ways (`GET /v1/models/{m}/versions/{v}/lineage`).
public struct LineageDocument: Codable, Sendable, Equatable {
    /// Model.
    public var model: String
    /// The version asked about.
    public var version: LineageNodeView
    /// Parent first.
    public var ancestors: [LineageNodeView]
    /// Breadth first.
    public var descendants: [LineageNodeView]

    /// Creates a document.
    public init(model: String, version: LineageNodeView, ancestors: [LineageNodeView] = [], descendants: [LineageNodeView] = []) {
        self.model = model
        self.version = version
        self.ancestors = ancestors
        self.descendants = descendants
    }
}

/// An API token as `GET /v1/tokens` lists it (never the secret).
public struct TokenSummaryView: Codable, Sendable, Equatable {
    /// Public id (`tok_…`).
    public var id: String
    /// Name.
    public var name: String
    /// Role.
    public var role: String
    /// The agent, for agent credentials.
    public var agentID: String?
    /// When it was created.
    public var createdAt: Date?
    /// Who created it.
    public var createdBy: String?
    /// When it was revoked.
    public var revokedAt: Date?

    /// Creates a summary.
    public init(
        id: String, name: String, role: String, agentID: String? = nil, createdAt: Date? = nil, createdBy: String? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.agentID = agentID
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, agentID = "agent_id", createdAt = "created_at", createdBy = "created_by", revokedAt = "revoked_at"
    }
}

// Endpoints the typed client does not cover yet (aliases, retire, lineage, token listing), sent over its transport.
extension DroverClient {
    /// `PUT /v1/models/{m}/versions/{v}/aliases/{alias}`; `overrideTrainingFlag` sends `{"override": true}`.
    func setAlias(
        model: String, version: String, alias: String, overrideTrainingFlag: Bool = false
    ) async throws(DroverClientError) -> ModelVersion {
        let path = APIPath.version(model: model, version: version) + "/aliases/\(APIPath.escape(alias))"
        return try await sendDecoding(ModelVersion.self, .put, path, body: overrideTrainingFlag ? Array(#"{"override":true}"#.utf8) : [])
    }

    /// `POST /v1/models/{m}/versions/{v}/retire`.
    func retireVersion(model: String, version: String) async throws(DroverClientError) -> ModelVersion {
        let path = APIPath.version(model: model, version: version) + "/retire"
        return try await sendDecoding(ModelVersion.self, .post, path)
    }

    /// `GET /v1/models/{m}/versions/{v}/lineage`.
    func lineage(model: String, version: String) async throws(DroverClientError) -> LineageDocument {
        try await sendDecoding(LineageDocument.self, .get, APIPath.version(model: model, version: version) + "/lineage")
    }

    /// `GET /v1/tokens` (admin).
    func listTokens() async throws(DroverClientError) -> [TokenSummaryView] {
        struct Envelope: Decodable { var tokens: [TokenSummaryView] }
        return try await sendDecoding(Envelope.self, .get, APIPath.tokens).tokens
    }

    private func sendDecoding<T: Decodable>(
        _ type: T.Type, _ method: TransportRequest.Method, _ path: String, body: [UInt8] = []
    ) async throws(DroverClientError) -> T {
        let operation = "\(method) \(path)"
        let request = TransportRequest(
            method: method, url: baseURL + path,
            headers: body.isEmpty ? ["Accept": "application/json"] : ["Accept": "application/json", "Content-Type": "application/json"],
            body: method == .get ? nil : body,
            timeout: timeout, bearerToken: token)
        let response: TransportResponse
        do {
            response = try await transport.send(request)
        } catch let error as TransportError {
            throw .transport(operation, error)
        } catch {
            throw .transport(operation, TransportError(kind: .other, url: request.url, method: method, message: "\(error)"))
        }
        guard response.isSuccess else {
            let apiError = try? DroverJSON.decode(APIErrorBody.self, from: response.body).error
            throw .http(operation, status: response.status, apiError: apiError, body: apiError == nil ? response.bodyString : nil)
        }
        do {
            return try DroverJSON.decode(T.self, from: response.body)
        } catch {
            throw .invalidResponse(operation, status: response.status, "expected \(T.self) JSON: \(error)")
        }
    }
}
