/// Polling for conditions that become true asynchronously (a server answering, a file appearing).
public enum Eventually {
    /// Polls `condition` every `poll` until it returns true; throws a timeout error naming `what` after `timeout`.
    public static func wait(
        timeout: Duration = .seconds(10), poll: Duration = .milliseconds(20), _ what: String = "condition",
        fileID: String = #fileID, line: Int = #line,
        _ condition: @Sendable () async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var lastError: (any Error)?
        while true {
            do {
                if try await condition() { return }
                lastError = nil
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastError = error
            }
            if clock.now >= deadline {
                var message = "\(what) did not hold within \(timeout) (\(fileID):\(line))"
                if let lastError { message += "; last error: \(lastError)" }
                throw TestKitError.timeout(message)
            }
            try await Task.sleep(for: poll)
        }
    }

    /// Polls `produce` until it returns a value; throws a timeout error naming `what` after `timeout`.
    public static func value<T: Sendable>(
        timeout: Duration = .seconds(10), poll: Duration = .milliseconds(20), _ what: String = "value",
        fileID: String = #fileID, line: Int = #line,
        _ produce: @Sendable () async throws -> T?
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
                var message = "\(what) was not available within \(timeout) (\(fileID):\(line))"
                if let lastError { message += "; last error: \(lastError)" }
                throw TestKitError.timeout(message)
            }
            try await Task.sleep(for: poll)
        }
    }
}
