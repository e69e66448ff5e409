import Dispatch
import FraudModels
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a checkpoint file into memory and checksums it in the same pass.
///
/// A restart reads hundreds of megabytes before the first decision: reading into new memory
/// (a page fault per page) and then checksumming it in a second pass over memory dominated
/// that. Here the file is read in two halves on two threads, each in chunks of a few
/// megabytes that are checksummed while still in the cache; the two CRCs are combined
/// (``FraudModels/CRC32C/combine(_:_:lengthB:)``). (Advising huge pages for the buffer was
/// measured slower: the kernel compacts memory on the fault path to find them.)
enum CheckpointFileReader {
    /// The file's bytes and the CRC-32C of all of them but the envelope's trailer (the value
    /// the trailer must hold for an intact file).
    struct File {
        var bytes: [UInt8]
        var checksumOfAllButTrailer: UInt32?
    }

    /// Bytes read (and checksummed) at a time.
    static let chunkSize = 4 << 20
    /// Files smaller than this are read on the calling thread alone.
    static let parallelThreshold = 16 << 20

    /// Reads `path`; files of at least `parallelThreshold` bytes in two halves at once, in
    /// chunks of `chunkSize` (parameters for tests).
    static func read(
        _ path: String, chunkSize: Int = chunkSize, parallelThreshold: Int = parallelThreshold
    ) throws(CheckpointError) -> File {
        precondition(chunkSize > 0)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CheckpointError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CheckpointError.io(path: path, operation: "stat", errno: errno) }
        let size = Int(info.st_size)
        let checked = max(0, size - StateEnvelope.trailerSize)
        let parts = size >= parallelThreshold ? 2 : 1
        // Part boundaries on chunk multiples; the last part ends at the file's end.
        let step = (checked / parts + chunkSize - 1) / chunkSize * chunkSize
        let results = PartResults(count: parts)
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let base = SendableBuffer(pointer: UnsafeMutableRawPointer(buffer.baseAddress!))
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let start = min(part * step, checked)
                let end = part == parts - 1 ? size : min((part + 1) * step, checked)
                results.set(
                    part, readPart(fd, into: base.pointer, from: start, to: end, checkedEnd: checked, chunkSize: chunkSize))
            }
            initialized = results.failure == nil ? size : 0
        }
        if let failure = results.failure {
            throw CheckpointError.io(path: path, operation: "read", errno: failure)
        }
        var crc = results.crcs[0].crc
        for part in results.crcs.dropFirst() { crc = CRC32C.combine(crc, part.crc, lengthB: part.length) }
        return File(bytes: bytes, checksumOfAllButTrailer: size >= StateEnvelope.trailerSize ? crc : nil)
    }

    /// Reads bytes `start..<end` with `pread` into `base + start`, checksumming those below
    /// `checkedEnd`; the CRC and the count checksummed, or the errno of a failed read.
    private static func readPart(
        _ fd: Int32, into base: UnsafeMutableRawPointer, from start: Int, to end: Int, checkedEnd: Int, chunkSize: Int
    ) -> Result<(crc: UInt32, length: Int), PartFailure> {
        var crc = CRC32C()
        var position = start
        while position < end {
            let want = min(chunkSize, end - position)
            var done = 0
            while done < want {
                let n = pread(fd, base + position + done, want - done, off_t(position + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return .failure(PartFailure(errno: n < 0 ? errno : EIO)) }  // shorter than it was
                done += n
            }
            let checkedCount = max(0, min(want, checkedEnd - position))
            if checkedCount > 0 { crc.update(UnsafeRawBufferPointer(start: base + position, count: checkedCount)) }
            position += want
        }
        return .success((crc.value, max(0, min(end, checkedEnd) - start)))
    }

    private struct PartFailure: Error {
        var errno: Int32
    }

    /// The buffer being filled, shared by the reading threads (each writes its own range).
    private struct SendableBuffer: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    /// The parts' results, written once each from their threads.
    private final class PartResults: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Result<(crc: UInt32, length: Int), PartFailure>?]

        init(count: Int) { values = Array(repeating: nil, count: count) }

        func set(_ part: Int, _ value: Result<(crc: UInt32, length: Int), PartFailure>) {
            lock.withLock { values[part] = value }
        }

        var failure: Int32? {
            lock.withLock {
                for value in values {
                    if case .failure(let f) = value { return f.errno }
                }
                return nil
            }
        }

        var crcs: [(crc: UInt32, length: Int)] {
            lock.withLock { values.map { try! $0!.get() } }
        }
    }
}
