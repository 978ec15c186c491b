/// One prediction observed by the agent: what the model saw and what it answered.
///
/// Pushed to the agent's `POST /v1/events` (JSON array or NDJSON) or tailed from a JSON Lines log.
/// Wire shape: `{"request_id","at","model"?,"version"?,"features":{name: number|string},"scores":[..],"items"?:[..],"latency_ms"?}`.
public struct PredictionEvent: Codable, Sendable, Equatable {
    /// The caller's request id; delayed labels are joined on it.
    public var requestID: String
    /// When the prediction was made (RFC 3339 / ISO 8601 text, UTC).
    public var at: String?
    /// The model name, when the event source knows it.
    public var model: String?
    /// The model version that answered, when known.
    public var version: String?
    /// Input features by name.
    public var features: [String: FeatureValue]
    /// Output scores (one per item for rankers, one or more for classifiers).
    public var scores: [Double]
    /// Ranked item ids, in the order the scores refer to, for rankers.
    public var items: [String]?
    /// Latency of the prediction as seen by the caller, in milliseconds.
    public var latencyMs: Double?

    /// Creates an event.
    public init(
        requestID: String, at: String? = nil, model: String? = nil, version: String? = nil,
        features: [String: FeatureValue], scores: [Double], items: [String]? = nil, latencyMs: Double? = nil
    ) {
        self.requestID = requestID
        self.at = at
        self.model = model
        self.version = version
        self.features = features
        self.scores = scores
        self.items = items
        self.latencyMs = latencyMs
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", at, model, version, features, scores, items
        case latencyMs = "latency_ms"
    }
}

/// A delayed outcome for an earlier prediction (click, add-to-cart, purchase), joined by request id.
///
/// Wire shape: `{"request_id","kind":"click"|"add_to_cart"|"purchase"|"label","value"?:number,"item"?:id,"at"?}`.
public struct LabelEvent: Codable, Sendable, Equatable {
    /// The kinds of outcome the agent understands.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The user clicked a result.
        case click
        /// The user added an item to the cart.
        case addToCart = "add_to_cart"
        /// The user bought an item.
        case purchase
        /// A generic ground-truth label given as `value` (0/1 for classifiers).
        case label
    }

    /// The request id of the prediction this label belongs to.
    public var requestID: String
    /// What happened.
    public var kind: Kind
    /// A numeric label or value (for `label`: 0 or 1; otherwise optional, e.g. purchase amount).
    public var value: Double?
    /// The item the outcome concerns, for rankers.
    public var item: String?
    /// When it happened (RFC 3339 text, UTC).
    public var at: String?

    /// Creates a label event.
    public init(requestID: String, kind: Kind, value: Double? = nil, item: String? = nil, at: String? = nil) {
        self.requestID = requestID
        self.kind = kind
        self.value = value
        self.item = item
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", kind, value, item, at
    }
}

/// One line of a golden set: an input sent to the model as a real inference request, with its known answer.
///
/// Classification: `label` is 0 or 1. Ranking: records sharing `query_id` form one query and each
/// carries a graded `relevance` (0...3). Wire shape:
/// `{"id","query_id"?,"features":{...},"label"?:0|1,"relevance"?:0..3,"item"?:id}`.
public struct GoldenRecord: Codable, Sendable, Equatable {
    /// A stable id for the record.
    public var id: String
    /// The query this record belongs to, for ranking golden sets.
    public var queryID: String?
    /// The item id, for ranking golden sets.
    public var item: String?
    /// Input features by name.
    public var features: [String: FeatureValue]
    /// The expected binary label, for classification.
    public var label: Double?
    /// The graded relevance (0...3), for ranking.
    public var relevance: Double?

    /// Creates a golden record.
    public init(
        id: String, queryID: String? = nil, item: String? = nil, features: [String: FeatureValue],
        label: Double? = nil, relevance: Double? = nil
    ) {
        self.id = id
        self.queryID = queryID
        self.item = item
        self.features = features
        self.label = label
        self.relevance = relevance
    }

    enum CodingKeys: String, CodingKey {
        case id, item, features, label, relevance
        case queryID = "query_id"
    }
}
