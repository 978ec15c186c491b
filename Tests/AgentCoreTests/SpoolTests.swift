import AgentCore
import Testing

@Suite("Report spool")
struct SpoolTests {
    @Test("reports survive reopening the spool, in order")
    func reopen() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        do {
            let spool = try ReportSpool(directory: dir.file("spool"), capacity: 10)
            for i in 1...3 { try await spool.append(id: "r\(i)", bytes: Array("{\"n\":\(i)}".utf8)) }
            await spool.remove(ids: ["r2"])
        }
        let reopened = try ReportSpool(directory: dir.file("spool"), capacity: 10)
        #expect(await reopened.depth == 2)
        let items = await reopened.peek(limit: 10)
        #expect(items.map(\.id) == ["r1", "r3"])
        #expect(items[1].bytes == Array("{\"n\":3}".utf8))
        try await reopened.append(id: "r4", bytes: [UInt8(ascii: "x")])
        #expect(await reopened.peek(limit: 10).map(\.id) == ["r1", "r3", "r4"])
    }

    @Test("when full the oldest are dropped and the count survives a restart")
    func dropsOldest() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        do {
            let spool = try ReportSpool(directory: dir.path, capacity: 3)
            for i in 1...5 { try await spool.append(id: "r\(i)", bytes: [1]) }
            #expect(await spool.peek(limit: 10).map(\.id) == ["r3", "r4", "r5"])
            #expect(await spool.pendingDropped == 2)
        }
        let reopened = try ReportSpool(directory: dir.path, capacity: 3)
        #expect(await reopened.pendingDropped == 2)
        await reopened.acknowledgeDropped(2)
        #expect(await reopened.pendingDropped == 0)
        let again = try ReportSpool(directory: dir.path, capacity: 3)
        #expect(await again.pendingDropped == 0)
    }

    @Test("a half-written temporary file from a crash is ignored")
    func leftovers() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        try dir.write("0000000000000007-rX.json.tmp", "{")
        let spool = try ReportSpool(directory: dir.path, capacity: 3)
        #expect(await spool.depth == 0)
        try await spool.append(id: "a", bytes: [1])
        #expect(await spool.peek(limit: 1).map(\.id) == ["a"])
    }
}
