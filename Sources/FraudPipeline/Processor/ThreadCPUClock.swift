#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// CPU time consumed by the calling thread (`CLOCK_THREAD_CPUTIME_ID`).
///
/// On a shared machine the wall clock also counts time slices lost to other processes;
/// a thread's CPU time does not, so the cost of work per item is steadier in it.
public enum ThreadCPUClock {
    /// The calling thread's CPU time in seconds since it started.
    public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
