#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Switches versions by running a configured command (`{model}` and `{version}` in its arguments are replaced).
///
/// The command runs without a shell; a non-zero exit is a failed switch whose message carries the command's
/// output (last 2 KB). Waiting polls without blocking a cooperative thread.
public struct CommandSwitcher: Sendable {
    /// The argv template.
    public var argv: [String]
    /// How long the command may run.
    public var timeout: Duration

    /// Creates a switcher.
    public init(argv: [String], timeout: Duration = .seconds(120)) {
        self.argv = argv
        self.timeout = timeout
    }

    /// Runs the command for `model` and `version`.
    public func run(model: String, version: String) async throws(AdapterError) {
        let args = argv.map { $0.replacing("{model}", with: model).replacing("{version}", with: version) }
        guard !args.isEmpty else { throw AdapterError(kind: "switch_failed", message: "server.switch_command is empty") }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw AdapterError(kind: "switch_failed", message: "pipe failed: errno \(errno)") }
        _ = fcntl(pipeFDs[0], F_SETFL, fcntl(pipeFDs[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, args[0], &actions, nil, &cArgs, environ)
        posix_spawn_file_actions_destroy(&actions)
        close(pipeFDs[1])
        guard rc == 0 else {
            close(pipeFDs[0])
            throw AdapterError(kind: "switch_failed", message: "cannot run \(args[0]): \(String(cString: strerror(rc)))")
        }
        var output: [UInt8] = []
        func drain() {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(pipeFDs[0], $0.baseAddress, $0.count) }
                guard n > 0 else { return }
                output += buffer[0..<n]
                if output.count > 2048 { output.removeFirst(output.count - 2048) }
            }
        }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var status: Int32 = 0
        while true {
            drain()
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                close(pipeFDs[0])
                throw AdapterError(kind: "switch_failed", message: "\(args[0]) did not finish within \(DurationText.format(timeout))")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        drain()
        close(pipeFDs[0])
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        if !exited || code != 0 {
            let text = String(decoding: output, as: UTF8.self).trimmed
            throw AdapterError(
                kind: "switch_failed",
                message: "\(args.joined(separator: " ")) " + (exited ? "exited with \(code)" : "was killed by signal \(status & 0x7f)")
                    + (text.isEmpty ? "" : ": \(text)"))
        }
    }
}
