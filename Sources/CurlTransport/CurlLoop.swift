import CCurl
import DroverAPI
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a caller hands to the loop thread: the request, its cancel flag and where to deliver the result.
struct CurlSubmission: Sendable {
    let request: TransportRequest
    let token: CurlCancelToken
    let continuation: CheckedContinuation<Result<TransportResponse, TransportError>, Never>

    func fail(_ kind: TransportError.Kind, _ message: String = "") {
        continuation.resume(
            returning: .failure(TransportError(kind: kind, url: request.url, method: request.method, message: message)))
    }
}

/// Set when the calling task is cancelled; read by the loop thread and the transfer's progress callback.
final class CurlCancelToken: Sendable {
    private let flag = Atomic<Bool>(false)

    func cancel() { flag.store(true, ordering: .releasing) }
    var isCancelled: Bool { flag.load(ordering: .acquiring) }
}

/// The part of the loop that callers share with its thread: a locked inbox and the multi handle's wake-up call.
///
/// Everything else about the multi handle and its transfers lives in ``CurlLoopThread`` and is touched only by
/// that one thread.
final class CurlLoop: Sendable {
    struct Inbox {
        var submissions: [CurlSubmission] = []
        var stopping = false
    }

    let inbox = Mutex(Inbox())
    let configuration: CurlTransport.Configuration
    /// `CURLM *`. Other threads only call `curl_multi_wakeup`, which libcurl documents as thread-safe; the loop
    /// thread does everything else; `deinit` (after the thread has exited and dropped its reference) cleans up.
    nonisolated(unsafe) let multi: UnsafeMutableRawPointer

    private init(multi: UnsafeMutableRawPointer, configuration: CurlTransport.Configuration) {
        self.multi = multi
        self.configuration = configuration
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Creates the multi handle and starts the thread that drives it.
    static func start(configuration: CurlTransport.Configuration) throws(TransportError) -> CurlLoop {
        guard let multi = curl_multi_init() else {
            throw TransportError(kind: .other, url: "", message: "curl_multi_init failed (out of memory?)")
        }
        // One number for both: libcurl 7.88 only holds the per-host limit when the connection cache is at least
        // that large (measured: cache 8, host limit 16, 50 parallel requests -> 50 connections).
        let poolSize = max(1, configuration.poolSize)
        _ = drover_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, poolSize)
        _ = drover_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, poolSize)
        let loop = CurlLoop(multi: multi, configuration: configuration)

        // The thread owns one reference until it exits.
        let context = Unmanaged.passRetained(loop).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let loop = Unmanaged<CurlLoop>.fromOpaque(context).takeRetainedValue()
                CurlLoopThread(loop: loop).run()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<CurlLoop>.fromOpaque(context).release()
            throw TransportError(kind: .other, url: "", message: "could not start the libcurl thread (errno \(rc))")
        }
        pthread_detach(thread)
        return loop
    }

    /// Queues a transfer for the loop thread, or fails it at once if the transport is shutting down.
    func submit(_ submission: CurlSubmission) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.submissions.append(submission)
            return true
        }
        if accepted {
            wake()
        } else {
            submission.fail(.shutDown)
        }
    }

    /// Interrupts the loop thread's wait so it looks at its inbox and cancel flags.
    func wake() {
        _ = curl_multi_wakeup(multi)
    }

    /// Asks the loop thread to fail what is pending and exit.
    func stop() {
        inbox.withLock { $0.stopping = true }
        wake()
    }
}

/// The loop thread's own state: the transfers in flight and idle easy handles. Never leaves that thread.
final class CurlLoopThread {
    private let loop: CurlLoop
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [CurlEasyHandle] = []

    init(loop: CurlLoop) {
        self.loop = loop
    }

    func run() {
        let multi = loop.multi
        while true {
            let (submissions, stopping) = loop.inbox.withLock { inbox in
                let taken = inbox.submissions
                inbox.submissions = []
                return (taken, inbox.stopping)
            }
            if stopping {
                for submission in submissions { submission.fail(.shutDown) }
                for easy in Array(active.keys) { finish(easy, failing: .shutDown) }
                break
            }
            for submission in submissions { start(submission) }
            for (easy, transfer) in active where transfer.submission.token.isCancelled {
                finish(easy, failing: .cancelled)
            }

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                finish(easy, code: drover_curl_msg_result(message))
            }
            // curl_multi_poll also returns when an internal timer is due or another thread calls curl_multi_wakeup.
            _ = curl_multi_poll(multi, nil, 0, active.isEmpty ? 60_000 : 1_000, nil)
        }
        idleHandles.removeAll()
    }

    private func start(_ submission: CurlSubmission) {
        if submission.token.isCancelled {
            submission.fail(.cancelled)
            return
        }
        guard let handle = idleHandles.popLast() ?? CurlEasyHandle() else {
            submission.fail(.other, "curl_easy_init failed (out of memory?)")
            return
        }
        let transfer = CurlTransfer(submission: submission, handle: handle, configuration: loop.configuration)
        if let error = transfer.configure() {
            submission.continuation.resume(returning: .failure(error))
            recycle(handle)
            return
        }
        let rc = curl_multi_add_handle(loop.multi, handle.easy)
        guard rc == CURLM_OK else {
            submission.fail(.other, "curl_multi_add_handle failed: \(String(cString: curl_multi_strerror(rc)))")
            recycle(handle)
            return
        }
        active[handle.easy] = transfer
    }

    private func finish(_ easy: UnsafeMutableRawPointer, code: CURLcode) {
        guard let transfer = active.removeValue(forKey: easy) else { return }
        _ = curl_multi_remove_handle(loop.multi, easy)
        transfer.submission.continuation.resume(returning: transfer.result(code: code))
        recycle(transfer.handle)
    }

    private func finish(_ easy: UnsafeMutableRawPointer, failing kind: TransportError.Kind) {
        guard let transfer = active.removeValue(forKey: easy) else { return }
        _ = curl_multi_remove_handle(loop.multi, easy)
        transfer.submission.fail(kind)
        recycle(transfer.handle)
    }

    private func recycle(_ handle: CurlEasyHandle) {
        if idleHandles.count < max(1, loop.configuration.poolSize) {
            idleHandles.append(handle)
        }
    }
}
