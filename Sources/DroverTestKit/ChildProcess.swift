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
    /// The process id.
    public let pid: Int32

    // Foundation's Process is not declared Sendable on every platform; it is only touched under this Mutex.
    private let process: Mutex<Process>
    private let outputDirectory: TemporaryDirectory?

    /// Launches `executable` with `arguments`; `environment` entries are added to (or replace) the inherited ones.
    ///
    /// Output goes to files in `outputDirectory` (a fresh temporary directory, removed on `stop()`, when nil).
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
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        env.merge(environment) { _, new in new }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        do {
            try process.run()
        } catch {
            temporary?.cleanup()
            throw TestKitError.process("could not launch \(executable.path): \(error)")
        }
        self.executable = executable
        self.arguments = arguments
        self.pid = process.processIdentifier
        self.outputDirectory = temporary
        self.process = Mutex(process)
    }

    /// Launches a built executable of this package by product name (see `BuiltProducts`).
    public convenience init(product: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        try self.init(executable: BuiltProducts.executable(named: product), arguments: arguments, environment: environment)
    }

    deinit {
        let running = process.withLock { $0.isRunning }
        if running {
            sendSignal(pid, SIGKILL)
            process.withLock { $0.waitUntilExit() }
        }
        outputDirectory?.cleanup()
    }

    /// Whether the process is still running.
    public var isRunning: Bool { process.withLock { $0.isRunning } }

    /// How the process ended, or nil while it runs.
    public var termination: Termination? {
        process.withLock { p in
            if p.isRunning { return nil }
            switch p.terminationReason {
            case .exit: return .exited(p.terminationStatus)
            case .uncaughtSignal: return .signalled(p.terminationStatus)
            @unknown default: return .exited(p.terminationStatus)
            }
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
                    "\(executable.lastPathComponent) ended (\(termination)) before creating \(url.path)\n" + diagnostics())
            }
            if clock.now >= deadline {
                throw TestKitError.timeout("\(url.path) did not appear within \(timeout)\n" + diagnostics())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends a signal (SIGTERM by default) if the process still runs.
    public func signal(_ signal: Int32 = SIGTERM) {
        if isRunning { sendSignal(pid, signal) }
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
                throw TestKitError.timeout("\(executable.lastPathComponent) still running after \(timeout)\n" + diagnostics())
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
        process.withLock { $0.waitUntilExit() }
        return termination ?? .signalled(SIGKILL)
    }

    /// The command line and the last lines of stdout and stderr, for failure messages.
    public func diagnostics(lines count: Int = 20) -> String {
        let out = lines(.stdout).suffix(count).joined(separator: "\n")
        let err = lines(.stderr).suffix(count).joined(separator: "\n")
        return "command: \(executable.path) \(arguments.joined(separator: " "))\n--- stdout (tail) ---\n\(out)\n--- stderr (tail) ---\n\(err)"
    }
}

/// `kill(2)` under a name that the `ChildProcess.kill()` method does not shadow.
private func sendSignal(_ pid: Int32, _ signal: Int32) {
    _ = kill(pid, signal)
}
