#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads resident memory and CPU time of a process from `/proc` (Linux); nil elsewhere or when it is gone.
public struct ResourceSampler: Sendable {
    /// A point-in-time reading.
    public struct Sample: Sendable, Equatable {
        /// Resident set size.
        public var rssBytes: Int
        /// User + system CPU time since the process started.
        public var cpuSeconds: Double
    }

    /// The process: nil for this one.
    public var pid: Int?

    /// Creates a sampler for `pid` (nil: the agent itself).
    public init(pid: Int? = nil) { self.pid = pid }

    /// Reads the process's RSS and CPU time.
    public func sample() -> Sample? {
        let base = pid.map { "/proc/\($0)" } ?? "/proc/self"
        guard let statm = try? FileIO.readText(base + "/statm"), let stat = try? FileIO.readText(base + "/stat") else { return nil }
        let pages = statm.split(separator: " ")
        guard pages.count > 1, let resident = Int(pages[1]) else { return nil }
        // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return Sample(rssBytes: resident * Int(sysconf(Int32(_SC_PAGESIZE))), cpuSeconds: (utime + stime) / max(ticks, 1))
    }

    /// Reads a PID from a pid file.
    public static func pid(fromFile path: String) -> Int? {
        (try? FileIO.readText(path)).flatMap { Int($0.trimmed) }
    }
}
