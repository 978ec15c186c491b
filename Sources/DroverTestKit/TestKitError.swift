/// A failure inside a test helper; the message says what went wrong and how to fix it.
public struct TestKitError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case executableNotFound
        case timeout
        case system
        case process
    }

    private let code: Code
    /// A human-readable explanation with the fix.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The explanation.
    public var description: String { message }

    /// Whether this error is a timeout (from `Eventually`, `ChildProcess` waits).
    public var isTimeout: Bool { code == .timeout }

    /// A built executable could not be found.
    public static func executableNotFound(_ name: String, searched: [String]) -> TestKitError {
        TestKitError(
            .executableNotFound,
            "executable '\(name)' not found; run `swift build --product \(name)` (or `swift build`) first. Looked in: "
                + searched.joined(separator: ", "))
    }

    /// A wait ran out of time.
    public static func timeout(_ what: String) -> TestKitError { TestKitError(.timeout, "timed out: \(what)") }

    /// A system call failed.
    public static func system(_ call: String, errno: Int32) -> TestKitError {
        TestKitError(.system, "\(call) failed with errno \(errno)")
    }

    /// A child process could not be started or behaved unexpectedly.
    public static func process(_ message: String) -> TestKitError { TestKitError(.process, message) }
}
