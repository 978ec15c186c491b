import Foundation

/// A fresh directory under the system temporary directory, removed by `cleanup()`.
public struct TemporaryDirectory: Sendable {
    /// The directory's URL.
    public let url: URL

    /// The directory's path.
    public var path: String { url.path }

    /// Creates a uniquely named directory (`<tmp>/<prefix>-<uuid>`).
    public init(prefix: String = "drover-test") throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A URL for a file or folder inside the directory (not created).
    public func appending(_ component: String) -> URL { url.appendingPathComponent(component) }

    /// Writes bytes to a file inside the directory and returns its URL.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> URL {
        let file = appending(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    /// Removes the directory and everything in it; safe to call twice.
    public func cleanup() {
        try? FileManager.default.removeItem(at: url)
    }
}
