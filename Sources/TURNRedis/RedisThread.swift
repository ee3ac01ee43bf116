#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-thread setup for threads that call hiredis.
enum RedisThread {
    /// Blocks `SIGPIPE` on the calling thread.
    ///
    /// hiredis 0.14 writes with `write(2)`, which raises `SIGPIPE` (default action: terminate the
    /// process) when the server has gone away. Blocking it on the Redis threads only, instead of
    /// ignoring it process-wide, turns that into an `EPIPE` error that hiredis reports, and leaves
    /// the rest of the process alone. Cheap (one syscall) and idempotent.
    static func blockSIGPIPE() {
        #if canImport(Glibc)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        #endif
    }
}
