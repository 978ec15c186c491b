/// Request counters (`GET /admin/stats`), for tests and demos.
///
/// Wire shape: `{"infer_requests":{"1":n},"infer_ok":{"1":n},"infer_errors_injected":n,"infer_bad_requests":n,"hanging":n,"crashes_triggered":n}`.
public struct RefServerStats: Codable, Sendable, Equatable {
    /// Inference requests that reached a loaded version, by version.
    public var inferRequests: [String: Int] = [:]
    /// Inference requests answered 200, by version.
    public var inferOK: [String: Int] = [:]
    /// Inference requests answered 500 by the error-rate knob.
    public var inferErrorsInjected: Int = 0
    /// Inference requests rejected as malformed (400).
    public var inferBadRequests: Int = 0
    /// Inference requests waiting in a hang right now.
    public var hanging: Int = 0
    /// How many times the crash knob called the exit handler.
    public var crashesTriggered: Int = 0

    /// All zero.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case inferRequests = "infer_requests", inferOK = "infer_ok", inferErrorsInjected = "infer_errors_injected"
        case inferBadRequests = "infer_bad_requests", hanging, crashesTriggered = "crashes_triggered"
    }
}
