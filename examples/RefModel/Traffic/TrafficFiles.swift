import DroverAPI
import Foundation

/// Offline artefacts from the generator: a golden set and a training-data sample.
public enum TrafficFiles {
    /// A golden set of `queries` queries: every candidate with a 0/1 click label (sampled from the true
    /// click model at the top position) and a graded relevance 0…3; records of one query share `query_id`.
    public static func goldenSet(seed: UInt64, queries: Int, itemsPerQuery: ClosedRange<Int> = 10...20)
        -> [GoldenRecord]
    {
        var generator = TrafficGenerator(seed: seed, itemsPerQuery: itemsPerQuery)
        var labels = SeededGenerator(seed: seed).derived(0x601D)
        var records: [GoldenRecord] = []
        for q in 0..<queries {
            let query = generator.nextQuery()
            for (i, candidate) in query.candidates.enumerated() {
                records.append(
                    GoldenRecord(
                        id: "g-\(q)-\(i)", queryID: "gq-\(q)", item: candidate.item, features: candidate.features,
                        label: labels.bernoulli(candidate.clickProbability) ? 1 : 0,
                        relevance: Double(candidate.relevance)))
            }
        }
        return records
    }

    /// The CSV header of the training-data sample: the schema's features, then `label` and `score`.
    public static func referenceHeader(schema: FeatureSchema = .ranker) -> [String] {
        schema.names + ["label", "score"]
    }

    /// A training-data sample of `rows` candidate rows (normal traffic unless `shift` is given) as CSV text.
    ///
    /// `label` is a click sampled from the true click model; `score` is what `scoredBy` answers (version "1" by default).
    public static func referenceCSV(
        seed: UInt64, rows: Int, shift: TrafficShift? = nil,
        scoredBy version: RefModelVersion? = RefModelCatalog.version("1")
    ) -> String {
        let schema = FeatureSchema.ranker
        var generator = TrafficGenerator(seed: seed)
        var labels = SeededGenerator(seed: seed).derived(0x7EF)
        var lines = [referenceHeader(schema: schema).joined(separator: ",")]
        var written = 0
        while written < rows {
            let query = generator.nextQuery(shift: shift)
            let scores = version?.score(flat: query.flatRows, count: query.candidates.count)
            for (index, candidate) in query.candidates.enumerated() where written < rows {
                var fields = schema.names.map { name in csvField(candidate.features[name]) }
                fields.append(labels.bernoulli(candidate.clickProbability) ? "1" : "0")
                fields.append(scores.map { "\($0[index])" } ?? "")
                lines.append(fields.joined(separator: ","))
                written += 1
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON Lines line (no trailing newline) in Drover's wire format.
    public static func jsonLine(_ value: some Encodable) throws -> String {
        String(decoding: try DroverJSON.encode(value), as: UTF8.self)
    }

    private static func csvField(_ value: FeatureValue?) -> String {
        switch value {
        case .number(let number)?:
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return "\(number)"
        case .string(let text)?:
            if text.contains(",") || text.contains("\"") {
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return text
        case nil:
            return ""
        }
    }
}
