#if canImport(Glibc)
import Glibc
#endif

/// Hands free heap memory back to the kernel. glibc keeps freed memory for reuse and returns only the top of the
/// main heap (and only past `M_TRIM_THRESHOLD`); after a window closes, the agent's transient buffers (the event
/// batches, the window's samples, the report) are free but may sit below live data, so their pages stay resident.
public enum HeapTrim {
    /// Releases free pages of every malloc arena (glibc's `malloc_trim(0)`, looked up at run time because Swift's
    /// Glibc module does not export `<malloc.h>`); a no-op where it is absent (another libc or allocator).
    public static func releaseFreeMemory() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        // RTLD_DEFAULT (a null handle): search the process's global symbols.
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
