import ControlPlaneCore
import DroverAPI
import Hummingbird
import Logging

/// Turns every error into the JSON body `{"error":{"code","message","field"?}}` with the right status.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ControlPlaneError {
            if error.kind == .storage {
                context.logger.error("request failed in the store", metadata: ["error": "\(error.message)"])
            }
            return Self.response(status: Self.status(error.kind), code: error.codeName, message: error.message, field: error.field)
        } catch let error as any HTTPResponseError {
            let code: String
            switch error.status {
            case .notFound: code = "not_found"
            case .methodNotAllowed: code = "method_not_allowed"
            case .contentTooLarge: code = "payload_too_large"
            case .badRequest: code = "bad_request"
            case .unauthorized: code = "unauthorized"
            default: code = "http_\(error.status.code)"
            }
            let message = (error as? HTTPError)?.body ?? (error.status == .notFound ? "no such endpoint; see /v1/openapi.json" : error.status.reasonPhrase)
            return Self.response(status: error.status, code: code, message: message, field: nil)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return Self.response(status: .internalServerError, code: "internal", message: "internal error; see the server log", field: nil)
        }
    }

    static func status(_ kind: ControlPlaneError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalidInput: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .unprocessable: .unprocessableContent
        case .payloadTooLarge: .contentTooLarge
        case .storage: .internalServerError
        }
    }

    static func response(status: HTTPResponse.Status, code: String, message: String, field: String?) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"drover\"" }
        let bytes = (try? DroverJSON.encode(APIErrorBody(code: code, message: message, field: field))) ?? Array("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
