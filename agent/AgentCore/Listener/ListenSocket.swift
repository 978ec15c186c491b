#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The listener could not start; says which address, why, and what to change.
public struct LocalHTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
  private enum Code: Sendable, Equatable {
    case invalidHost
    case bindFailed
    case alreadyServing
    case threadFailed
    case loopFailed
  }

  private let code: Code
  /// What went wrong and what to do about it.
  public let description: String

  static func invalidHost(_ host: String) -> Self {
    .init(
      code: .invalidHost,
      description:
        "listen.host \"\(host)\" is not an IP address; use 127.0.0.1 (default), ::1, 0.0.0.0 or another local address"
    )
  }

  static func bindFailed(_ host: String, _ port: Int, _ call: String, _ errno: Int32) -> Self {
    let hint: String
    switch errno {
    case EADDRINUSE:
      hint = "another process uses this port; stop it or set listen.port (0 picks a free port)"
    case EACCES: hint = "ports below 1024 need privileges; choose a port above 1023"
    case EADDRNOTAVAIL:
      hint = "this machine has no such address; set listen.host to one of its addresses"
    default: hint = "check listen.host and listen.port"
    }
    return .init(
      code: .bindFailed,
      description:
        "cannot listen on \(host):\(port): \(call): \(String(cString: strerror(errno))); \(hint)")
  }

  static let alreadyServing = Self(
    code: .alreadyServing,
    description: "serve() was called twice on one bound listener; call it once per bind")

  static func threadFailed(_ errno: Int32) -> Self {
    .init(
      code: .threadFailed,
      description: "cannot start the listener thread: \(String(cString: strerror(errno)))")
  }

  static func loopFailed(_ errno: Int32) -> Self {
    .init(
      code: .loopFailed,
      description:
        "the listener stopped: poll: \(String(cString: strerror(errno))); restart the agent")
  }

  /// Same kind of failure (messages may differ).
  public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}

/// A listening TCP socket on an IP address: non-blocking, close-on-exec, `SO_REUSEADDR`.
enum ListenSocket {
  /// Binds and listens; returns the descriptor and the bound port.
  static func open(host: String, port: Int, backlog: Int32) throws(LocalHTTPServerError) -> (
    fd: Int32, port: Int
  ) {
    guard (0...65_535).contains(port) else { throw .bindFailed(host, port, "bind", EINVAL) }
    let address = host == "localhost" ? "127.0.0.1" : host
    var v4 = sockaddr_in()
    var v6 = sockaddr_in6()
    let family: Int32
    if inet_pton(AF_INET, address, &v4.sin_addr) == 1 {
      family = AF_INET
      v4.sin_family = sa_family_t(AF_INET)
      v4.sin_port = UInt16(port).bigEndian
    } else if inet_pton(AF_INET6, address.trimmingBrackets, &v6.sin6_addr) == 1 {
      family = AF_INET6
      v6.sin6_family = sa_family_t(AF_INET6)
      v6.sin6_port = UInt16(port).bigEndian
    } else {
      throw .invalidHost(host)
    }
    let fd = socket(
      family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw .bindFailed(host, port, "socket", errno) }
    var one: Int32 = 1
    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    let bound: Int32
    if family == AF_INET {
      bound = withUnsafePointer(to: &v4) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    } else {
      bound = withUnsafePointer(to: &v6) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    }
    if bound != 0 {
      let code = errno
      close(fd)
      throw .bindFailed(host, port, "bind", code)
    }
    if listen(fd, backlog) != 0 {
      let code = errno
      close(fd)
      throw .bindFailed(host, port, "listen", code)
    }
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let named = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else {
      let code = errno
      close(fd)
      throw .bindFailed(host, port, "getsockname", code)
    }
    let boundPort: UInt16 = withUnsafePointer(to: &storage) { pointer in
      if family == AF_INET {
        return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
          UInt16(bigEndian: $0.pointee.sin_port)
        }
      }
      return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
        UInt16(bigEndian: $0.pointee.sin6_port)
      }
    }
    return (fd, Int(boundPort))
  }
}

extension String {
  /// `::1` from `[::1]`.
  fileprivate var trimmingBrackets: String {
    hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
  }
}
