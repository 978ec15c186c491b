import Foundation
import HTTPTypes
import Hummingbird
import RefModel

/// JSON response helpers (OIP bodies are plain JSON objects; errors are `{"error": "..."}`).
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable) -> Response {
        make(.ok, value)
    }

    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"could not encode the response"}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ error: OIPError) -> Response {
        make(error.status, OIPErrorResponse(error: error.message))
    }

    /// Decodes a JSON body; an empty body decodes as `empty` when given.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int, empty: T? = nil) async throws
        -> T
    {
        let buffer = try await request.body.collect(upTo: limit)
        if buffer.readableBytes == 0
            || buffer.readableBytesView.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 })
        {
            if let empty { return empty }
            throw OIPError(.badRequest, "the request body is empty; expected a JSON object")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, context) {
            throw OIPError(.badRequest, "missing field \"\(pathText(context.codingPath + [key]))\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw OIPError(
                .badRequest, "field \"\(pathText(context.codingPath))\" has the wrong type: \(context.debugDescription)"
            )
        } catch let DecodingError.valueNotFound(_, context) {
            throw OIPError(.badRequest, "field \"\(pathText(context.codingPath))\" must not be null")
        } catch let DecodingError.dataCorrupted(context) {
            let path = pathText(context.codingPath)
            throw OIPError(
                .badRequest,
                path.isEmpty
                    ? "the body is not valid JSON" : "field \"\(path)\" is invalid: \(context.debugDescription)")
        }
    }

    private static func pathText(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(
            in: CharacterSet(charactersIn: "."))
    }
}

/// Turns every error into the OIP error body `{"error": "..."}` (Hummingbird's own 404s included).
struct OIPErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as OIPError {
            return JSONResponse.error(error)
        } catch let error as HTTPError {
            let message =
                error.body
                ?? (error.status == .notFound
                    ? "no such endpoint: \(request.method) \(request.uri.path)" : "\(error.status)")
            return JSONResponse.error(OIPError(error.status, message))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return JSONResponse.error(OIPError(.internalServerError, "internal error: \(error)"))
        }
    }
}

/// Calls the exit handler when a crash on the next request is armed (requests under `/admin` excepted).
struct CrashMiddleware<Context: RequestContext>: RouterMiddleware {
    let state: RefServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if !request.uri.path.hasPrefix("/admin") { state.crashIfArmed() }
        return try await next(request, context)
    }
}
