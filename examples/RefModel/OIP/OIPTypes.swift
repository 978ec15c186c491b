/// `GET /v2` body: `{"name","version","extensions"}`.
public struct OIPServerMetadata: Codable, Sendable, Equatable {
    /// A descriptive name for the server.
    public var name: String
    /// The server version.
    public var version: String
    /// The protocol extensions supported (`model_repository`).
    public var extensions: [String]

    /// Creates the metadata.
    public init(name: String, version: String, extensions: [String]) {
        self.name = name
        self.version = version
        self.extensions = extensions
    }
}

/// A tensor's name, datatype and shape (`-1` for a variable dimension).
public struct OIPMetadataTensor: Codable, Sendable, Equatable {
    /// The tensor's name.
    public var name: String
    /// The element type, e.g. `FP32`.
    public var datatype: String
    /// The shape; `-1` marks a variable dimension.
    public var shape: [Int]

    /// Creates a tensor description.
    public init(name: String, datatype: String, shape: [Int]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
    }
}

/// `GET /v2/models/{name}[/versions/{v}]` body: `{"name","versions","platform","inputs","outputs"}`.
public struct OIPModelMetadata: Codable, Sendable, Equatable {
    /// The model name.
    public var name: String
    /// The versions that may be requested explicitly.
    public var versions: [String]?
    /// The framework/backend.
    public var platform: String
    /// The inputs the model needs.
    public var inputs: [OIPMetadataTensor]
    /// The outputs it produces.
    public var outputs: [OIPMetadataTensor]

    /// Creates model metadata.
    public init(
        name: String, versions: [String]?, platform: String, inputs: [OIPMetadataTensor], outputs: [OIPMetadataTensor]
    ) {
        self.name = name
        self.versions = versions
        self.platform = platform
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// `GET /v2/health/live` body: `{"live": bool}`.
public struct OIPLiveResponse: Codable, Sendable, Equatable {
    /// Whether the server is live.
    public var live: Bool

    /// Creates the body.
    public init(live: Bool) {
        self.live = live
    }
}

/// `GET /v2/health/ready` body: `{"ready": bool}`.
public struct OIPReadyResponse: Codable, Sendable, Equatable {
    /// Whether the server is ready.
    public var ready: Bool

    /// Creates the body.
    public init(ready: Bool) {
        self.ready = ready
    }
}

/// `GET /v2/models/{name}[/versions/{v}]/ready` body: `{"name","ready"}`.
public struct OIPModelReadyResponse: Codable, Sendable, Equatable {
    /// The model name.
    public var name: String
    /// Whether it is ready for inference.
    public var ready: Bool

    /// Creates the body.
    public init(name: String, ready: Bool) {
        self.name = name
        self.ready = ready
    }
}

/// The error body of every OIP endpoint: `{"error": "message"}`.
public struct OIPErrorResponse: Codable, Sendable, Equatable {
    /// What went wrong and what to do.
    public var error: String

    /// Creates an error body.
    public init(error: String) {
        self.error = error
    }
}

/// A `$parameters` value: a string, number or boolean.
public enum OIPParameter: Codable, Sendable, Equatable {
    /// A string value.
    case string(String)
    /// A number value.
    case number(Double)
    /// A boolean value.
    case bool(Bool)

    /// Decodes a JSON string, number or boolean.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes as the JSON scalar.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    /// The value as text (numbers in their shortest integer form when whole).
    public var text: String {
        switch self {
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        }
    }
}

/// Tensor `data`: a JSON array, flat or nested, of numbers, booleans or strings.
public indirect enum OIPTensorData: Codable, Sendable, Equatable {
    /// A number element.
    case number(Double)
    /// A boolean element.
    case bool(Bool)
    /// A string element.
    case string(String)
    /// A (possibly nested) array.
    case array([OIPTensorData])

    /// Decodes any JSON array/scalar shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let values = try? container.decode([OIPTensorData].self) {
            self = .array(values)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes as the JSON value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        }
    }
}

/// One input tensor of an inference request.
public struct OIPRequestInput: Codable, Sendable, Equatable {
    /// The tensor name.
    public var name: String
    /// The shape of the whole batch.
    public var shape: [Int]
    /// The element type.
    public var datatype: String
    /// Optional per-input parameters.
    public var parameters: [String: OIPParameter]?
    /// The elements, row-major, flat or nested.
    public var data: OIPTensorData

    /// Creates an input tensor.
    public init(
        name: String, shape: [Int], datatype: String, data: OIPTensorData, parameters: [String: OIPParameter]? = nil
    ) {
        self.name = name
        self.shape = shape
        self.datatype = datatype
        self.data = data
        self.parameters = parameters
    }
}

/// A requested output of an inference request.
public struct OIPRequestOutput: Codable, Sendable, Equatable {
    /// The output's name.
    public var name: String
    /// Optional parameters.
    public var parameters: [String: OIPParameter]?

    /// Creates a requested output.
    public init(name: String, parameters: [String: OIPParameter]? = nil) {
        self.name = name
        self.parameters = parameters
    }
}

/// `POST .../infer` body: `{"id"?, "parameters"?, "inputs", "outputs"?}`.
public struct OIPInferenceRequest: Codable, Sendable, Equatable {
    /// An id echoed in the response.
    public var id: String?
    /// Request parameters.
    public var parameters: [String: OIPParameter]?
    /// Input tensors.
    public var inputs: [OIPRequestInput]
    /// Requested outputs (all when absent).
    public var outputs: [OIPRequestOutput]?

    /// Creates a request.
    public init(
        id: String? = nil, parameters: [String: OIPParameter]? = nil, inputs: [OIPRequestInput],
        outputs: [OIPRequestOutput]? = nil
    ) {
        self.id = id
        self.parameters = parameters
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// One output tensor of an inference response (FP32 data, flat, row-major).
public struct OIPResponseOutput: Codable, Sendable, Equatable {
    /// The tensor name.
    public var name: String
    /// The element type.
    public var datatype: String
    /// The shape.
    public var shape: [Int]
    /// The elements, row-major.
    public var data: [Float]

    /// Creates an output tensor.
    public init(name: String, datatype: String, shape: [Int], data: [Float]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
        self.data = data
    }
}

/// `POST .../infer` response: `{"model_name","model_version","id","outputs"}`.
public struct OIPInferenceResponse: Codable, Sendable, Equatable {
    /// The model used.
    public var modelName: String
    /// The version used.
    public var modelVersion: String?
    /// The request id (echoed, or generated when the request had none).
    public var id: String
    /// Response parameters.
    public var parameters: [String: OIPParameter]?
    /// The output tensors.
    public var outputs: [OIPResponseOutput]

    /// Creates a response.
    public init(
        modelName: String, modelVersion: String?, id: String, parameters: [String: OIPParameter]? = nil,
        outputs: [OIPResponseOutput]
    ) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.id = id
        self.parameters = parameters
        self.outputs = outputs
    }

    enum CodingKeys: String, CodingKey {
        case modelName = "model_name", modelVersion = "model_version", id, parameters, outputs
    }
}

/// `POST /v2/repository/index` body: `{"ready"?: bool}`.
public struct OIPRepositoryIndexRequest: Codable, Sendable, Equatable {
    /// When true, list only versions ready for inference.
    public var ready: Bool?

    /// Creates the body.
    public init(ready: Bool? = nil) {
        self.ready = ready
    }
}

/// One entry of the repository index: `{"name","version","state","reason"}`.
public struct OIPRepositoryIndexEntry: Codable, Sendable, Equatable {
    /// The model name.
    public var name: String
    /// The version.
    public var version: String?
    /// `READY` or `UNAVAILABLE`.
    public var state: String
    /// Why it is in that state ("" when ready).
    public var reason: String

    /// Creates an entry.
    public init(name: String, version: String?, state: String, reason: String) {
        self.name = name
        self.version = version
        self.state = state
        self.reason = reason
    }
}

/// `POST /v2/repository/models/{name}/load|unload` body: `{"parameters"?: {...}}`.
public struct OIPRepositoryRequest: Codable, Sendable, Equatable {
    /// Parameters; this server understands `version`.
    public var parameters: [String: OIPParameter]?

    /// Creates a request.
    public init(parameters: [String: OIPParameter]? = nil) {
        self.parameters = parameters
    }
}
