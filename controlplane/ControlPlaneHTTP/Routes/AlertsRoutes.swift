import ControlPlaneCore
import DroverAPI
import Hummingbird

/// `/v1/alerts…`: alerts (viewer), their deliveries, and operator-defined rules (operator).
struct AlertsRoutes {
    let controlPlane: ControlPlane
    let alerting: Alerting
    let http: HTTPConfiguration
    let clock: WallClock

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("alerts") { request, context in
            _ = try context.require(.alertsRead)
            let q = request.uri.queryParameters
            var status: Alert.Status?
            if let raw = q.get("status") {
                guard let parsed = Alert.Status(rawValue: raw) else {
                    throw ControlPlaneError.invalidField("status", "use firing or resolved")
                }
                status = parsed
            }
            let limit = try AlertingHTTP.limit(q.get("limit"))
            var alerts = try await alerting.alertStore.alerts(status: status, limit: q.get("fingerprint") == nil ? limit : Int.max)
            if let fingerprint = q.get("fingerprint") { alerts = Array(alerts.filter { $0.fingerprint == fingerprint }.prefix(limit)) }
            if let model = q.get("model") { alerts = alerts.filter { $0.labels["model"] == model } }
            return try JSONBody.response(AlertList(alerts: alerts))
        }
        routes.get("alerts/rules") { _, context in
            _ = try context.require(.alertsRead)
            return try JSONBody.response(AlertRuleList(rules: await alerting.engine.rules))
        }
        routes.post("alerts/rules") { request, context in
            let principal = try context.require(.alertsManage)
            let (rule, _) = try await JSONBody.decode(AlertRule.self, from: request, limit: http.maxBodyBytes)
            let now = clock.now()
            try await AlertingHTTP.mapErrors { try await alerting.engine.saveRule(rule, at: now) }
            try await controlPlane.store.appendAudit(
                AuditEntry(
                    principal: principal, at: now, action: "alert_rule.save", target: rule.name,
                    detail: ["metric": rule.metric, "op": rule.op.rawValue, "threshold": "\(rule.threshold)", "for_seconds": "\(rule.forSeconds)"]))
            return try JSONBody.response(rule, status: .created)
        }
        routes.delete("alerts/rules/:name") { _, context in
            let principal = try context.require(.alertsManage)
            let name = try context.pathParameter("name")
            let now = clock.now()
            try await AlertingHTTP.mapErrors { try await alerting.engine.deleteRule(named: name, at: now) }
            try await controlPlane.store.appendAudit(AuditEntry(principal: principal, at: now, action: "alert_rule.delete", target: name))
            return Response(status: .noContent)
        }
        routes.get("alerts/deliveries") { request, context in
            _ = try context.require(.alertsRead)
            let limit = try AlertingHTTP.limit(request.uri.queryParameters.get("limit"))
            return try JSONBody.response(AlertDeliveryList(deliveries: try await alerting.alertStore.deliveries(limit: limit)))
        }
        return routes
    }
}

/// `GET /v1/alerts` body.
struct AlertList: Encodable {
    var alerts: [Alert]
}

/// `GET /v1/alerts/rules` body.
struct AlertRuleList: Encodable {
    var rules: [AlertRule]
}

/// `GET /v1/alerts/deliveries` body.
struct AlertDeliveryList: Encodable {
    var deliveries: [AlertDelivery]
}

/// Shared helpers of the alerting routes.
enum AlertingHTTP {
    /// Parses `limit` (default 100, at most 1000).
    static func limit(_ raw: String?) throws -> Int {
        guard let raw else { return 100 }
        guard let value = Int(raw), value > 0, value <= 1000 else {
            throw ControlPlaneError.invalidField("limit", "must be an integer between 1 and 1000")
        }
        return value
    }

    /// Runs `body`, turning alerting errors into the control plane's JSON errors (400 with the field, 404).
    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AlertError {
            if error.codeName == "unknown_rule" { throw ControlPlaneError.notFound(error.message) }
            throw ControlPlaneError.invalidField(error.field ?? "body", error.message)
        } catch let error as RetrainError {
            if error.codeName == "unknown_request" { throw ControlPlaneError.notFound(error.message) }
            throw ControlPlaneError.invalidField(error.field ?? "body", error.message)
        } catch let error as TrainingError {
            if error.codeName == "unknown_run" { throw ControlPlaneError.notFound(error.message) }
            throw ControlPlaneError.invalidField(error.field ?? "body", error.message)
        }
    }
}

extension Router where Context == AppRequestContext {
    /// Adds the alerts, retraining and training-monitor routes under `/v1` (call from `buildRouter`).
    public func addAlertingRoutes(
        controlPlane: ControlPlane, alerting: Alerting, http: HTTPConfiguration, clock: WallClock = .system
    ) {
        addRoutes(AlertsRoutes(controlPlane: controlPlane, alerting: alerting, http: http, clock: clock).collection(), atPath: "/v1")
        addRoutes(RetrainingRoutes(alerting: alerting).collection(), atPath: "/v1")
        addRoutes(TrainingRoutes(alerting: alerting, http: http, clock: clock).collection(), atPath: "/v1")
    }
}
