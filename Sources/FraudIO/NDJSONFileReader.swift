#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an NDJSON file line by line with little overhead: big `read(2)` chunks into one
/// buffer, lines found with `memchr`, and each line handed out as raw bytes (no `String`,
/// no copy) for a byte-level decoder such as `TransactionDecoder`.
///
/// Lines end with `\n` (a `\r` before it is dropped); the last line may lack it. Empty lines
/// are skipped but counted, so ``lineNumber`` always matches what an editor shows.
/// A line longer than the chunk size grows the buffer.
public final class NDJSONFileReader {
    /// The file being read.
    public let path: String
    // `@exclusivity(unchecked)` on hot mutable state: single owner, no reentrant access; the
    // dynamic checks were a measured hot-path cost (see Engine).
    /// Number (from 1) of the line most recently handed out; 0 before the first.
    @exclusivity(unchecked) public private(set) var lineNumber = 0
    /// Bytes consumed so far (handed-out lines and their newlines).
    @exclusivity(unchecked) public private(set) var bytesConsumed = 0
    /// Size of the file when opened, in bytes (0 when unknown, e.g. a pipe).
    public let fileSize: Int

    private let descriptor: Int32
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var end = 0
    private var reachedEOF = false

    /// Opens `path` for reading.
    ///
    /// - Parameter chunkSize: bytes per `read(2)`; default 8 MiB.
    public init(path: String, chunkSize: Int = 8 << 20) throws(FileIOError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw FileIOError(path: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw FileIOError(path: path, reason: "is a directory")
        }
        fileSize = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        descriptor = fd
        capacity = max(4096, chunkSize)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Calls `body` with the next non-empty line's bytes (valid only during the call) and
    /// returns its result, or returns nil at the end of the file.
    public func nextLine<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        while true {
            if let newline = findNewline() {
                lineNumber += 1
                var lineEnd = newline
                if lineEnd > start && buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                let lineStart = start
                bytesConsumed += newline + 1 - start
                start = newline + 1
                if lineEnd == lineStart { continue }
                return try body(UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart))
            }
            if reachedEOF {
                guard start < end else { return nil }
                lineNumber += 1
                var lineEnd = end
                if buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                let lineStart = start
                bytesConsumed += end - start
                start = end
                if lineEnd == lineStart { return nil }
                return try body(UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart))
            }
            try fill()
        }
    }

    /// Calls `body` with every non-empty line and its line number.
    public func forEachLine(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        while try nextLine({ try body($0, lineNumber) }) != nil {}
    }

    private func findNewline() -> Int? {
        guard start < end else { return nil }
        guard let found = memchr(buffer + start, 0x0A, end - start) else { return nil }
        return buffer.distance(to: found)
    }

    /// Moves the unread tail to the front (growing the buffer when it is full) and reads more.
    private func fill() throws(FileIOError) {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { memmove(buffer, buffer + start, remaining) }
            start = 0
            end = remaining
        }
        if end == capacity {
            let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
            grown.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        while true {
            let count = read(descriptor, buffer + end, capacity - end)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileIOError(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { reachedEOF = true }
            end += count
            return
        }
    }
}
