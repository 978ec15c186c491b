import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A whole request handed from the I/O thread to `serve()`; its answer goes back with `complete(_:with:)`.
struct LocalHTTPJob: Sendable {
  let connection: UInt64
  let request: LocalHTTPRequest
  let keepAlive: Bool
}

/// The listener's I/O side: a thread of its own runs a poll(2) loop over the listening socket, a wake-up pipe and
/// every connection (`LocalHTTPLoopThread`). Other threads only stop it, hand it answers and wait for its end,
/// through `shared` (a Mutex) and the pipe; the connection table never leaves the loop thread.
final class LocalHTTPEventLoop: Sendable {
  struct Completion {
    let connection: UInt64
    let response: LocalHTTPResponse
    let keepAlive: Bool
    let headOnly: Bool
  }

  enum Phase {
    case bound, running, finished
  }

  struct Shared {
    var phase = Phase.bound
    var stopRequested = false
    var wakePending = false
    var completions: [Completion] = []
    var waiters: [CheckedContinuation<Void, Never>] = []
    var failure: LocalHTTPServerError?
    /// The loop thread, once it runs (tests interrupt it with signals).
    var thread: pthread_t?
  }

  let listenFD: Int32
  let wakeRead: Int32
  let wakeWrite: Int32
  let configuration: LocalHTTPServer.Configuration
  let shared = Mutex(Shared())
  /// Connections open now (written by the loop thread only).
  let openConnections = Atomic<Int>(0)

  /// Takes ownership of a listening socket.
  init(listenFD: Int32, configuration: LocalHTTPServer.Configuration) throws(LocalHTTPServerError) {
    var pipeFDs: [Int32] = [-1, -1]
    guard pipe(&pipeFDs) == 0 else {
      let code = errno
      Glibc.close(listenFD)
      throw .threadFailed(code)
    }
    for fd in pipeFDs { Self.configure(fd) }
    self.listenFD = listenFD
    self.wakeRead = pipeFDs[0]
    self.wakeWrite = pipeFDs[1]
    self.configuration = configuration
  }

  deinit {
    let neverServed = shared.withLock { $0.phase == .bound }
    if neverServed { Glibc.close(listenFD) }
    Glibc.close(wakeRead)
    Glibc.close(wakeWrite)
  }

  /// Starts the loop thread; false when the listener was closed before it served.
  func start(jobs: AsyncStream<LocalHTTPJob>.Continuation) throws(LocalHTTPServerError) -> Bool {
    let proceed = try shared.withLock { state throws(LocalHTTPServerError) -> Bool in
      switch state.phase {
      case .running: throw .alreadyServing
      case .finished: return false
      case .bound:
        state.phase = .running
        return true
      }
    }
    guard proceed else {
      jobs.finish()
      return false
    }
    let context = Unmanaged.passRetained(LocalHTTPLoopThread(loop: self, jobs: jobs)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    // The loop keeps little on its stack; a small one saves address space (pages are touched as used).
    pthread_attr_setstacksize(&attributes, 512 << 10)
    var thread = pthread_t()
    let created = pthread_create(
      &thread, &attributes,
      { context in
        let loopThread = Unmanaged<LocalHTTPLoopThread>.fromOpaque(context!).takeRetainedValue()
        loopThread.run()
        return nil
      }, context)
    if created != 0 {
      Unmanaged<LocalHTTPLoopThread>.fromOpaque(context).release()
      Glibc.close(listenFD)
      jobs.finish()
      finished(failure: .threadFailed(created))
      throw .threadFailed(created)
    }
    return true
  }

  /// Asks the loop to stop: the listener closes at once, idle connections too, requests in progress finish
  /// within the grace period. Safe from any thread, any number of times.
  func stop() {
    let (closeListener, wake) = shared.withLock { state -> (Bool, Bool) in
      guard !state.stopRequested else { return (false, false) }
      state.stopRequested = true
      switch state.phase {
      case .bound:
        state.phase = .finished
        return (true, false)
      case .running:
        return (false, true)
      case .finished:
        return (false, false)
      }
    }
    if closeListener { Glibc.close(listenFD) }
    if wake { wakeUp() }
  }

  /// Hands the loop a handler's answer for one connection.
  func complete(_ job: LocalHTTPJob, with response: LocalHTTPResponse) {
    let completion = Completion(
      connection: job.connection, response: response, keepAlive: job.keepAlive,
      headOnly: job.request.method == "HEAD")
    let wake = shared.withLock { state -> Bool in
      state.completions.append(completion)
      if state.wakePending { return false }
      state.wakePending = true
      return true
    }
    if wake { wakeUp() }
  }

  /// Returns once the loop has ended and closed every socket (at once if it never started).
  func waitUntilFinished() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let done = shared.withLock { state -> Bool in
        if state.phase == .finished { return true }
        state.waiters.append(continuation)
        return false
      }
      if done { continuation.resume() }
    }
  }

  /// The loop thread while it runs.
  var thread: pthread_t? { shared.withLock { $0.phase == .running ? $0.thread : nil } }

  /// Why the loop ended early, if it did.
  var failure: LocalHTTPServerError? { shared.withLock { $0.failure } }

  /// Called by the loop thread when it is done.
  func finished(failure: LocalHTTPServerError?) {
    let waiters = shared.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.phase = .finished
      state.failure = state.failure ?? failure
      defer { state.waiters.removeAll() }
      return state.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Non-blocking and close-on-exec (`pipe2`/`accept4` are not exported to Swift by Glibc; the moment between
  /// creation and this call is the only time a concurrently spawned child could inherit the descriptor).
  static func configure(_ fd: Int32) {
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
  }

  private func wakeUp() {
    var byte: UInt8 = 1
    while Glibc.write(wakeWrite, &byte, 1) < 0 && errno == EINTR {}
    // EAGAIN: the pipe is full, so a wake-up is pending anyway.
  }
}

/// One HTTP/1.1 connection as the loop thread sees it.
final class LocalHTTPConnection {
  enum Phase {
    /// Reading a request (or waiting for the next one on a keep-alive connection).
    case reading
    /// A whole request is with the handler.
    case awaitingHandler
    /// Writing the answer; then close or read the next request.
    case writing(closeAfter: Bool)
    /// Our side is shut; reading and dropping what the client still sends, so our answer is not lost to a reset.
    case lingering(until: Int64)
  }

  let id: UInt64
  let fd: Int32
  var phase = Phase.reading
  var parser: HTTPRequestParser
  var input: [UInt8] = []
  var inputStart = 0
  var output: [UInt8] = []
  var outputStart = 0
  /// The client shut its sending side (read returned 0).
  var peerClosed = false
  /// Last time bytes moved either way (or the connection was accepted / went back to reading).
  var lastProgress: Int64
  /// When the first byte of the request being read arrived.
  var requestStarted: Int64?
  var lingerBytes = 0
  /// Closed by the loop (its descriptor is gone).
  var closed = false

  init(id: UInt64, fd: Int32, parser: HTTPRequestParser, now: Int64) {
    self.id = id
    self.fd = fd
    self.parser = parser
    self.lastProgress = now
  }

  /// Between requests with nothing buffered either way.
  var isIdle: Bool {
    if case .reading = phase {
      return inputStart == input.count && parser.isIdle && outputStart == output.count
    }
    return false
  }
}

/// The loop thread's state: created before the thread starts, then touched by that thread only.
final class LocalHTTPLoopThread {
  private let loop: LocalHTTPEventLoop
  private let jobs: AsyncStream<LocalHTTPJob>.Continuation
  private let maxConnections: Int
  private let idleMillis: Int64
  private let requestMillis: Int64
  private let graceMillis: Int64
  private static let lingerMillis: Int64 = 2_000
  private static let lingerMaxBytes = 1 << 20
  private static let acceptPauseMillis: Int64 = 100
  private static let busyAnswer = LocalHTTPResponse.error(
    503, code: "too_many_connections",
    message:
      "the agent's listener has too many open connections; reuse keep-alive connections or retry later"
  ).encoded(keepAlive: false)

  private var connections: [UInt64: LocalHTTPConnection] = [:]
  private var nextID: UInt64 = 0
  private var scratch = [UInt8](repeating: 0, count: 64 << 10)
  private var listening = true
  private var stopping = false
  private var stopDeadline = Int64.max
  private var acceptPausedUntil: Int64 = 0
  private var pollSet: [pollfd] = []
  private var pollIDs: [UInt64] = []

  init(loop: LocalHTTPEventLoop, jobs: AsyncStream<LocalHTTPJob>.Continuation) {
    self.loop = loop
    self.jobs = jobs
    let c = loop.configuration
    maxConnections = max(1, c.maxConnections)
    idleMillis = Self.millis(c.idleTimeout)
    requestMillis = Self.millis(c.requestTimeout)
    graceMillis = Self.millis(c.shutdownGracePeriod)
  }

  func run() {
    loop.shared.withLock { $0.thread = pthread_self() }
    var failure: LocalHTTPServerError?
    while true {
      let now = Self.now()
      expire(now)
      if stopping && connections.isEmpty { break }
      buildPollSet(now)
      let ready = poll(&pollSet, nfds_t(pollSet.count), pollTimeout(now))
      if ready < 0 {
        let code = errno
        if code == EINTR || code == EAGAIN { continue }
        failure = .loopFailed(code)
        break
      }
      if ready == 0 { continue }
      let now2 = Self.now()
      if pollSet[0].revents != 0 { takeWakeUps(now2) }
      if pollSet[1].fd >= 0 && pollSet[1].revents != 0 { accept(now2) }
      for index in 2..<pollSet.count where pollSet[index].revents != 0 {
        guard let connection = connections[pollIDs[index - 2]] else { continue }  // closed meanwhile
        handle(connection, events: Int32(pollSet[index].revents), now: now2)
      }
    }
    for connection in Array(connections.values) { close(connection) }
    if listening { Glibc.close(loop.listenFD) }
    jobs.finish()
    loop.finished(failure: failure)
  }

  // MARK: Poll set and timeouts

  private func buildPollSet(_ now: Int64) {
    pollSet.removeAll(keepingCapacity: true)
    pollIDs.removeAll(keepingCapacity: true)
    pollSet.append(pollfd(fd: loop.wakeRead, events: Int16(POLLIN), revents: 0))
    let accepting = listening && now >= acceptPausedUntil
    pollSet.append(pollfd(fd: accepting ? loop.listenFD : -1, events: Int16(POLLIN), revents: 0))
    for connection in connections.values {
      var events: Int32 = 0
      switch connection.phase {
      case .reading:
        events = POLLIN
        if connection.outputStart < connection.output.count { events |= POLLOUT }
      case .awaitingHandler:
        events = 0  // hang-ups and errors are reported anyway
      case .writing:
        events = POLLOUT
      case .lingering:
        events = POLLIN
      }
      pollSet.append(pollfd(fd: connection.fd, events: Int16(events), revents: 0))
      pollIDs.append(connection.id)
    }
  }

  private func deadline(_ connection: LocalHTTPConnection) -> Int64 {
    switch connection.phase {
    case .reading:
      let idle = connection.lastProgress &+ idleMillis
      guard let started = connection.requestStarted else { return idle }
      return min(idle, started &+ requestMillis)
    case .awaitingHandler:
      return .max
    case .writing:
      return connection.lastProgress &+ idleMillis
    case .lingering(let until):
      return until
    }
  }

  private func pollTimeout(_ now: Int64) -> Int32 {
    var next = stopDeadline
    if listening && acceptPausedUntil > now { next = min(next, acceptPausedUntil) }
    for connection in connections.values { next = min(next, deadline(connection)) }
    if next == .max { return -1 }
    return Int32(clamping: max(0, next - now))
  }

  private func expire(_ now: Int64) {
    if stopping && now >= stopDeadline {
      for connection in Array(connections.values) { close(connection) }
      return
    }
    for connection in Array(connections.values) where now >= deadline(connection) {
      if case .reading = connection.phase, connection.requestStarted != nil, !connection.isIdle {
        respondAndClose(
          connection,
          .error(
            408, code: "request_timeout",
            message: "the request was not received in time; send it at once"),
          now: now)
      } else {
        close(connection)
      }
    }
  }

  // MARK: Wake-ups: answers from handlers, stop

  private func takeWakeUps(_ now: Int64) {
    while scratch.withUnsafeMutableBytes({ Glibc.read(loop.wakeRead, $0.baseAddress, $0.count) })
      > 0
    {}
    let (completions, stop) = loop.shared.withLock {
      state -> ([LocalHTTPEventLoop.Completion], Bool) in
      state.wakePending = false
      defer { state.completions.removeAll() }
      return (state.completions, state.stopRequested)
    }
    if stop && !stopping { beginStop(now) }
    for completion in completions {
      guard let connection = connections[completion.connection],
        case .awaitingHandler = connection.phase
      else {
        continue  // the client went away meanwhile
      }
      // Encoded here: only the loop knows whether the connection stays open (it closes when stopping).
      let keepAlive = completion.keepAlive && !stopping && !connection.peerClosed
      connection.output = completion.response.encoded(
        keepAlive: keepAlive, headOnly: completion.headOnly)
      connection.outputStart = 0
      connection.phase = .writing(closeAfter: !keepAlive)
      connection.lastProgress = now
      flush(connection, now: now)
    }
  }

  private func beginStop(_ now: Int64) {
    stopping = true
    stopDeadline = now &+ graceMillis
    if listening {
      Glibc.close(loop.listenFD)
      listening = false
    }
    for connection in Array(connections.values) where connection.isIdle { close(connection) }
  }

  // MARK: Accepting

  private func accept(_ now: Int64) {
    for _ in 0..<64 {
      let fd = Glibc.accept(loop.listenFD, nil, nil)
      if fd < 0 {
        switch errno {
        case EINTR, ECONNABORTED, EPROTO, EPERM: continue
        case EAGAIN, EWOULDBLOCK: return
        default:
          // EMFILE, ENFILE, ENOBUFS, ENOMEM: the client waits in the backlog; retry shortly instead of spinning.
          acceptPausedUntil = now &+ Self.acceptPauseMillis
          return
        }
      }
      LocalHTTPEventLoop.configure(fd)
      if connections.count >= maxConnections {
        reject(fd)
        continue
      }
      var one: Int32 = 1
      _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      nextID += 1
      let parser = HTTPRequestParser(
        maxHeaderBytes: loop.configuration.maxHeaderBytes,
        maxBodyBytes: loop.configuration.maxBodyBytes)
      connections[nextID] = LocalHTTPConnection(id: nextID, fd: fd, parser: parser, now: now)
      loop.openConnections.store(connections.count, ordering: .relaxed)
    }
  }

  /// Over the connection bound: answer 503 and close (what the client already sent is read first, so the
  /// answer is not lost to a reset).
  private func reject(_ fd: Int32) {
    for _ in 0..<4
    where scratch.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 {}
    _ = Self.busyAnswer.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    shutdown(fd, Int32(SHUT_WR))
    Glibc.close(fd)
  }

  // MARK: Connections

  private func handle(_ connection: LocalHTTPConnection, events: Int32, now: Int64) {
    if events & (POLLERR | POLLNVAL) != 0 {
      close(connection)
      return
    }
    switch connection.phase {
    case .reading:
      if events & POLLOUT != 0 { flush(connection, now: now) }
      if events & (POLLIN | POLLHUP) != 0, case .reading = connection.phase {
        read(connection, now: now)
      }
    case .awaitingHandler:
      if events & POLLHUP != 0 { close(connection) }  // both directions gone: no one to answer
    case .writing:
      flush(connection, now: now)
    case .lingering:
      drain(connection)
    }
  }

  private func read(_ connection: LocalHTTPConnection, now: Int64) {
    // A bounded number of reads per wake-up, so one fast client does not starve the others.
    for _ in 0..<16 {
      guard case .reading = connection.phase, !connection.peerClosed, !connection.closed else {
        return
      }
      let count = scratch.withUnsafeMutableBytes {
        recv(connection.fd, $0.baseAddress, $0.count, 0)
      }
      if count > 0 {
        connection.lastProgress = now
        if connection.requestStarted == nil { connection.requestStarted = now }
        connection.input.append(contentsOf: scratch[0..<count])
        process(connection, now: now)
        if count < scratch.count { return }
      } else if count == 0 {
        connection.peerClosed = true
        process(connection, now: now)
        return
      } else {
        switch errno {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return
        default:
          close(connection)  // ECONNRESET and friends: the client is gone
          return
        }
      }
    }
  }

  /// Parses what is buffered: hands a whole request to the handlers, answers a bad one, or waits for more.
  private func process(_ connection: LocalHTTPConnection, now: Int64) {
    guard case .reading = connection.phase, !connection.closed else { return }
    let outcome = connection.parser.parse(connection.input, from: &connection.inputStart)
    compact(connection)
    switch outcome {
    case .needMore:
      if connection.inputStart == connection.input.count && connection.parser.isIdle {
        connection.requestStarted = nil
      }
      if connection.peerClosed || (stopping && connection.isIdle) {
        // Nothing more will come: a clean end between requests, or a client that left mid-request.
        close(connection)
      }
    case .expectContinue:
      connection.output.append(contentsOf: LocalHTTPResponse.continueBytes)
      flush(connection, now: now)
    case .request(let request, let keepAlive):
      connection.requestStarted = nil
      connection.phase = .awaitingHandler
      let job = LocalHTTPJob(
        connection: connection.id, request: request, keepAlive: keepAlive && !connection.peerClosed)
      if case .terminated = jobs.yield(job) {
        respondAndClose(
          connection,
          .error(503, code: "shutting_down", message: "the agent is shutting down; retry shortly"),
          now: now)
      }
    case .failure(let failure):
      connection.requestStarted = nil
      respondAndClose(
        connection, .error(failure.status, code: failure.code, message: failure.message), now: now)
    }
  }

  private func respondAndClose(
    _ connection: LocalHTTPConnection, _ response: LocalHTTPResponse, now: Int64
  ) {
    connection.output = response.encoded(keepAlive: false)
    connection.outputStart = 0
    connection.phase = .writing(closeAfter: true)
    connection.lastProgress = now
    flush(connection, now: now)
  }

  /// Writes what it can; when the answer is out, closes (lingering) or goes back to reading.
  private func flush(_ connection: LocalHTTPConnection, now: Int64) {
    guard !connection.closed else { return }
    while connection.outputStart < connection.output.count {
      let sent = connection.output.withUnsafeBytes {
        send(
          connection.fd, $0.baseAddress! + connection.outputStart,
          $0.count - connection.outputStart, Int32(MSG_NOSIGNAL))
      }
      if sent > 0 {
        connection.outputStart += sent
        connection.lastProgress = now
        continue
      }
      switch errno {
      case EINTR: continue
      case EAGAIN, EWOULDBLOCK: return  // the socket buffer is full: poll for POLLOUT
      default:
        close(connection)  // EPIPE, ECONNRESET: the client is gone
        return
      }
    }
    connection.output = []
    connection.outputStart = 0
    guard case .writing(let closeAfter) = connection.phase else { return }
    if closeAfter || stopping || connection.peerClosed {
      linger(connection, now: now)
      return
    }
    connection.phase = .reading
    connection.lastProgress = now
    connection.requestStarted = connection.inputStart < connection.input.count ? now : nil
    process(connection, now: now)  // a pipelined request may be buffered already
  }

  private func linger(_ connection: LocalHTTPConnection, now: Int64) {
    if connection.peerClosed {
      close(connection)
      return
    }
    shutdown(connection.fd, Int32(SHUT_WR))
    connection.input = []
    connection.inputStart = 0
    connection.phase = .lingering(until: now &+ min(Self.lingerMillis, max(idleMillis, 1)))
    drain(connection)
  }

  private func drain(_ connection: LocalHTTPConnection) {
    while !connection.closed {
      let count = scratch.withUnsafeMutableBytes {
        recv(connection.fd, $0.baseAddress, $0.count, 0)
      }
      if count > 0 {
        connection.lingerBytes += count
        if connection.lingerBytes > Self.lingerMaxBytes {
          close(connection)
          return
        }
        continue
      }
      if count < 0 && errno == EINTR { continue }
      if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
      close(connection)  // end of stream or an error
      return
    }
  }

  private func compact(_ connection: LocalHTTPConnection) {
    if connection.inputStart == connection.input.count {
      // Between requests an idle connection keeps no buffer.
      connection.input = []
      connection.inputStart = 0
    } else if connection.inputStart >= 32 << 10 {
      connection.input.removeFirst(connection.inputStart)
      connection.inputStart = 0
    }
  }

  private func close(_ connection: LocalHTTPConnection) {
    guard connections.removeValue(forKey: connection.id) != nil else { return }
    connection.closed = true
    Glibc.close(connection.fd)
    loop.openConnections.store(connections.count, ordering: .relaxed)
  }

  // MARK: Time

  private static func now() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000 + Int64(ts.tv_nsec) / 1_000_000
  }

  private static func millis(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return max(0, seconds &* 1_000 &+ attoseconds / 1_000_000_000_000_000)
  }
}
