import Foundation
import Hummingbird
import HummingbirdTesting
import RefModel
import RefServer
import Synchronization
import Testing

/// Records the exit codes the crash knob asked for, instead of exiting the test process.
final class ExitRecorder: Sendable {
    private let codes = Mutex<[Int32]>([])

    var recorded: [Int32] { codes.withLock { $0 } }

    var handler: @Sendable (Int32) -> Void {
        { code in self.codes.withLock { $0.append(code) } }
    }
}

/// A server under test with its state and exit recorder.
struct TestServer {
    let state: RefServerState
    let exits: ExitRecorder
    let configuration: RefServerConfiguration

    init(port: Int = 0, _ configure: (inout RefServerConfiguration) -> Void = { _ in }) throws {
        var configuration = RefServerConfiguration()
        configuration.port = port
        configure(&configuration)
        let exits = ExitRecorder()
        self.exits = exits
        self.configuration = configuration
        self.state = try RefServerState(configuration: configuration, exitHandler: exits.handler)
    }

    var app: some ApplicationProtocol { buildRefServer(configuration: configuration, state: state) }
}

/// Parses a JSON body into Foundation objects for shape checks.
func json(_ buffer: ByteBuffer) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [.fragmentsAllowed])
}

/// Parses a JSON object body.
func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try json(buffer) as? [String: Any], "expected a JSON object, got \(String(buffer: buffer))")
}

/// Encodes a JSON value to a request body.
func body(_ object: Any) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
}

/// A flat `[N, 7]` FP32 inference request body for generated rows.
func inferBody(rows: [[Float]], id: String? = "42", nested: Bool = false) throws -> ByteBuffer {
    let shape: [Int] = [rows.count, FeatureSchema.ranker.width]
    let data: Any = nested ? rows.map { $0.map(Double.init) } as Any : rows.flatMap { $0 }.map(Double.init) as Any
    let input: [String: Any] = ["name": "features", "datatype": "FP32", "shape": shape, "data": data]
    var request: [String: Any] = ["inputs": [input]]
    if let id { request["id"] = id }
    return try body(request)
}

/// A few generated rows.
func sampleRows(seed: UInt64 = 3, count: Int = 5) -> [[Float]] {
    var generator = TrafficGenerator(seed: seed)
    var rows: [[Float]] = []
    while rows.count < count { rows += generator.nextQuery().candidates.map(\.row) }
    return Array(rows.prefix(count))
}

/// The scores of an inference response.
func scores(_ buffer: ByteBuffer) throws -> [Double] {
    let object = try jsonObject(buffer)
    let outputs = try #require(object["outputs"] as? [[String: Any]])
    return try #require(outputs.first?["data"] as? [Double])
}

/// The `error` string of an OIP error body ("" when absent).
func errorMessage(_ buffer: ByteBuffer) throws -> String {
    (try jsonObject(buffer)["error"] as? String) ?? ""
}
