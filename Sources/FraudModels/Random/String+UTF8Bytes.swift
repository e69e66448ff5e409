extension StringProtocol {
    /// Calls `body` with the string's UTF-8 bytes: in place for a native (contiguous) string,
    /// small ones included, so the hot paths that hash and write ids do not copy the string
    /// (a copy is a retain and a release per call, measured in perf); through a contiguous
    /// copy otherwise (e.g. a bridged string).
    @inlinable @inline(__always)
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try ContiguousArray(utf8).withUnsafeBufferPointer(body)
    }
}
