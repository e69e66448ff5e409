/// LLVM's prefetch intrinsic, which the standard library does not expose: a hint that
/// starts loading a cache line without waiting for it (no fault, no effect on any value).
///
/// Bound by name rather than through a C module: FraudEngine stays pure Swift, and the
/// intrinsic compiles to one `prefetcht0`/`prfm` instruction.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cacheType: Int32)

/// Cache-line prefetches for random reads of large tables (the engine's: see
/// ``Engine/prefetchAhead(of:count:keys:)``; the live processor's online AUC).
public enum CachePrefetch {
    /// Starts loading the line holding `address` into all cache levels, to be read.
    @inline(__always)
    public static func read(_ address: UnsafeRawPointer) { llvmPrefetch(address, 0, 3, 1) }

    /// Starts loading the line holding `address` into all cache levels, to be written.
    @inline(__always)
    public static func write(_ address: UnsafeRawPointer) { llvmPrefetch(address, 1, 3, 1) }
}
