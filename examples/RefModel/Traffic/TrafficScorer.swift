import DroverAPI

/// What a scorer answered for one query.
public struct ScoredQuery: Sendable, Equatable {
    /// One score per candidate, in candidate order.
    public var scores: [Float]
    /// The version that answered, when known.
    public var version: String?
    /// The caller-side latency in milliseconds.
    public var latencyMs: Double
}

/// Scores a generated query: over OIP v2 HTTP, or in-process.
public protocol TrafficScorer: Sendable {
    /// Scores the query's candidates.
    func score(_ query: TrafficQuery) async throws -> ScoredQuery
}

/// Scores in-process with a reference model version (no server needed).
public struct LocalScorer: TrafficScorer {
    /// The version used.
    public let version: RefModelVersion

    /// Creates a local scorer.
    public init(version: RefModelVersion) {
        self.version = version
    }

    /// Scores with the model directly; latency is the compute time.
    public func score(_ query: TrafficQuery) async throws -> ScoredQuery {
        let clock = ContinuousClock()
        let start = clock.now
        let scores = version.score(flat: query.flatRows, count: query.candidates.count)
        return ScoredQuery(scores: scores, version: version.id, latencyMs: (clock.now - start).milliseconds)
    }
}

/// Scores by sending an OIP v2 inference request (`id` = the query's request id) over an `HTTPTransport`.
public struct OIPScorer: TrafficScorer {
    /// The server's base URL, e.g. `http://127.0.0.1:8000`.
    public let baseURL: String
    /// The model name.
    public let model: String
    /// The version to address, or nil for the model's default version.
    public let version: String?
    /// The per-request timeout.
    public let timeout: Duration
    private let transport: any HTTPTransport

    /// Creates a scorer.
    public init(
        transport: any HTTPTransport, baseURL: String, model: String, version: String? = nil,
        timeout: Duration = .seconds(10)
    ) {
        self.transport = transport
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.model = model
        self.version = version
        self.timeout = timeout
    }

    /// The inference URL.
    public var inferURL: String {
        let path =
            version.map { "/v2/models/\(APIPath.escape(model))/versions/\(APIPath.escape($0))/infer" }
            ?? "/v2/models/\(APIPath.escape(model))/infer"
        return baseURL + path
    }

    /// The OIP request body for a query.
    public static func request(for query: TrafficQuery, schema: FeatureSchema = .ranker) -> OIPInferenceRequest {
        OIPInferenceRequest(
            id: query.requestID,
            inputs: [
                OIPRequestInput(
                    name: "features", shape: [query.candidates.count, schema.width], datatype: "FP32",
                    data: .array(query.flatRows.map { .number(Double($0)) }))
            ])
    }

    /// Sends the request; throws `HTTPStatusError` on a non-2xx answer and `OIPScorerError` on a malformed one.
    public func score(_ query: TrafficQuery) async throws -> ScoredQuery {
        let request = try TransportRequest.json(.post, inferURL, Self.request(for: query), timeout: timeout)
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await transport.sendExpectingSuccess(request)
        let latency = (clock.now - start).milliseconds
        let decoded: OIPInferenceResponse
        do {
            decoded = try response.decode(OIPInferenceResponse.self)
        } catch {
            throw OIPScorerError("the inference response from \(inferURL) is not OIP v2 JSON: \(error)")
        }
        guard let output = decoded.outputs.first(where: { $0.name == "score" }) ?? decoded.outputs.first,
            output.data.count == query.candidates.count
        else {
            throw OIPScorerError(
                "the inference response from \(inferURL) has no score output with \(query.candidates.count) values")
        }
        return ScoredQuery(scores: output.data, version: decoded.modelVersion, latencyMs: latency)
    }
}

/// A malformed inference answer.
public struct OIPScorerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Duration {
    /// The duration in milliseconds.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
