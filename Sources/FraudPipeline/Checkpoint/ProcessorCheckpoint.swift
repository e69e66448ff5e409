import FraudEngine
import FraudModels
import RdKafka

/// One durable checkpoint of a live processor: the whole engine state plus the input
/// offsets it covers (for each input partition, the next offset to process), so that a
/// processor restored from it continues exactly where the state was taken.
///
/// File layout: a ``FraudModels/StateEnvelope`` of kind ``kind`` (`CKPT`), format version
/// ``formatVersion``, CRC-32C over the whole file, around this payload (little-endian):
/// sequence (`UInt64`), created-at wall-clock milliseconds (`Int64`), consumer group
/// (string), engine state version (`UInt64`, events applied), engine event time (flag +
/// `Int64`), model version prefix (string), run id (string; format version 2 and later), the offsets sorted by topic then partition
/// (count, then topic string, partition `Int32`, next offset `Int64` each), and the engine's
/// own sealed checkpoint (``FraudEngine/Engine/checkpoint()``, length-prefixed bytes).
/// A damaged or truncated file fails the checksum or the length checks: it is never
/// mistaken for a valid one.
public struct ProcessorCheckpoint: Sendable, Equatable {
    /// Envelope kind: ASCII `CKPT`.
    public static let kind: UInt32 = 0x434B_5054
    /// Current payload layout version.
    public static let formatVersion: UInt32 = 2

    /// Increases by one per checkpoint a processor writes (the file name carries it).
    public var sequence: UInt64
    /// Wall-clock time of writing, Unix milliseconds (metadata only; never reaches a score).
    public var createdAt: Int64
    /// Consumer group of the processor that wrote it.
    public var groupID: String
    /// Events the engine had applied (transactions scored and labels learned).
    public var stateVersion: UInt64
    /// The engine's event-time clock, nil before the first event.
    public var eventTime: Int64?
    /// ``ModelVersion/prefix`` of the engine configuration.
    public var modelVersion: String
    /// ``ProcessorRun/id`` of the run that wrote it (the `run` of its decision records);
    /// empty in format-1 files, written before runs were recorded.
    public var run: String
    /// For each input partition, the next offset to process.
    public var offsets: [KafkaTopicPartition: Int64]
    /// The engine's sealed checkpoint.
    public var engineState: [UInt8]

    /// Creates a checkpoint.
    public init(
        sequence: UInt64, createdAt: Int64, groupID: String, stateVersion: UInt64, eventTime: Int64?,
        modelVersion: String, run: String = "", offsets: [KafkaTopicPartition: Int64], engineState: [UInt8]
    ) {
        self.sequence = sequence
        self.createdAt = createdAt
        self.groupID = groupID
        self.stateVersion = stateVersion
        self.eventTime = eventTime
        self.modelVersion = modelVersion
        self.run = run
        self.offsets = offsets
        self.engineState = engineState
    }

    /// The offsets in a stable order (topic, then partition).
    public var sortedOffsets: [(partition: KafkaTopicPartition, offset: Int64)] {
        offsets.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            .map { ($0.key, $0.value) }
    }

    /// The sealed file bytes.
    public func encoded() -> [UInt8] {
        var w = StateWriter(reservingCapacity: engineState.count + 256 + offsets.count * 48)
        w.writeUInt64(sequence)
        w.writeInt64(createdAt)
        w.writeString(groupID)
        w.writeUInt64(stateVersion)
        w.writeBool(eventTime != nil)
        w.writeInt64(eventTime ?? 0)
        w.writeString(modelVersion)
        w.writeString(run)
        let sorted = sortedOffsets
        w.writeUInt32(UInt32(sorted.count))
        for (tp, offset) in sorted {
            w.writeString(tp.topic)
            w.writeInt32(tp.partition)
            w.writeInt64(offset)
        }
        w.writeBytes(engineState)
        return StateEnvelope.seal(payload: w.bytes, kind: Self.kind, formatVersion: Self.formatVersion)
    }

    /// Decodes and checks file bytes.
    /// - Throws: ``FraudModels/StateError`` naming what is wrong (not a checkpoint, truncated,
    ///   checksum mismatch, unsupported version, inconsistent content).
    public init(decoding bytes: [UInt8]) throws(StateError) {
        let (version, payload) = try StateEnvelope.open(bytes, kind: Self.kind, supportedVersions: [1, Self.formatVersion])
        var r = StateReader(payload)
        sequence = try r.readUInt64()
        createdAt = try r.readInt64()
        groupID = try r.readString()
        stateVersion = try r.readUInt64()
        let hasTime = try r.readBool()
        let time = try r.readInt64()
        eventTime = hasTime ? time : nil
        modelVersion = try r.readString()
        run = version >= 2 ? try r.readString() : ""
        let count = try r.readUInt32()
        guard Int(count) <= r.remaining / 14 else { throw StateError.corrupt("offset count \(count) exceeds the file") }
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for _ in 0..<count {
            let topic = try r.readString()
            let partition = try r.readInt32()
            let offset = try r.readInt64()
            guard partition >= 0, offset >= 0 else {
                throw StateError.corrupt("invalid offset \(offset) for \(topic)[\(partition)]")
            }
            offsets[KafkaTopicPartition(topic: topic, partition: partition)] = offset
        }
        self.offsets = offsets
        engineState = Array(try r.readBytes())
        guard r.isAtEnd else { throw StateError.corrupt("\(r.remaining) unexpected bytes after the engine state") }
    }
}
