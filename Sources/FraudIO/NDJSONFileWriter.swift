#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an NDJSON file through a large in-memory buffer and `fwrite`.
///
/// Encode each line straight into ``buffer`` (no `String`), then call ``endLine()``.
public final class NDJSONFileWriter {
    /// The file being written.
    public let path: String
    // `@exclusivity(unchecked)` on hot mutable state: single owner, no reentrant access; the
    // dynamic checks were a measured hot-path cost (see Engine).
    /// Bytes of the current line and of lines not yet flushed. Append to it directly.
    @exclusivity(unchecked) public var buffer: [UInt8] = []
    /// Lines ended so far.
    @exclusivity(unchecked) public private(set) var lines = 0
    private let flushSize: Int
    private var file: UnsafeMutablePointer<FILE>?

    /// Creates (or truncates) `path`.
    public init(path: String, flushSize: Int = 1 << 20) throws(FileIOError) {
        self.path = path
        self.flushSize = flushSize
        guard let file = fopen(path, "wb") else {
            throw FileIOError(path: path, reason: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        self.file = file
        buffer.reserveCapacity(flushSize + 64 * 1024)
    }

    deinit {
        if let file { fclose(file) }
    }

    /// Ends the current line with `\n`; writes the buffer out when it is full.
    public func endLine() throws(FileIOError) {
        buffer.append(0x0A)
        lines += 1
        if buffer.count >= flushSize { try flush() }
    }

    /// Writes out the buffer.
    public func flush() throws(FileIOError) {
        guard let file, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw FileIOError(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func close() throws(FileIOError) {
        try flush()
        guard let file else { return }
        self.file = nil
        if fclose(file) != 0 {
            throw FileIOError(path: path, reason: "close failed: \(String(cString: strerror(errno)))")
        }
    }
}
