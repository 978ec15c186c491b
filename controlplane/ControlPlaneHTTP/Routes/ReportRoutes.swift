import ControlPlaneCore
import DroverAPI
import Hummingbird

/// `/v1/reports…`: ingest, one report or a batch.
struct ReportRoutes {
    let controlPlane: ControlPlane
    let http: HTTPConfiguration

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("reports") { request, context in
            let principal = try context.require(.agentSelf)
            let (report, json) = try await JSONBody.decode(Report.self, from: request, limit: http.maxBodyBytes)
            let ack = try await controlPlane.ingest.ingest([.init(report: report, json: json)], by: principal)
            return JSONBody.response(bytes: ack.jsonBytes(), status: ack.accepted.isEmpty ? .ok : .created)
        }
        routes.post("reports/batch") { request, context in
            let principal = try context.require(.agentSelf)
            let (batch, _) = try await JSONBody.decode(ReportBatch.self, from: request, limit: http.maxBatchBodyBytes)
            guard !batch.reports.isEmpty else { throw ControlPlaneError.invalidField("reports", "must hold at least one report") }
            let ack = try await controlPlane.ingest.ingest(batch.reports.map { .init(report: $0) }, by: principal)
            return JSONBody.response(bytes: ack.jsonBytes())
        }
        return routes
    }
}
