import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("DroverTestKit helpers")
struct TestKitTests {
    @Test("FreePort gives a loopback port that can be bound")
    func freePort() throws {
        let port = try FreePort.allocate()
        #expect((1...65_535).contains(port))
    }

    @Test("TemporaryDirectory is created and removed")
    func temporaryDirectory() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("hello", to: "sub/a.txt")
        #expect(FileManager.default.fileExists(atPath: file.path))
        directory.cleanup()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test("ManualClock wakes sleepers only when advanced past their deadline")
    func manualClock() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(10)) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.sleeperCount == 0)
        #expect(clock.now == ManualClock.Instant(offset: .seconds(10)))
    }

    @Test("ManualClock sleepers are cancellable")
    func manualClockCancel() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(1)) }
        try await clock.waitForSleepers(1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("Eventually returns when the condition holds and times out with a message otherwise")
    func eventually() async throws {
        let start = ContinuousClock.now
        try await Eventually.wait(timeout: .seconds(2)) { ContinuousClock.now - start > .milliseconds(50) }
        await #expect {
            try await Eventually.wait(timeout: .milliseconds(50), "the moon is cheese") { false }
        } throws: {
            ($0 as? TestKitError)?.isTimeout == true && "\($0)".contains("the moon is cheese")
        }
    }

    @Test("ChildProcess captures output, waits for a line and stops the process")
    func childProcess() async throws {
        let process = try ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "echo ready $GREETING; echo oops >&2; exec sleep 30"],
            environment: ["GREETING": "hello"])
        let line = try await process.waitForLine(containing: "ready")
        #expect(line == "ready hello")
        try await Eventually.wait { process.output(.stderr).contains("oops") }
        #expect(process.isRunning)
        let ended = await process.stop(grace: .seconds(5))
        #expect(ended == .signalled(SIGTERM))
        #expect(!process.isRunning)
    }

    @Test("ChildProcess runs in the given directory and SIGTERM reaches its children too")
    func childProcessDirectoryAndGroup() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let process = try ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "pwd; sleep 30 & echo child $!; wait"],
            currentDirectory: directory.url)
        let childLine = try await process.waitForLine(containing: "child")
        let childPID = try #require(Int32(childLine.split(separator: " ")[1]))
        let cwd = process.lines().first ?? ""
        #expect(
            URL(fileURLWithPath: cwd).resolvingSymlinksInPath().path == directory.url.resolvingSymlinksInPath().path)
        _ = await process.stop()
        try await Eventually.wait("the grandchild to be gone") {
            // Gone, or a zombie waiting for a reaper that is not us.
            kill(childPID, 0) != 0
                || ((try? String(contentsOfFile: "/proc/\(childPID)/stat", encoding: .utf8))?.contains(") Z ") ?? false)
        }
    }

    @Test("ChildProcess reports an exit before the expected line with its output")
    func childProcessEarlyExit() async throws {
        let process = try ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "echo boom; exit 3"])
        await #expect { try await process.waitForLine(containing: "never") } throws: {
            "\($0)".contains("exit 3") && "\($0)".contains("boom")
        }
        #expect(try await process.waitForExit() == .exited(3))
    }

    @Test("BuiltProducts names the fix when an executable is missing")
    func builtProductsMissing() {
        #expect { try BuiltProducts.executable(named: "no-such-drover-tool") } throws: {
            "\($0)".contains("swift build")
        }
        #expect(!BuiltProducts.candidateDirectories().isEmpty)
    }

    @Test("Fixture reports are deterministic and have 20 features with counts")
    func fixtures() {
        #expect(Fixtures.report(index: 3) == Fixtures.report(index: 3))
        let report = Fixtures.report()
        #expect(report.drift?.features.count == 20)
        #expect(report.drift?.features.allSatisfy { $0.counts?.total == 1200 } == true)
        #expect(ReportID.isValid(report.id))
        #expect(Fixtures.reportID(1) != Fixtures.reportID(2))
        #expect(Fixtures.predictionEvent(index: 2).requestID == "req-2")
    }
}
