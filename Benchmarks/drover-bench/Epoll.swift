#if canImport(Glibc)
import Glibc
#endif

/// epoll(7) for the load client, looked up with dlsym: Swift's Glibc module does not export `sys/epoll.h`, and
/// poll(2) over every connection on each wake-up was most of the client's CPU time (`perf`: sock_poll, fdget).
final class Epoll {
    private typealias Create = @convention(c) (Int32) -> Int32
    private typealias Control = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias Wait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

    /// Readable.
    static let input: UInt32 = 0x001
    /// Writable.
    static let output: UInt32 = 0x004
    /// Error or hang-up.
    static let errorOrHangUp: UInt32 = 0x008 | 0x010

    // struct epoll_event is packed on x86_64 (12 bytes, data at offset 4) and naturally aligned elsewhere.
    #if arch(x86_64)
    private static let stride = 12
    private static let dataOffset = 4
    #else
    private static let stride = 16
    private static let dataOffset = 8
    #endif

    private let fd: Int32
    private let control: Control
    private let wait: Wait
    private let events: UnsafeMutableRawPointer
    private let capacity: Int

    /// Opens an epoll instance reporting at most `capacity` events per wait.
    init(capacity: Int) throws(LoadBenchmarkError) {
        guard let create = dlsym(nil, "epoll_create1"), let control = dlsym(nil, "epoll_ctl"),
            let wait = dlsym(nil, "epoll_wait")
        else { throw LoadBenchmarkError(description: "epoll is not available; the load client needs Linux") }
        self.control = unsafeBitCast(control, to: Control.self)
        self.wait = unsafeBitCast(wait, to: Wait.self)
        fd = unsafeBitCast(create, to: Create.self)(0x80000)  // EPOLL_CLOEXEC
        guard fd >= 0 else { throw .socket("epoll_create1") }
        self.capacity = capacity
        events = UnsafeMutableRawPointer.allocate(byteCount: capacity * Self.stride, alignment: 8)
    }

    deinit {
        events.deallocate()
        close(fd)
    }

    /// Adds (`operation` 1), changes (3) or removes (2) `socket`'s interest, tagged with `token`.
    func update(_ operation: Int32, socket: Int32, events mask: UInt32, token: UInt32) -> Bool {
        var event = [UInt8](repeating: 0, count: Self.stride)
        return event.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: mask, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: token, toByteOffset: Self.dataOffset, as: UInt32.self)
            return control(fd, operation, socket, raw.baseAddress) == 0
        }
    }

    /// Waits up to `timeout` ms and calls `body(token, events)` for each ready socket.
    func poll(timeout: Int32, _ body: (Int, UInt32) -> Void) {
        let ready = wait(fd, events, Int32(capacity), timeout)
        guard ready > 0 else { return }
        for i in 0..<Int(ready) {
            let base = events + i * Self.stride
            let mask = base.loadUnaligned(as: UInt32.self)
            let token = (base + Self.dataOffset).loadUnaligned(as: UInt32.self)
            body(Int(token), mask)
        }
    }
}
