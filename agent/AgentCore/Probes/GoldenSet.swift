import DroverAPI

/// A golden set: inputs with known labels (classification) or graded relevance per query (ranking).
public struct GoldenSet: Sendable, Equatable {
    /// The records, in file order.
    public var records: [GoldenRecord]

    /// Creates a golden set.
    public init(records: [GoldenRecord]) { self.records = records }

    /// Whether the set ranks (records carry `query_id` and `relevance`).
    public var isRanking: Bool { records.contains { $0.queryID != nil && $0.relevance != nil } }

    /// Loads a JSON Lines file; a bad line is an error naming its line number.
    public static func load(path: String) throws -> GoldenSet {
        let bytes = try FileIO.read(path)
        var records: [GoldenRecord] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            lineNumber += 1
            let line = Array(bytes[start..<end])
            start = end + 1
            guard line.contains(where: { $0 != 32 && $0 != 13 && $0 != 9 }) else { continue }
            guard let record = EventBodies.decodeLine(GoldenRecord.self, line) else {
                throw GoldenSetError(path: path, line: lineNumber, reason: "not a golden record {\"id\",\"features\",\"label\"|\"query_id\"+\"relevance\"}")
            }
            guard record.label != nil || record.relevance != nil else {
                throw GoldenSetError(path: path, line: lineNumber, reason: "has neither label nor relevance")
            }
            records.append(record)
        }
        guard !records.isEmpty else { throw GoldenSetError(path: path, line: 0, reason: "is empty") }
        return GoldenSet(records: records)
    }

    /// The batch starting at `cursor` of about `size` records (0: all); ranking batches keep queries whole.
    public func batch(from cursor: Int, size: Int) -> (records: [GoldenRecord], next: Int) {
        guard size > 0, size < records.count else { return (records, 0) }
        let start = cursor % records.count
        var end = min(records.count, start + size)
        if isRanking {
            while end < records.count, records[end].queryID == records[end - 1].queryID { end += 1 }
        }
        return (Array(records[start..<end]), end >= records.count ? 0 : end)
    }

    /// Turns inference outputs into classification pairs or ranking queries.
    public static func score(_ records: [GoldenRecord], outputs: [[Double]]) -> (scores: [Double], labels: [Double], queries: [RankedQuery]) {
        var scores: [Double] = []
        var labels: [Double] = []
        var queryOrder: [String] = []
        var byQuery: [String: RankedQuery] = [:]
        for (record, row) in zip(records, outputs) {
            guard let score = row.count == 2 ? row.last : row.first else { continue }
            if let query = record.queryID, let relevance = record.relevance {
                if byQuery[query] == nil {
                    byQuery[query] = RankedQuery(scores: [], relevances: [])
                    queryOrder.append(query)
                }
                byQuery[query]!.scores.append(score)
                byQuery[query]!.relevances.append(relevance)
            }
            if let label = record.label {
                scores.append(score)
                labels.append(label)
            }
        }
        return (scores, labels, queryOrder.compactMap { byQuery[$0] })
    }
}

/// A golden set file could not be used.
public struct GoldenSetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The line (0: the whole file).
    public var line: Int
    /// What is wrong.
    public var reason: String

    /// `golden.jsonl:3: has neither label nor relevance`.
    public var description: String { line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)" }
}
