/// Polling for conditions that become true asynchronously (a server answering, a file appearing).
public enum Eventually {
    /// Polls `condition` every `poll` until it returns true; throws a timeout error naming `what` after `timeout`.
    public static func wait(
        timeout: Duration = .seconds(10), poll: Duration = .milliseconds(20),
        _ what: String = "condition",
        fileID: String = #fileID, line: Int = #line,
        _ condition: @Sendable () async throws -> Bool
    ) async throws {
        try await repeatUntil(
            timeout: timeout, poll: poll, failure: "\(what) did not hold", fileID: fileID, line: line
        ) {
            try await condition() ? () : nil
        }
    }

    /// Polls `produce` until it returns a value; throws a timeout error naming `what` after `timeout`.
    public static func value<T: Sendable>(
        timeout: Duration = .seconds(10), poll: Duration = .milliseconds(20), _ what: String = "value",
        fileID: String = #fileID, line: Int = #line,
        _ produce: @Sendable () async throws -> T?
    ) async throws -> T {
        try await repeatUntil(
            timeout: timeout, poll: poll, failure: "\(what) was not available", fileID: fileID,
            line: line, produce)
    }

    /// Calls `produce` every `poll` until it returns a value (errors other than cancellation count as "not yet");
    /// after `timeout` throws "`failure` within `timeout`" with the last error.
    private static func repeatUntil<T>(
        timeout: Duration, poll: Duration, failure: String, fileID: String, line: Int,
        _ produce: () async throws -> T?
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var lastError: (any Error)?
        while true {
            do {
                if let value = try await produce() { return value }
                lastError = nil
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastError = error
            }
            if clock.now >= deadline {
                var message = "\(failure) within \(timeout) (\(fileID):\(line))"
                if let lastError { message += "; last error: \(lastError)" }
                throw TestKitError.timeout(message)
            }
            try await Task.sleep(for: poll)
        }
    }
}
