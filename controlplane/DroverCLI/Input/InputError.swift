/// A problem with an input file; the message names the file, the place and what to fix. `droverctl` exits with 2.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case missingFile(path: String)
        case unreadable(path: String, reason: String)
        case notUTF8(path: String, line: Int, offset: Int)
        case empty(path: String)
        case ragged(path: String, line: Int, fields: Int, expected: Int)
        case malformed(path: String, line: Int, reason: String)
        case missingColumn(column: String, path: String, available: [String])
        case noValues(column: String, path: String)
        case tooLarge(path: String)
        case statistics(column: String, reason: String)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// The file does not exist.
    public static func missingFile(_ path: String) -> InputError { InputError(.missingFile(path: path)) }
    /// The file exists but cannot be read.
    public static func unreadable(_ path: String, _ reason: String) -> InputError {
        InputError(.unreadable(path: path, reason: reason))
    }
    /// The file is not valid UTF-8.
    public static func notUTF8(_ path: String, line: Int, offset: Int) -> InputError {
        InputError(.notUTF8(path: path, line: line, offset: offset))
    }
    /// The file has no header or no data rows.
    public static func empty(_ path: String) -> InputError { InputError(.empty(path: path)) }
    /// A CSV row has a different number of fields than the header.
    public static func ragged(_ path: String, line: Int, fields: Int, expected: Int) -> InputError {
        InputError(.ragged(path: path, line: line, fields: fields, expected: expected))
    }
    /// A syntax error (bad quoting, invalid JSON).
    public static func malformed(_ path: String, line: Int, _ reason: String) -> InputError {
        InputError(.malformed(path: path, line: line, reason: reason))
    }
    /// A requested column is not in the file.
    public static func missingColumn(_ column: String, in path: String, available: [String]) -> InputError {
        InputError(.missingColumn(column: column, path: path, available: available))
    }
    /// A column has only missing values on one side.
    public static func noValues(_ column: String, in path: String) -> InputError {
        InputError(.noValues(column: column, path: path))
    }
    /// The file is larger than 4 GiB.
    public static func tooLarge(_ path: String) -> InputError { InputError(.tooLarge(path: path)) }
    /// A statistic could not be computed for a column.
    public static func statistics(_ column: String, _ reason: String) -> InputError {
        InputError(.statistics(column: column, reason: reason))
    }

    /// What is wrong and how to fix it.
    public var description: String {
        switch code {
        case .missingFile(let path):
            return "\(path): no such file; check the path given to --reference / --current"
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason))"
        case .notUTF8(let path, let line, let offset):
            return "\(path):\(line): not valid UTF-8 (byte offset \(offset)); re-encode the file as UTF-8"
        case .empty(let path):
            return "\(path): no data rows; a header line and at least one row are needed"
        case .ragged(let path, let line, let fields, let expected):
            return "\(path):\(line): row has \(fields) fields but the header has \(expected); "
                + "quote fields that contain commas"
        case .malformed(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .missingColumn(let column, let path, let available):
            let list = available.prefix(20).joined(separator: ", ")
            return
                "\(path): no column \"\(column)\" (columns: \(list)); pick columns present in both files with --columns"
        case .noValues(let column, let path):
            return "\(path): column \"\(column)\" has no values (every field is empty); drop it with --columns"
        case .tooLarge(let path):
            return "\(path): larger than 4 GiB; sample it first"
        case .statistics(let column, let reason):
            return "column \"\(column)\": \(reason)"
        }
    }
}
