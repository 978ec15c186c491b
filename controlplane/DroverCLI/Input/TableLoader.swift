#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
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
        let bytes = try readAll(path)
        return try parse(bytes, source: path, format: format ?? detect(path, bytes))
    }

    /// Reads a whole file into one byte array with POSIX calls (no intermediate copy).
    static func readAll(_ path: String) throws(InputError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(path, "it is a directory") }
        let size = Int(info.st_size)
        if size >= Int(UInt32.max) / 2 { throw .tooLarge(path) }
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failure = errno }
                if n <= 0 { break }
                done += n
            }
            count = done
        }
        if failure != 0 { throw .unreadable(path, String(cString: strerror(failure))) }
        // A file that grew while being read (or a pipe): read the rest.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
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
