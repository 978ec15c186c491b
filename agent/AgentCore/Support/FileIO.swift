#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system call failed; says which call, which path, and the system's reason.
public struct FileIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failing operation (`open`, `write`, `fsync`, `rename`, …).
    public var operation: String
    /// The path involved.
    public var path: String
    /// `errno`.
    public var code: Int32

    /// Creates an error from the current `errno`.
    init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// `open agent.yaml: No such file or directory`.
    public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}

/// Small POSIX file helpers: whole-file reads, durable atomic writes, directory listings.
public enum FileIO {
    /// Reads a whole file.
    public static func read(_ path: String) throws(FileIOError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileIOError("open", path) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError("read", path)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Reads a whole file as UTF-8 text.
    public static func readText(_ path: String) throws(FileIOError) -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    /// Writes `bytes` to `path` durably: a temporary file in the same directory, fsync, rename, fsync of the directory;
    /// a private `mode` (0600 for secrets) holds even when an older temporary file had a wider one; others follow umask.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(FileIOError) {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileIOError("open", tmp) }
        if mode & 0o077 == 0, fchmod(fd, mode) != 0 {
            let code = errno
            close(fd)
            unlink(tmp)
            throw FileIOError("fchmod", tmp, code: code)
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(tmp)
                throw FileIOError("write", tmp, code: code)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(tmp)
            throw FileIOError("fsync", tmp, code: code)
        }
        close(fd)
        if rename(tmp, path) != 0 {
            let code = errno
            unlink(tmp)
            throw FileIOError("rename", path, code: code)
        }
        syncDirectory(of: path)
    }

    /// Fsyncs the directory holding `path`, so a rename or unlink survives a crash.
    public static func syncDirectory(of path: String) {
        let dir = directory(of: path)
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    /// The directory part of a path (`.` when there is none).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Creates a directory and its parents; succeeds when it already exists.
    public static func makeDirectories(_ path: String) throws(FileIOError) {
        var current = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw FileIOError("mkdir", current) }
        }
    }

    /// Names of the entries in a directory (without `.` and `..`).
    public static func list(_ path: String) throws(FileIOError) -> [String] {
        guard let dir = opendir(path) else { throw FileIOError("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file; succeeds when it is already gone.
    public static func remove(_ path: String) throws(FileIOError) {
        if unlink(path) != 0 && errno != ENOENT { throw FileIOError("unlink", path) }
    }

    /// Whether a path exists.
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }
}
