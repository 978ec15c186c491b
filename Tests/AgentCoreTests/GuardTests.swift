import AgentCore
import Testing

@Suite("Local guard state machine")
struct GuardTests {
    func makeGuard(threshold: Int = 3, floor: Double? = nil, windows: Int = 2) -> LocalGuard {
        LocalGuard(
            policy: .init(
                failureThreshold: threshold, validationMetric: floor == nil ? nil : "roc_auc", validationFloor: floor,
                validationWindows: windows, backupVersion: "1"),
            servedVersion: "2")
    }

    @Test("K consecutive failed probes ask for one failover")
    func consecutive() {
        var g = makeGuard()
        let r1 = g.handle(.probe(ok: false))
        #expect(r1 == .none)
        let r2 = g.handle(.probe(ok: false))
        #expect(r2 == .none)
        let r3 = g.handle(.probe(ok: false))
        #expect(r3 == .failover(from: "2", to: "1", reason: "3 consecutive probe failures"))
        let r4 = g.handle(.probe(ok: false))
        #expect(r4 == .none)
        #expect(g.state == .switching(to: "1"))
    }

    @Test("a success in between resets the count")
    func reset() {
        var g = makeGuard()
        _ = g.handle(.probe(ok: false))
        _ = g.handle(.probe(ok: false))
        _ = g.handle(.probe(ok: true))
        let r5 = g.handle(.probe(ok: false))
        #expect(r5 == .none)
        #expect(g.consecutiveFailures == 1)
    }

    @Test("after a failover it never switches back by itself")
    func noSwitchBack() {
        var g = makeGuard(threshold: 1)
        let r6 = g.handle(.probe(ok: false))
        #expect(r6 != .none)
        _ = g.handle(.switchFinished(ok: true))
        #expect(g.state == .failedOver(to: "1"))
        #expect(g.servedVersion == "1")
        for _ in 0..<10 { let a = g.handle(.probe(ok: false)); #expect(a == .none) }
        for _ in 0..<10 { let a = g.handle(.probe(ok: true)); #expect(a == .none) }
        #expect(g.servedVersion == "1")
    }

    @Test("a version set by the plan re-arms the guard")
    func rearm() {
        var g = makeGuard(threshold: 1)
        _ = g.handle(.probe(ok: false))
        _ = g.handle(.switchFinished(ok: true))
        _ = g.handle(.versionSetByPlan("3"))
        #expect(g.state == .armed)
        let r7 = g.handle(.probe(ok: false))
        #expect(r7 == .failover(from: "3", to: "1", reason: "1 consecutive probe failures"))
    }

    @Test("a validation metric under the floor for W windows fails over")
    func validationFloor() {
        var g = makeGuard(floor: 0.7, windows: 2)
        let r8 = g.handle(.windowClosed(metric: 0.6))
        #expect(r8 == .none)
        let r9 = g.handle(.windowClosed(metric: 0.8))
        #expect(r9 == .none)
        let r10 = g.handle(.windowClosed(metric: 0.6))
        #expect(r10 == .none)
        let r11 = g.handle(.windowClosed(metric: nil))
        #expect(r11 == .none)
        let r12 = g.handle(.windowClosed(metric: 0.65))
        #expect(r12 == .failover(from: "2", to: "1", reason: "roc_auc 0.65 under the floor 0.7 for 2 windows"))
    }

    @Test("no failover when already serving the backup or disabled")
    func noop() {
        var g = LocalGuard(policy: .init(failureThreshold: 1, backupVersion: "1"), servedVersion: "1")
        let r13 = g.handle(.probe(ok: false))
        #expect(r13 == .none)
        var d = LocalGuard(policy: .init(enabled: false, failureThreshold: 1, backupVersion: "1"), servedVersion: "2")
        let r14 = d.handle(.probe(ok: false))
        #expect(r14 == .none)
    }
}

@Suite("Backoff")
struct BackoffTests {
    @Test("delays double up to the maximum, jittered within [base/2, base]")
    func doubling() {
        var b = Backoff(initial: .seconds(1), maximum: .seconds(8))
        let r15 = b.fail(unit: 1)
        #expect(r15 == .seconds(1))
        let r16 = b.fail(unit: 1)
        #expect(r16 == .seconds(2))
        let r17 = b.fail(unit: 0)
        #expect(r17 == .seconds(2))
        let r18 = b.fail(unit: 1)
        #expect(r18 == .seconds(8))
        let r19 = b.fail(unit: 1)
        #expect(r19 == .seconds(8))
        let r20 = b.fail(unit: 0.5)
        #expect(r20 == .seconds(6))
        b.succeed()
        let r21 = b.fail(unit: 1)
        #expect(r21 == .seconds(1))
    }
}

@Suite("Window schedule")
struct WindowScheduleTests {
    @Test("time windows keep the grid; count windows close early")
    func schedule() {
        let t0 = ContinuousClock.now
        var s = WindowSchedule(length: .seconds(10), maxEvents: 3, start: t0)
        #expect(!s.isDue(at: t0.advanced(by: .seconds(9))))
        #expect(s.isDue(at: t0.advanced(by: .seconds(10))))
        let closed = s.close(at: t0.advanced(by: .seconds(25)))
        #expect(closed.start == t0)
        #expect(s.start == t0.advanced(by: .seconds(20)))
        let r22 = s.recordEvent()
        #expect(!r22)
        let r23 = s.recordEvent()
        #expect(!r23)
        let r24 = s.recordEvent()
        #expect(r24)
        #expect(s.isDue(at: t0.advanced(by: .seconds(21))))
        _ = s.close(at: t0.advanced(by: .seconds(21)))
        #expect(s.start == t0.advanced(by: .seconds(21)))
        #expect(s.events == 0)
    }
}
