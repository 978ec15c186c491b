import ControlPlaneCore
import DroverTestKit
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Real child processes; serialized because one test ignores SIGTERM in this process, as the server does.
@Suite("Retrain command runner", .serialized)
struct RetrainCommandRunnerTests {
    let runner = ProcessRetrainCommandRunner()

    @Test(
        "a command that traps nothing gets SIGTERM at the timeout and ends, even when the server ignores SIGTERM"
    )
    func sigtermAtTimeout() async throws {
        // swift-service-lifecycle ignores SIGTERM in the server; an ignored disposition would survive exec.
        let previous = signal(SIGTERM, SIG_IGN)
        defer { signal(SIGTERM, previous) }
        // The shell starts a grandchild and waits: both must go, the grandchild by its process group.
        let result = try await runner.run(
            argv: ["/bin/sh", "-c", "sleep 30 & echo \"child $!\" >&2; wait"], stdin: [],
            timeout: .milliseconds(500))
        #expect(result.timedOut)
        #expect(
            result.exitStatus == SIGTERM,
            "ended by signal \(result.exitStatus), not by the SIGTERM it was sent")
        let line = try #require(
            result.stderrTail.split(separator: "\n").first { $0.hasPrefix("child ") })
        let grandchild = try #require(Int32(line.dropFirst("child ".count)))
        try await Eventually.wait(timeout: .seconds(30), "the grandchild \(grandchild) to be gone") {
            Self.isGone(grandchild)
        }
    }

    @Test("a command that ignores SIGTERM is killed after the grace period")
    func sigkillAfterGrace() async throws {
        let started = ContinuousClock.now
        let result = try await runner.run(
            argv: ["/bin/sh", "-c", "trap '' TERM; sleep 30"], stdin: [], timeout: .milliseconds(300))
        #expect(result.timedOut)
        #expect(result.exitStatus == SIGKILL)
        #expect(ContinuousClock.now - started < .seconds(25))  // 0.3 s + 2 s grace; only guards against a hang
    }

    @Test("stderr is kept to its last 2 KiB, the exit status and stdin are passed through")
    func boundedOutput() async throws {
        let script =
            "cat >/dev/null; head -c 200000 /dev/zero | tr '\\0' x >&2; printf '\\nthe end\\n' >&2; exit 4"
        let result = try await runner.run(
            argv: ["/bin/sh", "-c", script], stdin: Array(repeating: 0x41, count: 100_000),
            timeout: .seconds(60))
        #expect(!result.timedOut)
        #expect(result.exitStatus == 4)
        #expect(result.stderrTail.utf8.count <= 2048)
        #expect(result.stderrTail.utf8.count > 1000)
        #expect(result.stderrTail.hasSuffix("xxx\nthe end"))
    }

    @Test("a command that leaves a process holding stderr open still returns when it exits")
    func leftoverHoldsPipe() async throws {
        let result = try await runner.run(
            argv: ["/bin/sh", "-c", "sleep 5 & echo started >&2; exit 0"], stdin: [],
            timeout: .seconds(60))
        #expect(result == RetrainCommandResult(exitStatus: 0, timedOut: false, stderrTail: "started"))
    }

    @Test("an empty argv and a missing program are errors that say what to fix")
    func badCommands() async {
        await #expect(throws: RetrainError.self) {
            try await runner.run(argv: [], stdin: [], timeout: .seconds(1))
        }
        do {
            _ = try await runner.run(argv: ["no-such-retrain-program"], stdin: [], timeout: .seconds(1))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("not found; give an absolute path or put it on PATH"))
        }
    }

    /// Whether `pid` has ended (gone, or a zombie waiting for a reaper that is not us).
    static func isGone(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state == "Z" || state == "X"
    }
}
