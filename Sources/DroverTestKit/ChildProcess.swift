import DroverProcess
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process for end-to-end tests: output captured to files, waits with timeouts, always killed when dropped.
///
/// Call `stop()` at the end of a test (it sends SIGTERM, waits, then SIGKILL); `deinit` kills a process still running.
public final class ChildProcess: Sendable {
    /// Which output stream to read.
    public enum Stream: Sendable {
        /// Standard output.
        case stdout
        /// Standard error.
        case stderr
    }

    /// How a process ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It exited with a status code.
        case exited(Int32)
        /// It was killed by a signal.
        case signalled(Int32)

        /// `exit 0` or `signal 9`.
        public var description: String {
            switch self {
            case .exited(let code): return "exit \(code)"
            case .signalled(let signal): return "signal \(signal)"
            }
        }
    }

    /// The executable that was launched.
    public let executable: URL
    /// The arguments it was launched with.
    public let arguments: [String]
    /// The file stdout is written to.
    public let stdoutURL: URL
    /// The file stderr is written to.
    public let stderrURL: URL
    /// The process id (also the id of its process group, so signals reach its children too).
    public let pid: Int32

    // The exit status once reaped; reaping happens under this Mutex so the pid is never signalled after reuse.
    private let reaped = Mutex<Termination?>(nil)
    private let outputDirectory: TemporaryDirectory?

    /// Launches `executable` with `arguments`; `environment` entries are added to (or replace) the inherited ones.
    ///
    /// The child starts in its own process group with default signal handling and nothing blocked (whatever the
    /// test runner's threads block), stdin from /dev/null and stdout/stderr to files in `outputDirectory`
    /// (a fresh temporary directory, removed when the process is dropped, when nil).
    public init(
        executable: URL, arguments: [String] = [], environment: [String: String] = [:],
        inheritEnvironment: Bool = true, currentDirectory: URL? = nil, outputDirectory: URL? = nil
    ) throws {
        let directory: URL
        let temporary: TemporaryDirectory?
        if let outputDirectory {
            directory = outputDirectory
            temporary = nil
        } else {
            temporary = try TemporaryDirectory(prefix: "drover-proc")
            directory = temporary!.url
        }
        let base = executable.lastPathComponent
        let stamp = UUID().uuidString.prefix(8)
        stdoutURL = directory.appendingPathComponent("\(base)-\(stamp).stdout")
        stderrURL = directory.appendingPathComponent("\(base)-\(stamp).stderr")
        var env = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        env.merge(environment) { _, new in new }
        do {
            pid = try ChildSpawn.spawn(
                executable.path, arguments: [executable.path] + arguments,
                environment: env.map { "\($0.key)=\($0.value)" }, directory: currentDirectory?.path,
                stdin: .null, stdout: .writeFile(stdoutURL.path), stderr: .writeFile(stderrURL.path))
        } catch {
            temporary?.cleanup()
            throw TestKitError.process("\(error) — build it first (`swift build`)")
        }
        self.executable = executable
        self.arguments = arguments
        self.outputDirectory = temporary
    }

    /// Launches a built executable of this package by product name (see `BuiltProducts`).
    public convenience init(product: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        try self.init(
            executable: BuiltProducts.executable(named: product), arguments: arguments, environment: environment)
    }

    deinit {
        let pid = self.pid
        reaped.withLock { state in
            guard state == nil else { return }
            sendSignal(-pid, SIGKILL)
            sendSignal(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            state = Termination(status: status)
        }
        outputDirectory?.cleanup()
    }

    /// Whether the process is still running.
    public var isRunning: Bool { termination == nil }

    /// How the process ended, or nil while it runs.
    public var termination: Termination? {
        reaped.withLock { state in
            if state == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { state = Termination(status: status) }
            }
            return state
        }
    }

    /// Everything the process has written to `stream` so far.
    public func output(_ stream: Stream = .stdout) -> String {
        let url = stream == .stdout ? stdoutURL : stderrURL
        guard let data = FileManager.default.contents(atPath: url.path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The complete lines written to `stream` so far.
    public func lines(_ stream: Stream = .stdout) -> [String] {
        let text = output(stream)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    /// Waits until a complete line on `stream` satisfies `predicate` and returns it.
    ///
    /// Fails early if the process exits first; the error includes the tail of its output.
    @discardableResult
    public func waitForLine(
        on stream: Stream = .stdout, timeout: Duration = .seconds(10),
        where predicate: @escaping @Sendable (String) -> Bool
    ) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if let line = lines(stream).first(where: predicate) { return line }
            if let termination {
                if let line = lines(stream).first(where: predicate) { return line }
                throw TestKitError.process(
                    "\(executable.lastPathComponent) ended (\(termination)) before printing the expected line\n"
                        + diagnostics())
            }
            if clock.now >= deadline {
                throw TestKitError.timeout(
                    "\(executable.lastPathComponent) printed no matching line within \(timeout)\n" + diagnostics())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until a line on `stream` contains `text` and returns it.
    @discardableResult
    public func waitForLine(
        containing text: String, on stream: Stream = .stdout, timeout: Duration = .seconds(10)
    ) async throws -> String {
        try await waitForLine(on: stream, timeout: timeout) { $0.contains(text) }
    }

    /// Waits until a file exists at `url` (e.g. a port file or pid file the process writes).
    public func waitForFile(_ url: URL, timeout: Duration = .seconds(10)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !FileManager.default.fileExists(atPath: url.path) {
            if let termination {
                throw TestKitError.process(
                    "\(executable.lastPathComponent) ended (\(termination)) before creating \(url.path)\n"
                        + diagnostics())
            }
            if clock.now >= deadline {
                throw TestKitError.timeout("\(url.path) did not appear within \(timeout)\n" + diagnostics())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends a signal (SIGTERM by default) to the process and its process group, if it still runs.
    public func signal(_ signal: Int32 = SIGTERM) {
        let pid = self.pid
        reaped.withLock { state in
            guard state == nil else { return }
            sendSignal(pid, signal)
            sendSignal(-pid, signal)
        }
    }

    /// Sends SIGTERM.
    public func terminate() { signal(SIGTERM) }

    /// Sends SIGKILL.
    public func kill() { signal(SIGKILL) }

    /// Waits for the process to end and returns how; throws a timeout error if it is still running after `timeout`.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(10)) async throws -> Termination {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if let termination { return termination }
            if clock.now >= deadline {
                throw TestKitError.timeout(
                    "\(executable.lastPathComponent) still running after \(timeout)\n" + diagnostics())
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops the process: SIGTERM, up to `grace` to exit, then SIGKILL; returns how it ended.
    @discardableResult
    public func stop(grace: Duration = .seconds(5)) async -> Termination {
        terminate()
        if let ended = try? await waitForExit(timeout: grace) { return ended }
        kill()
        if let ended = try? await waitForExit(timeout: .seconds(10)) { return ended }
        return termination ?? .signalled(SIGKILL)
    }

    /// The command line and the last lines of stdout and stderr, for failure messages.
    public func diagnostics(lines count: Int = 20) -> String {
        let out = lines(.stdout).suffix(count).joined(separator: "\n")
        let err = lines(.stderr).suffix(count).joined(separator: "\n")
        return
            "command: \(executable.path) \(arguments.joined(separator: " "))\n--- stdout (tail) ---\n\(out)\n--- stderr (tail) ---\n\(err)"
    }
}

extension ChildProcess.Termination {
    /// Decodes a `waitpid` status.
    fileprivate init(status: Int32) {
        let decoded = ChildSpawn.termination(status: status)
        self = decoded.signalled ? .signalled(decoded.value) : .exited(decoded.value)
    }
}

/// `kill(2)` under a name that the `ChildProcess.kill()` method does not shadow.
private func sendSignal(_ pid: Int32, _ signal: Int32) {
    _ = kill(pid, signal)
}
