#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output file that failed to open, write or close.
public struct FileOutputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What failed and why (the C library's message).
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `out/transactions.ndjson: cannot open: No such file or directory`.
    public var description: String { "\(path): \(reason)" }
}

/// Appends bytes to a file through a large in-memory buffer and `fwrite`.
///
/// Callers encode straight into ``buffer`` and call ``endLine()``; the buffer goes to the
/// file whenever it passes the flush size.
final class BufferedFileWriter {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    /// Bytes not yet written. Append to it directly.
    var buffer: [UInt8] = []
    let flushSize: Int
    private(set) var lines = 0

    init(path: String, flushSize: Int = 1 << 20) throws(FileOutputError) {
        self.path = path
        self.flushSize = flushSize
        guard let file = fopen(path, "wb") else {
            throw FileOutputError(path: path, reason: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        self.file = file
        buffer.reserveCapacity(flushSize + 64 * 1024)
    }

    deinit {
        if let file { fclose(file) }
    }

    /// Ends the current line with `\n`, flushing when the buffer is full.
    func endLine() throws(FileOutputError) {
        buffer.append(0x0A)
        lines += 1
        if buffer.count >= flushSize { try flush() }
    }

    func flush() throws(FileOutputError) {
        guard let file, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw FileOutputError(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(FileOutputError) {
        try flush()
        guard let file else { return }
        self.file = nil
        if fclose(file) != 0 {
            throw FileOutputError(path: path, reason: "close failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Minimal JSON text helpers for the simulator's own truth and summary files (transactions
/// and labels are written by FraudEngine's encoders).
enum JSONText {
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in value.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    static func appendKey(_ key: String, to out: inout [UInt8], first: Bool = false) {
        if !first { out.append(0x2C) }
        appendString(key, to: &out)
        out.append(0x3A)
    }

    static func appendRaw(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }
}
