import FraudModels
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory of ``ProcessorCheckpoint`` files: written atomically, the newest ``keep``
/// kept (with the older files an incremental one among them builds on), the newest valid
/// one found on start.
///
/// - **Atomic and durable**: a checkpoint is written to a temporary file in the same
///   directory, flushed to disk (`fsync`), renamed over its final name, and the directory
///   is flushed, so that after a crash at any moment the directory holds either the
///   complete new file or none of it, never a partial file under a checkpoint name.
/// - **Names**: `checkpoint-<sequence, 20 digits>.ckpt`, so that name order is sequence
///   order. Temporary files start with a dot and are ignored (and removed by ``prune()``).
/// - **Damage**: every file carries a CRC-32C; ``newestValid(onSkip:)`` skips a corrupt or
///   truncated file (reporting it) and falls back to the next older one.
///
/// Not synchronised: one processor owns a directory.
public struct CheckpointStore: Sendable {
    /// One file in the directory, with what reading it gave.
    public struct Entry: Sendable {
        /// Full path.
        public var path: String
        /// The sequence from the file name.
        public var sequence: UInt64
        /// File size in bytes.
        public var size: Int
        /// The checkpoint, or why it cannot be used.
        public var checkpoint: Result<ProcessorCheckpoint, CheckpointError>
    }

    /// The directory.
    public let directory: String
    /// How many checkpoints ``write(_:)`` keeps (the newest).
    public let keep: Int

    /// A store over `directory` (created on the first write when missing).
    public init(directory: String, keep: Int = 5) {
        precondition(keep >= 1, "keep at least one checkpoint")
        self.directory = directory
        self.keep = keep
    }

    static let prefix = "checkpoint-"
    static let suffix = ".ckpt"

    /// The file name of checkpoint `sequence`.
    public static func fileName(sequence: UInt64) -> String {
        let digits = String(sequence)
        return prefix + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The sequence in a checkpoint file name, nil for other names.
    static func sequence(inFileName name: String) -> UInt64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        return UInt64(name.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// Writes `checkpoint` atomically and durably, then removes all but the newest ``keep``.
    /// Returns the file's path.
    @discardableResult
    public func write(_ checkpoint: ProcessorCheckpoint) throws(CheckpointError) -> String {
        try makeDirectory()
        let pieces = checkpoint.encodedPieces()
        let name = Self.fileName(sequence: checkpoint.sequence)
        let path = directory + "/" + name
        let temporary = directory + "/." + name + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CheckpointError.io(path: temporary, operation: "create", errno: errno) }
        var failure: Int32?
        for piece in pieces where failure == nil {
            var written = 0
            failure = piece.withUnsafeBytes { buffer -> Int32? in
                while written < buffer.count {
                    let n = posixWrite(fd, buffer.baseAddress! + written, buffer.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    written += n
                }
                return nil
            }
        }
        if let failure {
            close(fd)
            unlink(temporary)
            throw CheckpointError.io(path: temporary, operation: "write", errno: failure)
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw CheckpointError.io(path: temporary, operation: "fsync", errno: code)
        }
        close(fd)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw CheckpointError.io(path: path, operation: "rename", errno: code)
        }
        // The rename itself must survive a crash: flush the directory entry.
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            let synced = fsync(dirFD)
            let code = errno
            close(dirFD)
            if synced != 0 { throw CheckpointError.io(path: directory, operation: "fsync", errno: code) }
        }
        try prune()
        return path
    }

    /// Removes all but the newest ``keep`` checkpoint files, and the older ones they build on
    /// (an incremental checkpoint needs every file back to its full one), and any leftover
    /// temporary file.
    public func prune() throws(CheckpointError) {
        let names = try fileNames()
        for name in names where name.hasPrefix(".") && name.contains(Self.suffix + ".tmp-") {
            unlink(directory + "/" + name)
        }
        let sequences = names.compactMap(Self.sequence(inFileName:)).sorted(by: >)
        let present = Set(sequences)
        var needed = Set(sequences.prefix(keep))
        for newest in sequences.prefix(keep) {
            var current = newest
            // A file whose head does not say is kept, with nothing more.
            while case .some(.some(let base)) = baseSequence(ofFile: path(sequence: current)), present.contains(base),
                needed.insert(base).inserted
            {
                current = base
            }
        }
        for sequence in sequences where !needed.contains(sequence) {
            let path = directory + "/" + Self.fileName(sequence: sequence)
            if unlink(path) != 0, errno != ENOENT {
                throw CheckpointError.io(path: path, operation: "remove", errno: errno)
            }
        }
    }

    /// The path of checkpoint `sequence` in this directory.
    public func path(sequence: UInt64) -> String { directory + "/" + Self.fileName(sequence: sequence) }

    /// What the head of a checkpoint file says it builds on (see
    /// ``ProcessorCheckpoint/baseSequence(inHead:)``).
    private func baseSequence(ofFile path: String) -> UInt64?? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: ProcessorCheckpoint.headPrefixSize)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard n == head.count else { return nil }
        return ProcessorCheckpoint.baseSequence(inHead: head)
    }

    /// Every checkpoint file, newest first, each read and checked.
    public func entries() throws(CheckpointError) -> [Entry] {
        let sequences = try fileNames().compactMap(Self.sequence(inFileName:)).sorted(by: >)
        return sequences.map { sequence in
            let path = directory + "/" + Self.fileName(sequence: sequence)
            let result = Result { () throws(CheckpointError) in try Self.load(path: path) }
            return Entry(path: path, sequence: sequence, size: Self.fileSize(path), checkpoint: result)
        }
    }

    /// The newest checkpoint that reads back intact, and for an incremental one whose chain
    /// of files back to a full checkpoint does too; each newer unusable one is passed to
    /// `onSkip` and skipped. Nil when there is none (or no directory). Reads files from the
    /// newest down, only as far as needed.
    public func newestValid(
        onSkip: (Entry, CheckpointError) -> Void = { _, _ in }
    ) throws(CheckpointError) -> ProcessorCheckpoint? {
        try newestValidChain(onSkip: onSkip)?.last
    }

    /// ``newestValid(onSkip:)`` with its chain (see ``chain(endingWith:)``), for
    /// ``restoreEngine(chain:)`` without reading the files again.
    public func newestValidChain(
        onSkip: (Entry, CheckpointError) -> Void = { _, _ in }
    ) throws(CheckpointError) -> [ProcessorCheckpoint]? {
        for sequence in try fileNames().compactMap(Self.sequence(inFileName:)).sorted(by: >) {
            let path = path(sequence: sequence)
            do {
                return try chain(endingWith: try Self.load(path: path))
            } catch {
                onSkip(Entry(path: path, sequence: sequence, size: Self.fileSize(path), checkpoint: .failure(error)), error)
            }
        }
        return nil
    }

    /// The size of the file at `path` in bytes (0 when it cannot be read).
    public static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// Reads and checks one checkpoint file.
    public static func load(path: String) throws(CheckpointError) -> ProcessorCheckpoint {
        let file = try CheckpointFileReader.read(path)
        do {
            return try ProcessorCheckpoint(decoding: file.bytes, checksumOfAllButTrailer: file.checksumOfAllButTrailer)
        } catch {
            throw CheckpointError.invalid(path: path, error)
        }
    }

    private func fileNames() throws(CheckpointError) -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw CheckpointError.io(path: directory, operation: "list", errno: EIO)
        }
    }

    private func makeDirectory() throws(CheckpointError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.io(path: directory, operation: "create directory", errno: EIO)
        }
    }
}

/// `write(2)` (the store has a `write` method of its own).
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
