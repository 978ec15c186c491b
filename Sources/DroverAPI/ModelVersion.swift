#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a version was derived from its parent.
public enum LineageMethod: String, Codable, Sendable, CaseIterable {
    /// Fine-tuned from the parent.
    case finetune
    /// Retrained (e.g. on newer data) from the parent.
    case retrain
    /// Quantised copy of the parent (e.g. int8).
    case quantize
    /// Pruned copy of the parent.
    case prune
    /// Distilled from the parent.
    case distill

    /// Whether this method compresses the parent (and so must pass a fidelity gate against it).
    public var isCompression: Bool { self == .quantize || self == .prune || self == .distill }
}

/// Where a version came from: its parent, the method and the method's parameters.
public struct Lineage: Codable, Sendable, Equatable {
    /// The parent version (same model).
    public var derivedFrom: String
    /// How it was derived.
    public var method: LineageMethod
    /// Method parameters, e.g. `{"bits": "8", "scheme": "per_channel"}` or `{"data": "2026-11"}`.
    public var parameters: [String: String]

    /// Creates lineage.
    public init(derivedFrom: String, method: LineageMethod, parameters: [String: String] = [:]) {
        self.derivedFrom = derivedFrom
        self.method = method
        self.parameters = parameters
    }

    /// Decodes, treating absent parameters as none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        derivedFrom = try c.decode(String.self, forKey: .derivedFrom)
        method = try c.decode(LineageMethod.self, forKey: .method)
        parameters = try c.decodeIfPresent([String: String].self, forKey: .parameters) ?? [:]
    }

    enum CodingKeys: String, CodingKey {
        case derivedFrom = "derived_from", method, parameters
    }
}

/// Where the model's files are and their digest.
public struct Artifact: Codable, Sendable, Equatable {
    /// The artifact's URI (s3://, gs://, file://, https://, or a model-repository path).
    public var uri: String
    /// Hex SHA-256 of the artifact (64 lowercase hex characters).
    public var sha256: String

    /// Creates an artifact reference.
    public init(uri: String, sha256: String) {
        self.uri = uri
        self.sha256 = sha256
    }
}

/// One input or output tensor a version declares.
public struct TensorSpec: Codable, Sendable, Equatable {
    /// Tensor or feature name.
    public var name: String
    /// OIP datatype: FP32, FP16, INT64, INT8, BYTES, BOOL, …
    public var datatype: String
    /// Shape, with -1 for a variable dimension.
    public var shape: [Int]
    /// Feature names packed in this tensor's last dimension, in order, when it packs several.
    public var features: [String]?

    /// Creates a tensor spec.
    public init(name: String, datatype: String, shape: [Int], features: [String]? = nil) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
        self.features = features
    }
}

/// Size and numeric precision of a version, so the registry can show compression ratios.
public struct ModelFootprint: Codable, Sendable, Equatable {
    /// Weight precision: float32, float16, bfloat16, int8, int4, mixed.
    public var precision: String
    /// Number of parameters (non-zero ones for pruned models when `sparsity` is set).
    public var parameterCount: Int?
    /// Size of the weights in bytes.
    public var bytes: Int?
    /// Fraction of weights that are zero, for pruned models.
    public var sparsity: Double?

    /// Creates a footprint.
    public init(precision: String, parameterCount: Int? = nil, bytes: Int? = nil, sparsity: Double? = nil) {
        self.precision = precision
        self.parameterCount = parameterCount
        self.bytes = bytes
        self.sparsity = sparsity
    }

    enum CodingKeys: String, CodingKey {
        case precision, parameterCount = "parameter_count", bytes, sparsity
    }
}

/// The lifecycle status of a version in the registry.
public enum VersionStatus: String, Codable, Sendable, CaseIterable {
    /// Registered, never rolled out.
    case registered
    /// Being rolled out as a canary.
    case canary
    /// Serving as the stable version.
    case stable
    /// Retired by an operator.
    case retired
    /// Rolled back after a failed rollout.
    case rolledBack = "rolled_back"
}

/// A model version in the registry: artifact, schema, footprint, offline metrics, lineage, status.
public struct ModelVersion: Codable, Sendable, Equatable {
    /// Wire schema version.
    public var schemaVersion: Int
    /// Model name, e.g. `ranker`.
    public var model: String
    /// Version id, unique within the model, e.g. `12` or `12-int8`.
    public var version: String
    /// The artifact and its digest.
    public var artifact: Artifact
    /// Input tensors / features.
    public var inputs: [TensorSpec]
    /// Output tensors.
    public var outputs: [TensorSpec]
    /// Size and precision.
    public var footprint: ModelFootprint?
    /// Offline evaluation metrics, e.g. `{"ndcg_at_10": 0.71, "roc_auc": 0.78}`.
    public var offlineMetrics: [String: Double]
    /// Parent and method, when derived from another version.
    public var lineage: Lineage?
    /// The training run that produced it, for the training monitor's promotion check.
    public var trainingRunID: String?
    /// Digest (`sha256:…`) of the reference profile, when one is stored.
    public var referenceProfileDigest: String?
    /// Lifecycle status (set by the control plane).
    public var status: VersionStatus
    /// Aliases pointing at this version (`stable`, `candidate`).
    public var aliases: [String]
    /// When it was registered (set by the control plane).
    public var createdAt: Date?
    /// Who registered it (set by the control plane).
    public var createdBy: String?

    /// Creates a version.
    public init(
        schemaVersion: Int = DroverAPIInfo.schemaVersion, model: String, version: String, artifact: Artifact,
        inputs: [TensorSpec] = [], outputs: [TensorSpec] = [], footprint: ModelFootprint? = nil,
        offlineMetrics: [String: Double] = [:], lineage: Lineage? = nil, trainingRunID: String? = nil,
        referenceProfileDigest: String? = nil, status: VersionStatus = .registered, aliases: [String] = [],
        createdAt: Date? = nil, createdBy: String? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.model = model
        self.version = version
        self.artifact = artifact
        self.inputs = inputs
        self.outputs = outputs
        self.footprint = footprint
        self.offlineMetrics = offlineMetrics
        self.lineage = lineage
        self.trainingRunID = trainingRunID
        self.referenceProfileDigest = referenceProfileDigest
        self.status = status
        self.aliases = aliases
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// Decodes, defaulting optional collections and the status.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        model = try c.decode(String.self, forKey: .model)
        version = try c.decode(String.self, forKey: .version)
        artifact = try c.decode(Artifact.self, forKey: .artifact)
        inputs = try c.decodeIfPresent([TensorSpec].self, forKey: .inputs) ?? []
        outputs = try c.decodeIfPresent([TensorSpec].self, forKey: .outputs) ?? []
        footprint = try c.decodeIfPresent(ModelFootprint.self, forKey: .footprint)
        offlineMetrics = try c.decodeIfPresent([String: Double].self, forKey: .offlineMetrics) ?? [:]
        lineage = try c.decodeIfPresent(Lineage.self, forKey: .lineage)
        trainingRunID = try c.decodeIfPresent(String.self, forKey: .trainingRunID)
        referenceProfileDigest = try c.decodeIfPresent(String.self, forKey: .referenceProfileDigest)
        status = try c.decodeIfPresent(VersionStatus.self, forKey: .status) ?? .registered
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
        createdAt = try c.decodeIfPresent(Date.self, forKey: .createdAt)
        createdBy = try c.decodeIfPresent(String.self, forKey: .createdBy)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", model, version, artifact, inputs, outputs, footprint
        case offlineMetrics = "offline_metrics", lineage, trainingRunID = "training_run_id"
        case referenceProfileDigest = "reference_profile_digest", status, aliases
        case createdAt = "created_at", createdBy = "created_by"
    }
}
