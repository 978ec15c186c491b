import DroverAPI

/// A report as it waits in the spool: its id and its encoded JSON.
public struct SpooledReport: Sendable, Equatable {
    /// The report id (the control plane dedupes by it).
    public var id: String
    /// The report's JSON.
    public var bytes: [UInt8]

    /// Creates a spooled report.
    public init(id: String, bytes: [UInt8]) {
        self.id = id
        self.bytes = bytes
    }
}

/// A bounded on-disk queue of reports: one fsync'd file per report, written by atomic rename before sending,
/// removed only when acknowledged; when full, the oldest are dropped and counted (the count survives restarts).
public actor ReportSpool {
    /// The spool directory.
    public nonisolated let directory: String
    /// The most reports kept.
    public nonisolated let capacity: Int
    private var entries: [(seq: UInt64, id: String)] = []
    private var nextSeq: UInt64 = 1
    private var droppedPending: Int
    private var droppedTotal = 0

    /// Opens (or creates) a spool in `directory`, recovering what an earlier run left there.
    public init(directory: String, capacity: Int) throws(FileIOError) {
        self.directory = directory
        self.capacity = max(1, capacity)
        try FileIO.makeDirectories(directory)
        var found: [(UInt64, String)] = []
        for name in try FileIO.list(directory) {
            if name.hasSuffix(".tmp") {
                try? FileIO.remove(directory + "/" + name)
                continue
            }
            guard name.hasSuffix(".json"), let dash = name.firstIndex(of: "-"), let seq = UInt64(name[..<dash]) else { continue }
            let id = String(name[name.index(after: dash)..<name.index(name.endIndex, offsetBy: -5)])
            found.append((seq, id))
        }
        found.sort { $0.0 < $1.0 }
        entries = found.map { (seq: $0.0, id: $0.1) }
        nextSeq = (found.last?.0 ?? 0) + 1
        let counter = (try? FileIO.readText(directory + "/dropped.count")).flatMap { Int($0.trimmed) }
        droppedPending = counter ?? 0
    }

    /// Reports waiting.
    public var depth: Int { entries.count }

    /// Reports dropped since the last `acknowledgeDropped`, to be stated in the next report.
    public var pendingDropped: Int { droppedPending }

    /// Reports dropped since this spool was opened.
    public var droppedSinceOpen: Int { droppedTotal }

    /// Writes a report durably; drops the oldest when over capacity and returns how many were dropped.
    @discardableResult
    public func append(id: String, bytes: [UInt8]) throws(FileIOError) -> Int {
        let seq = nextSeq
        nextSeq += 1
        try FileIO.writeAtomically(bytes, to: path(seq, id))
        entries.append((seq: seq, id: id))
        var dropped = 0
        while entries.count > capacity {
            let oldest = entries.removeFirst()
            try? FileIO.remove(path(oldest.seq, oldest.id))
            dropped += 1
        }
        if dropped > 0 {
            droppedPending += dropped
            droppedTotal += dropped
            saveDropped()
        }
        return dropped
    }

    /// Encodes (with `JSONWriter`: the same JSON as `DroverJSON.encode`) and appends a report.
    @discardableResult
    public func append(_ report: Report) throws -> Int {
        try append(id: report.id, bytes: report.compactJSON())
    }

    /// The oldest reports, at most `limit`, in order; unreadable files are removed and counted as dropped.
    public func peek(limit: Int) -> [SpooledReport] {
        var out: [SpooledReport] = []
        var index = 0
        while out.count < limit && index < entries.count {
            let entry = entries[index]
            if let bytes = try? FileIO.read(path(entry.seq, entry.id)), !bytes.isEmpty {
                out.append(SpooledReport(id: entry.id, bytes: bytes))
                index += 1
            } else {
                try? FileIO.remove(path(entry.seq, entry.id))
                entries.remove(at: index)
                droppedPending += 1
                droppedTotal += 1
                saveDropped()
            }
        }
        return out
    }

    /// Removes acknowledged reports.
    public func remove(ids: some Sequence<String>) {
        let set = Set(ids)
        guard !set.isEmpty else { return }
        var kept: [(seq: UInt64, id: String)] = []
        for entry in entries {
            if set.contains(entry.id) {
                try? FileIO.remove(path(entry.seq, entry.id))
            } else {
                kept.append(entry)
            }
        }
        entries = kept
        FileIO.syncDirectory(of: directory + "/x")
    }

    /// Marks `count` dropped reports as stated in a spooled report.
    public func acknowledgeDropped(_ count: Int) {
        droppedPending = max(0, droppedPending - count)
        saveDropped()
    }

    private func saveDropped() {
        try? FileIO.writeAtomically(Array(String(droppedPending).utf8), to: directory + "/dropped.count")
    }

    private func path(_ seq: UInt64, _ id: String) -> String {
        let digits = String(seq)
        return directory + "/" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits + "-" + id + ".json"
    }
}
