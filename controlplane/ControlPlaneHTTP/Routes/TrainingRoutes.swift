import ControlPlaneCore
import DroverAPI
import Hummingbird

/// `/v1/training/runs…`: training jobs post steps (operator token, or an agent credential); viewers read run health.
struct TrainingRoutes {
    let alerting: Alerting
    let http: HTTPConfiguration
    let clock: WallClock

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("training/runs/:run/steps") { request, context in
            let principal = try context.requirePrincipal()
            guard principal.role == .agent || principal.role.allows(.trainingWrite) else {
                throw ControlPlaneError.forbidden(
                    "a \(principal.role.rawValue) token may not post training steps (needs training.write); use an operator token or an agent credential")
            }
            let run = try context.pathParameter("run")
            let bytes = try await JSONBody.bytes(request, limit: http.maxBatchBodyBytes)
            let steps = try Self.decodeSteps(bytes)
            let health = try await AlertingHTTP.mapErrors {
                try await alerting.training.ingest(runID: run, steps: steps, at: clock.now())
            }
            return try JSONBody.response(health)
        }
        routes.get("training/runs") { request, context in
            _ = try context.require(.read)
            let limit = try AlertingHTTP.limit(request.uri.queryParameters.get("limit"))
            return try JSONBody.response(TrainingRunList(runs: try await alerting.training.runs(limit: limit)))
        }
        routes.get("training/runs/:run") { _, context in
            _ = try context.require(.read)
            let run = try context.pathParameter("run")
            guard let state = try await alerting.training.run(runID: run) else {
                throw ControlPlaneError.notFound("training run \"\(run)\" has not posted any steps")
            }
            let blocked = try await alerting.training.promotionBlocked(runID: run)
            return try JSONBody.response(TrainingRunDetail(health: state.health, promotionBlocked: blocked, recentSteps: state.recent))
        }
        return routes
    }

    /// Accepts one step, an array of steps, or `{"steps": [...]}`.
    static func decodeSteps(_ bytes: [UInt8]) throws -> [TrainingStep] {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "[") { return try JSONBody.decode([TrainingStep].self, bytes) }
        if let wrapped = try? DroverJSON.decode(StepBatch.self, from: bytes) { return wrapped.steps }
        return [try JSONBody.decode(TrainingStep.self, bytes)]
    }
}

/// `{"steps": [...]}`.
struct StepBatch: Decodable {
    var steps: [TrainingStep]
}

/// `GET /v1/training/runs` body.
struct TrainingRunList: Encodable {
    var runs: [TrainingRunHealth]
}

/// `GET /v1/training/runs/{run}` body.
struct TrainingRunDetail: Encodable {
    var health: TrainingRunHealth
    var promotionBlocked: String?
    var recentSteps: [TrainingStep]

    enum CodingKeys: String, CodingKey {
        case health, promotionBlocked = "promotion_blocked", recentSteps = "recent_steps"
    }
}
