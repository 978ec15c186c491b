import ControlPlaneCore
import ControlPlaneHTTP
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// A control plane (in-memory or SQLite) behind the real router, with a token of every role.
struct HTTPHarness {
    let controlPlane: ControlPlane
    let tokens: [Role: String]
    let http: HTTPConfiguration

    init(store: any ControlPlaneStore = InMemoryControlPlaneStore(), maxBodyBytes: Int = 256 * 1024, maxLongPoll: Duration = .seconds(60)) async throws {
        controlPlane = ControlPlane(store: store, maxLongPoll: maxLongPoll)
        var tokens: [Role: String] = [:]
        for role in [Role.admin, .operator, .viewer, .enroll] {
            tokens[role] = try await controlPlane.tokens.create(role: role, name: role.rawValue, by: .system).secret
        }
        self.tokens = tokens
        http = HTTPConfiguration(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes, maxBatchBodyBytes: maxBodyBytes * 4)
    }

    func app() -> some ApplicationProtocol {
        buildApplication(configuration: http, controlPlane: controlPlane, metrics: { "# metrics\n" }, logger: Logger(label: "test"))
    }

    /// Enrols an agent through the core and returns its token.
    func enrollAgent(_ id: String = Fixtures.agentID, zone: String = "eu-1") async throws -> String {
        let enroll = try await controlPlane.tokens.authenticate(tokens[.enroll]!)
        return try await controlPlane.agents.enroll(EnrollRequest(agentID: id, model: Fixtures.model, labels: ["zone": zone]), by: enroll).token
    }
}

/// `Authorization: Bearer …` plus a JSON content type.
func auth(_ token: String?) -> HTTPFields {
    var headers: HTTPFields = [.contentType: "application/json"]
    if let token { headers[.authorization] = "Bearer \(token)" }
    return headers
}

/// Drover JSON bytes of a value.
func body(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(bytes: try DroverJSON.encode(value)) }

/// Decodes a response body with Drover's decoder.
func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    try DroverJSON.decode(type, from: Array(buffer: response.body))
}

/// The JSON error of a response.
func apiError(_ response: TestResponse) throws -> APIErrorBody.Detail {
    try decode(APIErrorBody.self, response).error
}
