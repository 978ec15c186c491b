#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a CSV or JSON Lines file into a `DataTable`, choosing the format by extension or content.
public enum TableLoader {
    /// The input format.
    public enum Format: String, Sendable, CaseIterable {
        /// RFC 4180 CSV with a header line.
        case csv
        /// One JSON object per line.
        case jsonl
    }

    /// Loads `path`; `.jsonl` / `.ndjson` (or a first non-blank byte `{`) means JSON Lines, anything else CSV.
    public static func load(_ path: String, format: Format? = nil) throws(InputError) -> DataTable {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path, "permission denied, or it is a directory")
        }
        let bytes = [UInt8](data)
        return try parse(bytes, source: path, format: format ?? detect(path, bytes))
    }

    /// Parses bytes in the given format.
    public static func parse(_ bytes: [UInt8], source: String, format: Format) throws(InputError) -> DataTable {
        switch format {
        case .csv: return try CSVReader.read(bytes, source: source)
        case .jsonl: return try JSONLinesReader.read(bytes, source: source)
        }
    }

    /// Guesses the format from the extension, then the first non-blank byte.
    public static func detect(_ path: String, _ bytes: [UInt8]) -> Format {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        for c in bytes.prefix(4096)
        where c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D && c != 0xEF && c != 0xBB && c != 0xBF {
            return c == 0x7B ? .jsonl : .csv
        }
        return .csv
    }
}
