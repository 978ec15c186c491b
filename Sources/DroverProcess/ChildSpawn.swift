#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Glibc)
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later), looked up at run time because Swift's
    /// Glibc module does not export it; nil on an older libc, where children inherit descriptors without O_CLOEXEC.
    private let addCloseFrom:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
            guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
            return unsafeBitCast(
                symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }()
#endif

/// Starts child processes with `posix_spawn` in a clean signal state, for servers and test harnesses alike.
///
/// Every child starts with all signals at their default disposition and none blocked, whatever the parent ignores
/// (swift-service-lifecycle ignores SIGTERM in the server to handle it itself, and an ignored disposition survives
/// `exec`) or its threads block; and in a process group of its own, so a signal sent to `-pid` also reaches whatever
/// the child starts.
public enum ChildSpawn {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable, Equatable {
        /// `/dev/null`.
        case null
        /// A file opened read-only (for standard input).
        case readFile(String)
        /// A file created or truncated, opened write-only (for standard output or error).
        case writeFile(String)
        /// A duplicate of one of the parent's descriptors, such as the write end of a pipe.
        case descriptor(Int32)
    }

    /// Launches `path` with `arguments` (argv, its first element included) and `environment` (`KEY=value`
    /// entries, nothing inherited implicitly) and returns the child's pid, which is also its process-group id.
    ///
    /// With a `directory` the program runs there (started through `/bin/sh -c 'cd … && exec …'`, because
    /// `posix_spawn_file_actions_addchdir_np` is not visible from Swift on every libc).
    public static func spawn(
        _ path: String, arguments: [String], environment: [String], directory: String? = nil,
        stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null
    ) throws(SpawnError) -> Int32 {
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t? = nil
            var attributes: posix_spawnattr_t? = nil
        #else
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(
                    &actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case .readFile(let file): posix_spawn_file_actions_addopen(&actions, fd, file, O_RDONLY, 0)
            case .writeFile(let file):
                posix_spawn_file_actions_addopen(&actions, fd, file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, fd)
            }
        }
        // Nothing but standard input, output and error reaches the child: a socket or pipe of ours that a child kept
        // open would keep a connection alive after we closed it (descriptors created without O_CLOEXEC, or between
        // accept and fcntl, in another thread).
        #if canImport(Glibc)
            if let addCloseFrom { _ = addCloseFrom(&actions, 3) }
        #endif
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var program = path
        var argv = arguments
        if let directory {
            argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, path] + arguments.dropFirst()
            program = "/bin/sh"
        }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, &attributes, cArguments, cEnvironment)
        guard result == 0 else { throw SpawnError(path: program, errorNumber: result) }
        return pid
    }

    /// Decodes a `waitpid` status: the exit code, or (`signalled`) the number of the signal that ended the process.
    public static func termination(status: Int32) -> (signalled: Bool, value: Int32) {
        let signal = status & 0x7F
        return signal == 0 ? (false, (status >> 8) & 0xFF) : (true, signal)
    }
}

/// `posix_spawn` could not start a program.
public struct SpawnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The program that was to be started.
    public let path: String
    /// The `errno` value `posix_spawn` returned.
    public let errorNumber: Int32

    /// `could not start <path>: <strerror>`.
    public var description: String { "could not start \(path): \(String(cString: strerror(errorNumber)))" }
}
