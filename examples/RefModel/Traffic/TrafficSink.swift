import DroverAPI
import Foundation
import Synchronization

/// Where the generator puts prediction and label events.
public protocol TrafficSink: Sendable {
    /// Delivers prediction events.
    func deliver(predictions: [PredictionEvent]) async throws
    /// Delivers label events.
    func deliver(labels: [LabelEvent]) async throws
    /// Flushes anything buffered.
    func finish() async throws
}

/// Posts events to a Drover agent: `POST /v1/events` and `POST /v1/labels` with JSON arrays.
public struct AgentSink: TrafficSink {
    /// The agent's base URL, e.g. `http://127.0.0.1:7070`.
    public let baseURL: String
    private let transport: any HTTPTransport
    private let timeout: Duration

    /// The agent's event path.
    public static let eventsPath = "/v1/events"
    /// The agent's label path.
    public static let labelsPath = "/v1/labels"

    /// Creates a sink.
    public init(transport: any HTTPTransport, baseURL: String, timeout: Duration = .seconds(10)) {
        self.transport = transport
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
    }

    /// Posts a JSON array of prediction events.
    public func deliver(predictions: [PredictionEvent]) async throws {
        guard !predictions.isEmpty else { return }
        _ = try await transport.sendExpectingSuccess(
            TransportRequest.json(.post, baseURL + Self.eventsPath, predictions, timeout: timeout))
    }

    /// Posts a JSON array of label events.
    public func deliver(labels: [LabelEvent]) async throws {
        guard !labels.isEmpty else { return }
        _ = try await transport.sendExpectingSuccess(
            TransportRequest.json(.post, baseURL + Self.labelsPath, labels, timeout: timeout))
    }

    /// Nothing to flush.
    public func finish() async throws {}
}

/// Appends events as JSON Lines to files (either may be nil to drop that kind).
public final class JSONLinesSink: TrafficSink {
    private let events: Mutex<FileHandle?>
    private let labels: Mutex<FileHandle?>

    /// Creates (truncating) the files.
    public init(eventsPath: String?, labelsPath: String?) throws {
        func open(_ path: String?) throws -> FileHandle? {
            guard let path else { return nil }
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        self.events = Mutex(try open(eventsPath))
        self.labels = Mutex(try open(labelsPath))
    }

    /// Appends prediction events, one per line.
    public func deliver(predictions: [PredictionEvent]) async throws {
        try write(predictions, to: events)
    }

    /// Appends label events, one per line.
    public func deliver(labels: [LabelEvent]) async throws {
        try write(labels, to: self.labels)
    }

    /// Closes the files.
    public func finish() async throws {
        try events.withLock {
            try $0?.close(); $0 = nil
        }
        try labels.withLock {
            try $0?.close(); $0 = nil
        }
    }

    private func write(_ values: [some Encodable], to handle: borrowing Mutex<FileHandle?>) throws {
        guard !values.isEmpty else { return }
        var text = ""
        for value in values { text += try TrafficFiles.jsonLine(value) + "\n" }
        try handle.withLock { try $0?.write(contentsOf: Data(text.utf8)) }
    }
}

/// Delivers to several sinks in turn.
public struct FanOutSink: TrafficSink {
    /// The sinks.
    public let sinks: [any TrafficSink]

    /// Creates a fan-out.
    public init(_ sinks: [any TrafficSink]) {
        self.sinks = sinks
    }

    /// Delivers to every sink.
    public func deliver(predictions: [PredictionEvent]) async throws {
        for sink in sinks { try await sink.deliver(predictions: predictions) }
    }

    /// Delivers to every sink.
    public func deliver(labels: [LabelEvent]) async throws {
        for sink in sinks { try await sink.deliver(labels: labels) }
    }

    /// Finishes every sink.
    public func finish() async throws {
        for sink in sinks { try await sink.finish() }
    }
}
