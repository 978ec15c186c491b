import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command did.
public struct RetrainCommandResult: Sendable, Equatable {
    /// Exit status (or the terminating signal's number when killed).
    public var exitStatus: Int32
    /// Whether it was terminated for running past its timeout.
    public var timedOut: Bool
    /// The last bytes of its standard error, as text.
    public var stderrTail: String

    /// Creates a result.
    public init(exitStatus: Int32, timedOut: Bool, stderrTail: String) {
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.stderrTail = stderrTail
    }
}

/// Runs a program with bytes on its standard input.
public protocol RetrainCommandRunner: Sendable {
    /// Runs `argv` (no shell) with `stdin`, terminating it after `timeout`.
    func run(argv: [String], stdin: [UInt8], timeout: Duration) async throws -> RetrainCommandResult
}

extension ProcessRetrainCommandRunner where C == ContinuousClock {
    /// Creates a runner timing commands with the continuous clock.
    public init() { self.init(clock: ContinuousClock()) }
}

/// Runs commands as child processes (Foundation `Process`): no shell, stdin from a temporary file, stdout discarded,
/// the last 2 KiB of stderr kept, SIGTERM at the timeout and SIGKILL 2 seconds later (a child may inherit an ignored SIGTERM).
public struct ProcessRetrainCommandRunner<C: Clock>: RetrainCommandRunner where C.Duration == Duration {
    private let clock: C

    /// Creates a runner timing commands with `clock`.
    public init(clock: C) { self.clock = clock }

    /// Runs the program and waits for it (without blocking the cooperative pool).
    public func run(argv: [String], stdin: [UInt8], timeout: Duration) async throws -> RetrainCommandResult {
        guard let program = argv.first, !program.isEmpty else { throw RetrainError.dispatch("the command's argv is empty") }
        guard let executable = Self.resolve(program) else {
            throw RetrainError.dispatch("program \"\(program)\" not found; give an absolute path or put it on PATH")
        }
        // Stdin from a file: no pipe to block on, no SIGPIPE if the program does not read it.
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("drover-retrain-\(UUID().uuidString).json")
        try Data(stdin).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        process.standardError = stderr
        let tail = StderrTail()
        stderr.fileHandleForReading.readabilityHandler = { handle in tail.append(handle.availableData) }

        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished in
            exited.continuation.yield(finished.terminationStatus)
            exited.continuation.finish()
        }
        try process.run()
        let pid = process.processIdentifier
        let clock = self.clock
        let (status, timedOut) = await withTaskGroup(of: ChildEvent.self) { group in
            group.addTask {
                for await code in exited.stream { return .exited(code) }
                return .exited(-1)
            }
            group.addTask {
                do {
                    try await clock.sleep(for: timeout)
                    return .timedOut
                } catch {
                    return .killed
                }
            }
            var status: Int32 = -1
            var timedOut = false
            for await event in group {
                switch event {
                case .exited(let code):
                    status = code
                    group.cancelAll()
                case .timedOut:
                    timedOut = true
                    _ = kill(pid, SIGTERM)
                    group.addTask {
                        // Escalate if SIGTERM is ignored.
                        if (try? await clock.sleep(for: .seconds(2))) != nil { _ = kill(pid, SIGKILL) }
                        return .killed
                    }
                case .killed:
                    break
                }
            }
            return (status, timedOut)
        }
        stderr.fileHandleForReading.readabilityHandler = nil
        tail.append(stderr.fileHandleForReading.availableData)
        return RetrainCommandResult(exitStatus: status, timedOut: timedOut, stderrTail: tail.text)
    }

    static func resolve(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

private enum ChildEvent: Sendable {
    case exited(Int32)
    case timedOut
    case killed
}

/// The last 2 KiB of a child's standard error; appended from Foundation's reader thread, so a Mutex guards it.
private final class StderrTail: Sendable {
    private let bytes = Mutex<[UInt8]>([])
    private static let limit = 2048

    func append(_ data: Data) {
        guard !data.isEmpty else { return }
        bytes.withLock { buffer in
            buffer.append(contentsOf: data)
            if buffer.count > Self.limit { buffer.removeFirst(buffer.count - Self.limit) }
        }
    }

    var text: String {
        String(decoding: bytes.withLock { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
