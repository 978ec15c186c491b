import ControlPlaneCore
import DroverAPI
import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reading and writing JSON bodies with Drover's coders, size limits and field-naming decode errors.
enum JSONBody {
    /// Collects the body up to `limit` bytes (413 beyond).
    ///
    /// Each chunk is copied once, straight into an array sized from Content-Length (`collect` would first merge
    /// the chunks into one ByteBuffer, copy-on-write of NIO's read buffer included, and `readBytes` copy again).
    static func bytes(_ request: Request, limit: Int) async throws -> [UInt8] {
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let length, length > limit { throw ControlPlaneError.payloadTooLarge(limit: limit) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length ?? 0)
        for try await chunk in request.body {
            guard chunk.readableBytes <= limit - bytes.count else { throw ControlPlaneError.payloadTooLarge(limit: limit) }
            chunk.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Decodes `T` from the body, mapping decoding errors to 400 with the field named.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> (T, [UInt8]) {
        let bytes = try await bytes(request, limit: limit)
        return (try decode(type, bytes), bytes)
    }

    /// Decodes `T` from bytes, mapping decoding errors to `invalid_field`.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        guard !bytes.isEmpty else { throw ControlPlaneError.invalidField("body", "the request body is empty; send a JSON document") }
        do {
            return try DroverJSON.decode(type, from: bytes)
        } catch let error as DecodingError {
            throw Self.map(error)
        }
    }

    /// Decodes a fast-path type (a report or a batch) from the body with the byte-level reader, mapping its errors
    /// to 400 with the field named, as the Codable path does.
    static func decode<T: Decodable & JSONReadable>(_ type: T.Type, from request: Request, limit: Int) async throws -> (T, [UInt8]) {
        let bytes = try await bytes(request, limit: limit)
        return (try decode(type, bytes), bytes)
    }

    /// Decodes a fast-path type from bytes with the byte-level reader, mapping its errors to `invalid_field`.
    static func decode<T: Decodable & JSONReadable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        guard !bytes.isEmpty else { throw ControlPlaneError.invalidField("body", "the request body is empty; send a JSON document") }
        do {
            return try JSONReader.decode(type, from: bytes)
        } catch {
            throw ControlPlaneError.invalidField(error.field, error.message)
        }
    }

    /// A JSON response.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let bytes = try DroverJSON.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON response from bytes already encoded (the fast path for acknowledgements).
    static func response(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        let headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Maps a decoding error to an `invalid_field` error naming the JSON path.
    static func map(_ error: DecodingError) -> ControlPlaneError {
        func path(_ codingPath: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
            var out = ""
            for k in codingPath + (key.map { [$0] } ?? []) {
                if let i = k.intValue { out += "[\(i)]" } else { out += out.isEmpty ? k.stringValue : ".\(k.stringValue)" }
            }
            return out.isEmpty ? "body" : out
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidField(path(context.codingPath, appending: key), "is required")
        case .typeMismatch(let type, let context):
            return .invalidField(path(context.codingPath), "has the wrong type; expected \(Self.jsonType(type))")
        case .valueNotFound(let type, let context):
            return .invalidField(path(context.codingPath), "must not be null; expected \(Self.jsonType(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .invalidField("body", "is not valid JSON")
            }
            return .invalidField(path(context.codingPath), context.debugDescription)
        @unknown default:
            return .invalidField("body", "could not be decoded")
        }
    }

    static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: "\(type)"
        }
    }
}

extension AppRequestContext {
    /// A path parameter, percent-decoded (agent ids may contain `/`, sent as `%2F`).
    func pathParameter(_ name: String) throws -> String {
        guard let raw = parameters.get(name) else { throw ControlPlaneError.invalidField(name, "is missing from the path") }
        return PercentDecoding.decode(raw)
    }
}
