import FraudModels
import Foundation
import Testing

@testable import FraudPipeline

/// Reading a checkpoint file in parallel parts checksums exactly what a single pass would.
@Suite struct CheckpointFileReaderTests {
    private func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [0, 3, 4, 5, 17, 1000, 65_537])
    func bytesAndChecksumMatchASinglePass(size: Int) throws {
        var random = SplitMix64(seed: UInt64(size))
        let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let path = try file(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected = size >= StateEnvelope.trailerSize ? CRC32C.checksum(Array(bytes.dropLast(StateEnvelope.trailerSize))) : nil
        // One part, two parts, chunks smaller than a part, chunks that do not divide it.
        for (chunk, threshold) in [(1 << 20, Int.max), (7, 0), (1000, 0), (64, 100)] {
            let read = try CheckpointFileReader.read(path, chunkSize: chunk, parallelThreshold: threshold)
            #expect(read.bytes == bytes, "chunk \(chunk), threshold \(threshold)")
            #expect(read.checksumOfAllButTrailer == expected, "chunk \(chunk), threshold \(threshold)")
        }
    }

    @Test func aDamagedByteInTheSecondHalfIsACheckumMismatch() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CheckpointStore(directory: directory)
        let checkpoint = ProcessorCheckpoint(
            sequence: 1, createdAt: 1, groupID: "g", stateVersion: 0, eventTime: nil, modelVersion: "m", run: "r",
            offsets: [:], engineState: [UInt8](repeating: 7, count: 5000))
        let path = try store.write(checkpoint)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try CheckpointStore.load(path: path).engineState == checkpoint.engineState)
        bytes[bytes.count - 100] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let read = try CheckpointFileReader.read(path, chunkSize: 256, parallelThreshold: 0)
        #expect(throws: StateError.self) {
            try ProcessorCheckpoint(decoding: read.bytes, checksumOfAllButTrailer: read.checksumOfAllButTrailer)
        }
        #expect(throws: CheckpointError.self) { try CheckpointStore.load(path: path) }
    }
}
