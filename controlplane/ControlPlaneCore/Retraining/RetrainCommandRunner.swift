import DroverProcess
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

/// Runs commands as child processes: no shell, stdin from a temporary file, stdout discarded, the last 2 KiB of
/// stderr kept; SIGTERM to the command's process group at the timeout, SIGKILL 2 seconds later if it is still there.
///
/// Commands are started with `posix_spawn` (`ChildSpawn`): default signal dispositions and an empty signal mask,
/// whatever the server ignores (swift-service-lifecycle ignores SIGTERM), in a process group of their own, so that
/// SIGTERM at the timeout stops the command and whatever it started. Cancelling `run` stops the command at once.
public struct ProcessRetrainCommandRunner<C: Clock>: RetrainCommandRunner where C.Duration == Duration {
    private let clock: C

    /// How long a command has after SIGTERM before SIGKILL.
    static var killGrace: Duration { .seconds(2) }

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

        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let child = try RunningCommand.start(executable, arguments: argv, environment: environment, stdin: input.path)
        let clock = self.clock
        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await child.finished()
                return false
            }
            group.addTask {
                // Throws when the command finished first (the group is cancelled) or the caller was cancelled.
                let expired = (try? await clock.sleep(for: timeout)) != nil
                guard expired || !child.hasFinished else { return false }
                child.signal(SIGTERM)
                // Escalate if SIGTERM is ignored or handled too slowly (at once when the caller was cancelled).
                if (try? await clock.sleep(for: Self.killGrace)) != nil || Task.isCancelled { child.signal(SIGKILL) }
                return expired
            }
            var timedOut = false
            for await expired in group {
                timedOut = timedOut || expired
                if child.hasFinished { group.cancelAll() }
            }
            return timedOut
        }
        let (status, tail) = await child.finished()
        let text = String(decoding: tail, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return RetrainCommandResult(exitStatus: status, timedOut: timedOut, stderrTail: text)
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

/// A started command: a watcher thread keeps the last bytes of its stderr and reaps it; signals go to its group.
///
/// The pid is reaped and signalled only under `state`'s lock, so a signal never reaches a reused pid.
final class RunningCommand: Sendable {
    /// How many trailing stderr bytes are kept.
    static let tailLimit = 2048

    private struct State {
        /// The exit status, or the number of the signal that ended it, once reaped (never signalled after that).
        var termination: Int32?
        /// Set once its stderr has been drained too.
        var done = false
        var tail: [UInt8] = []
        var waiters: [CheckedContinuation<(Int32, [UInt8]), Never>] = []
    }

    let pid: Int32
    private let state = Mutex(State())

    private init(pid: Int32) { self.pid = pid }

    /// Spawns the command with stderr on a pipe and starts its watcher thread.
    static func start(_ path: String, arguments: [String], environment: [String], stdin: String) throws
        -> RunningCommand
    {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw RetrainError.dispatch("could not create a pipe for the command's stderr (errno \(errno))")
        }
        // Close-on-exec, so that no other child started meanwhile inherits the pipe (pipe2 is not visible from Swift).
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let pid: Int32
        do {
            pid = try ChildSpawn.spawn(
                path, arguments: arguments, environment: environment, stdin: .readFile(stdin), stdout: .null,
                stderr: .descriptor(ends[1]))
        } catch {
            close(ends[0])
            close(ends[1])
            throw RetrainError.dispatch("\(error); check that the command's program is executable")
        }
        close(ends[1])
        let command = RunningCommand(pid: pid)
        let readEnd = ends[0]
        Thread.detachNewThread { command.watch(stderr: readEnd) }
        return command
    }

    /// Whether the command has ended and been reaped.
    var hasFinished: Bool { state.withLock { $0.termination != nil } }

    /// Waits until the command has ended; returns its exit status (or signal number) and the last bytes of its stderr.
    @discardableResult
    func finished() async -> (Int32, [UInt8]) {
        await withCheckedContinuation { continuation in
            let done = state.withLock { s -> (Int32, [UInt8])? in
                if s.done, let termination = s.termination { return (termination, s.tail) }
                s.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Sends `signal` to the command's process group (and the command itself), unless it has been reaped.
    func signal(_ signal: Int32) {
        state.withLock { s in
            guard s.termination == nil else { return }
            _ = kill(-pid, signal)
            _ = kill(pid, signal)
        }
    }

    /// The watcher thread: reads stderr while the command runs (polling, so a grandchild holding the pipe open
    /// cannot keep it waiting), reaps the command, drains what is left, then wakes the waiters.
    private func watch(stderr fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var open = true
        func readAvailable() -> Bool {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                append(buffer[0..<n])
                return true
            }
            return n < 0 && errno == EINTR
        }
        while !reap() {
            if open {
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, 50) > 0 { open = readAvailable() }
            } else {
                usleep(20_000)
            }
        }
        // The command is gone: take what it wrote last without waiting for processes it left behind.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var budget = 256
        while open, budget > 0, readAvailable() { budget -= 1 }
        close(fd)
        let (termination, tail, waiters) = state.withLock { s in
            let waiters = s.waiters
            s.waiters = []
            s.done = true
            return (s.termination!, s.tail, waiters)
        }
        for waiter in waiters { waiter.resume(returning: (termination, tail)) }
    }

    /// Reaps the command if it has exited (under the lock); true once it has.
    private func reap() -> Bool {
        state.withLock { s in
            if s.termination != nil { return true }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return false }
            s.termination = ChildSpawn.termination(status: status).value
            return true
        }
    }

    private func append(_ bytes: ArraySlice<UInt8>) {
        state.withLock { s in
            s.tail.append(contentsOf: bytes)
            if s.tail.count > Self.tailLimit { s.tail.removeFirst(s.tail.count - Self.tailLimit) }
        }
    }
}
