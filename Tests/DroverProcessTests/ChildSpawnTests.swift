import DroverProcess
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("ChildSpawn", .serialized)
struct ChildSpawnTests {
    @Test(
        "a child gets default signal dispositions and an empty mask even when the parent ignores a signal"
    )
    func cleanSignalState() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("status").path
        // SIGUSR2 stands in for the SIGTERM that swift-service-lifecycle ignores (nothing here uses SIGUSR2).
        let previous = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, previous) }
        let pid = try ChildSpawn.spawn(
            "/bin/grep", arguments: ["grep", "-E", "^Sig(Ign|Blk):", "/proc/self/status"],
            environment: [],
            stdout: .writeFile(out))
        #expect(try await waitForExit(pid) == "exit 0")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(
            String.init)
        #expect(lines.count == 2)
        // Bit n − 1 stands for signal n. Only the standard signals 1–31 are checked: glibc keeps its internal
        // real-time signals (32, 33) out of sigfillset and sets them up itself.
        for line in lines {
            let mask = try #require(UInt64(line.split(separator: "\t").last.map(String.init) ?? "", radix: 16))
            #expect(mask & 0x7FFF_FFFF == 0, "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("SigIgn:") })
    }

    @Test("a child inherits no descriptor beyond stdin, stdout and stderr, even one opened without O_CLOEXEC")
    func noInheritedDescriptors() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("fds").path
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)  // no O_CLOEXEC: without the close-from action the child would hold both ends
        defer { close(ends[0]); close(ends[1]) }
        let script = "for fd in \(ends[0]) \(ends[1]); do [ -e /proc/self/fd/$fd ] && echo \"$fd open\" || echo \"$fd closed\"; done"
        let pid = try ChildSpawn.spawn(
            "/bin/sh", arguments: ["sh", "-c", script], environment: [], stdout: .writeFile(out))
        #expect(try await waitForExit(pid) == "exit 0")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == ["\(ends[0]) closed", "\(ends[1]) closed"])
    }

    @Test("a child leads a process group of its own")
    func ownProcessGroup() async throws {
        let pid = try ChildSpawn.spawn("/bin/sleep", arguments: ["sleep", "30"], environment: [])
        #expect(getpgid(pid) == pid)
        #expect(getpgid(pid) != getpgrp())
        _ = kill(-pid, SIGTERM)
        #expect(try await waitForExit(pid) == "signal \(SIGTERM)")
    }

    @Test("stdin, stdout, stderr, environment and directory reach the child")
    func streamsEnvironmentDirectory() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in").path
        let out = directory.appendingPathComponent("out").path
        try "from stdin\n".write(toFile: input, atomically: true, encoding: .utf8)
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        let pid = try ChildSpawn.spawn(
            "/bin/sh", arguments: ["sh", "-c", "cat; echo \"$GREETING\"; pwd; echo oops >&2; exit 7"],
            environment: ["GREETING=hello", "PATH=/usr/bin:/bin"], directory: directory.path,
            stdin: .readFile(input), stdout: .writeFile(out), stderr: .descriptor(ends[1]))
        close(ends[1])
        #expect(try await waitForExit(pid) == "exit 7")
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = read(ends[0], &bytes, bytes.count)
        close(ends[0])
        #expect(String(decoding: bytes.prefix(max(0, n)), as: UTF8.self) == "oops\n")
        let written = try String(contentsOfFile: out, encoding: .utf8)
        let resolved = directory.resolvingSymlinksInPath().path
        #expect(
            written == "from stdin\nhello\n\(resolved)\n"
                || written == "from stdin\nhello\n\(directory.path)\n")
    }

    @Test("a missing program is a SpawnError naming it")
    func missingProgram() {
        #expect(throws: SpawnError.self) {
            try ChildSpawn.spawn("/nonexistent/program", arguments: ["program"], environment: [])
        }
        do {
            _ = try ChildSpawn.spawn("/nonexistent/program", arguments: ["program"], environment: [])
        } catch {
            #expect(error.description.hasPrefix("could not start /nonexistent/program: "))
        }
    }

    @Test(
        "waitpid statuses decode to exit codes and signals",
        arguments: [(Int32(0), "exit 0"), (3 << 8, "exit 3"), (9, "signal 9"), (15, "signal 15")]
    )
    func decode(status: Int32, expected: String) {
        #expect(Self.describe(ChildSpawn.termination(status: status)) == expected)
    }

    /// Polls `waitpid` (a generous bound: this only guards against a hang on a loaded machine).
    private func waitForExit(_ pid: Int32) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return Self.describe(ChildSpawn.termination(status: status)) }
            try await Task.sleep(for: .milliseconds(10))
        }
        _ = kill(-pid, SIGKILL)
        Issue.record("process \(pid) still running after 30 s")
        return "still running"
    }

    /// `exit N` or `signal N`.
    private static func describe(_ termination: (signalled: Bool, value: Int32)) -> String {
        "\(termination.signalled ? "signal" : "exit") \(termination.value)"
    }

    private func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drover-spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
