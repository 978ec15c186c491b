#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Follows a JSON Lines file like `tail -F`: survives rotation (a new file under the same name) and truncation.
///
/// Not thread-safe; one service owns it and calls `poll()` periodically.
public struct LogTail: ~Copyable {
    /// The followed path.
    public let path: String
    /// Lines longer than this are skipped and counted.
    public let maxLineBytes: Int
    private var fd: Int32 = -1
    private var inode: UInt64 = 0
    private var offset: Int = 0
    private var partial: [UInt8] = []
    private var skipping = false
    private var startAtEnd: Bool
    /// Lines skipped because they were too long.
    public private(set) var oversizedLines = 0

    /// Prepares to follow `path`; with `fromEnd`, lines already in the file at the first open are skipped.
    public init(path: String, fromEnd: Bool = false, maxLineBytes: Int = 1 << 20) {
        self.path = path
        self.startAtEnd = fromEnd
        self.maxLineBytes = maxLineBytes
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Reads what was appended since the last poll and returns the complete lines.
    public mutating func poll() -> [[UInt8]] {
        var lines: [[UInt8]] = []
        if fd < 0 { openFile() }
        guard fd >= 0 else { return lines }
        var st = stat()
        if fstat(fd, &st) == 0, Int(st.st_size) < offset {
            offset = 0
            partial.removeAll()
            skipping = false
        }
        drain(into: &lines)
        var current = stat()
        let rotated = stat(path, &current) != 0 || UInt64(current.st_ino) != inode
        if rotated {
            close(fd)
            fd = -1
            if !partial.isEmpty && !skipping { lines.append(partial) }
            partial.removeAll()
            skipping = false
            openFile()
            if fd >= 0 { drain(into: &lines) }
        }
        return lines
    }

    private mutating func openFile() {
        let newFD = open(path, O_RDONLY | O_CLOEXEC)
        guard newFD >= 0 else { return }
        var st = stat()
        guard fstat(newFD, &st) == 0 else {
            close(newFD)
            return
        }
        fd = newFD
        inode = UInt64(st.st_ino)
        offset = startAtEnd ? Int(st.st_size) : 0
        startAtEnd = false
    }

    private mutating func drain(into lines: inout [[UInt8]]) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
            var start = 0
            for i in 0..<n where buffer[i] == UInt8(ascii: "\n") {
                if !skipping {
                    partial.append(contentsOf: buffer[start..<i])
                    if !partial.isEmpty { lines.append(partial) }
                }
                partial.removeAll(keepingCapacity: true)
                skipping = false
                start = i + 1
            }
            if start < n && !skipping {
                partial.append(contentsOf: buffer[start..<n])
                if partial.count > maxLineBytes {
                    partial.removeAll()
                    skipping = true
                    oversizedLines += 1
                }
            }
        }
    }
}
