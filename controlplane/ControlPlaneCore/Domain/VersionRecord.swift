import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A stored model version: artifact, declared schema, footprint, offline metrics, lineage and status.
public struct VersionRecord: Sendable, Equatable {
    /// Model name.
    public var model: String
    /// Version id within the model.
    public var version: String
    /// Artifact URI.
    public var artifactURI: String
    /// Lowercase hex SHA-256 of the artifact.
    public var sha256: String
    /// Declared inputs.
    public var inputs: [TensorSpec]
    /// Declared outputs.
    public var outputs: [TensorSpec]
    /// Size and precision.
    public var footprint: ModelFootprint?
    /// Offline metrics.
    public var offlineMetrics: [String: Double]
    /// Parent, method and parameters.
    public var lineage: Lineage?
    /// The training run that produced it.
    public var trainingRunID: String?
    /// Digest of the stored reference profile.
    public var referenceProfileDigest: String?
    /// Lifecycle status.
    public var status: VersionStatus
    /// Aliases pointing here (filled on read).
    public var aliases: [String]
    /// When it was registered.
    public var createdAt: Date
    /// Who registered it.
    public var createdBy: String

    /// Creates a version record.
    public init(
        model: String, version: String, artifactURI: String, sha256: String, inputs: [TensorSpec] = [],
        outputs: [TensorSpec] = [], footprint: ModelFootprint? = nil, offlineMetrics: [String: Double] = [:],
        lineage: Lineage? = nil, trainingRunID: String? = nil, referenceProfileDigest: String? = nil,
        status: VersionStatus = .registered, aliases: [String] = [], createdAt: Date, createdBy: String
    ) {
        self.model = model
        self.version = version
        self.artifactURI = artifactURI
        self.sha256 = sha256
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

    /// A new record from a registration request (status `registered`, no aliases).
    public init(registering dto: ModelVersion, at: Date, by: String) {
        self.init(
            model: dto.model, version: dto.version, artifactURI: dto.artifact.uri, sha256: dto.artifact.sha256.lowercased(),
            inputs: dto.inputs, outputs: dto.outputs, footprint: dto.footprint, offlineMetrics: dto.offlineMetrics,
            lineage: dto.lineage, trainingRunID: dto.trainingRunID, referenceProfileDigest: nil, status: .registered,
            aliases: [], createdAt: at, createdBy: by)
    }

    /// The wire representation.
    public var dto: ModelVersion {
        ModelVersion(
            model: model, version: version, artifact: Artifact(uri: artifactURI, sha256: sha256), inputs: inputs,
            outputs: outputs, footprint: footprint, offlineMetrics: offlineMetrics, lineage: lineage,
            trainingRunID: trainingRunID, referenceProfileDigest: referenceProfileDigest, status: status,
            aliases: aliases.sorted(), createdAt: createdAt, createdBy: createdBy)
    }
}

/// The outcome of registering a version.
public enum VersionInsertOutcome: Sendable, Equatable {
    /// Stored now.
    case inserted(VersionRecord)
    /// A version with the same model and version id was already stored (returned as stored).
    case existing(VersionRecord)
}

/// A stored reference profile.
public struct StoredProfile: Sendable, Equatable {
    /// `sha256:<hex>` of the profile's canonical JSON.
    public var digest: String
    /// The canonical JSON.
    public var json: [UInt8]

    /// Creates a stored profile.
    public init(digest: String, json: [UInt8]) {
        self.digest = digest
        self.json = json
    }
}
