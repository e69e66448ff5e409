import FraudEngine
import FraudModels
import RdKafka

/// One durable checkpoint of a live processor: the engine state plus the input offsets it
/// covers (for each input partition, the next offset to process), so that a processor
/// restored from it continues exactly where the state was taken.
///
/// A checkpoint is *full* (the whole engine state, ``FraudEngine/Engine/checkpoint()``) or
/// *incremental* (``base`` set: an ``FraudEngine/EngineDelta`` of what changed since the
/// checkpoint written just before it, which it names by sequence, run and state version so
/// that a stale file of the same number is never taken for it). ``CheckpointStore`` rebuilds
/// an incremental one's engine from its chain: the full checkpoint it starts from, then
/// every delta in order.
///
/// File layout: a ``FraudModels/StateEnvelope`` of kind ``kind`` (`CKPT`), format version
/// ``formatVersion``, CRC-32C over the whole file, around this payload (little-endian):
/// sequence (`UInt64`); from format 3, incremental flag (`UInt8`) and base sequence
/// (`UInt64`), at a fixed offset so that ``CheckpointStore`` can read them without the
/// rest; created-at wall-clock milliseconds (`Int64`), consumer group (string), engine state
/// version (`UInt64`, events applied), engine event time (flag + `Int64`), model version
/// prefix (string), run id (string; format 2 and later); from format 3, the base's run
/// (string) and state version (`UInt64`); the offsets sorted by topic then partition (count,
/// then topic string, partition `Int32`, next offset `Int64` each), and the engine's sealed
/// state or delta (length-prefixed bytes). A damaged or truncated file fails the checksum or
/// the length checks: it is never mistaken for a valid one.
public struct ProcessorCheckpoint: Sendable, Equatable {
    /// Envelope kind: ASCII `CKPT`.
    public static let kind: UInt32 = 0x434B_5054
    /// Current payload layout version.
    public static let formatVersion: UInt32 = 3

    /// The checkpoint an incremental one applies to.
    public struct Base: Sendable, Equatable {
        /// Its sequence.
        public var sequence: UInt64
        /// The run that wrote it.
        public var run: String
        /// Its engine state version.
        public var stateVersion: UInt64

        /// Creates a reference to a base checkpoint.
        public init(sequence: UInt64, run: String, stateVersion: UInt64) {
            self.sequence = sequence
            self.run = run
            self.stateVersion = stateVersion
        }
    }

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
    /// The engine's sealed checkpoint, or for an incremental checkpoint its sealed delta (a
    /// copy; ``engineStateBytes`` reads it in place).
    public var engineState: [UInt8] {
        get { Array(engineStateBytes) }
        set { engineStateBytes = newValue[...] }
    }
    /// ``engineState`` where it lies: for a checkpoint read from a file, a slice of the
    /// file's bytes (a full checkpoint can be hundreds of megabytes: not copied again).
    public var engineStateBytes: ArraySlice<UInt8>
    /// For an incremental checkpoint, the checkpoint whose engine state ``engineState``
    /// (a delta) applies to; nil for a full one.
    public var base: Base?

    /// Whether this checkpoint holds only what changed since ``base``.
    public var isIncremental: Bool { base != nil }

    /// A reference to this checkpoint, as the base of the next one.
    public var asBase: Base { Base(sequence: sequence, run: run, stateVersion: stateVersion) }

    /// Creates a checkpoint.
    public init(
        sequence: UInt64, createdAt: Int64, groupID: String, stateVersion: UInt64, eventTime: Int64?,
        modelVersion: String, run: String = "", offsets: [KafkaTopicPartition: Int64], engineState: [UInt8],
        base: Base? = nil
    ) {
        self.sequence = sequence
        self.createdAt = createdAt
        self.groupID = groupID
        self.stateVersion = stateVersion
        self.eventTime = eventTime
        self.modelVersion = modelVersion
        self.run = run
        self.offsets = offsets
        self.engineStateBytes = engineState[...]
        self.base = base
    }

    /// The offsets in a stable order (topic, then partition).
    public var sortedOffsets: [(partition: KafkaTopicPartition, offset: Int64)] {
        offsets.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            .map { ($0.key, $0.value) }
    }

    /// The sealed file bytes.
    public func encoded() -> [UInt8] { Array(encodedPieces().joined()) }

    /// The sealed file as pieces to write one after the other: envelope header and metadata,
    /// the engine state (the same array, not copied), the checksum (computed over both).
    public func encodedPieces() -> [ArraySlice<UInt8>] {
        var w = StateEnvelope.payloadWriter(reservingCapacity: 256 + offsets.count * 48)
        w.writeUInt64(sequence)
        w.writeBool(base != nil)
        w.writeUInt64(base?.sequence ?? 0)
        w.writeInt64(createdAt)
        w.writeString(groupID)
        w.writeUInt64(stateVersion)
        w.writeBool(eventTime != nil)
        w.writeInt64(eventTime ?? 0)
        w.writeString(modelVersion)
        w.writeString(run)
        w.writeString(base?.run ?? "")
        w.writeUInt64(base?.stateVersion ?? 0)
        let sorted = sortedOffsets
        w.writeUInt32(UInt32(sorted.count))
        for (tp, offset) in sorted {
            w.writeString(tp.topic)
            w.writeInt32(tp.partition)
            w.writeInt64(offset)
        }
        w.writeUInt64(UInt64(engineStateBytes.count))  // the length prefix of writeBytes(engineState)
        var head = w.bytes
        StateEnvelope.writeHeader(
            into: &head, kind: Self.kind, formatVersion: Self.formatVersion,
            payloadLength: head.count - StateEnvelope.headerSize + engineStateBytes.count)
        // The engine state is itself sealed with a checksum: the file's is combined from it
        // rather than computed over hundreds of megabytes a second time.
        let stateCRC = StateEnvelope.checksumOfSealed(engineStateBytes) ?? CRC32C.checksum(engineStateBytes)
        let crc = CRC32C.combine(CRC32C.checksum(head), stateCRC, lengthB: engineStateBytes.count)
        var trailer = StateWriter(reservingCapacity: 4)
        trailer.writeUInt32(crc)
        return [head[...], engineStateBytes, trailer.bytes[...]]
    }

    /// Decodes and checks file bytes.
    /// - Throws: ``FraudModels/StateError`` naming what is wrong (not a checkpoint, truncated,
    ///   checksum mismatch, unsupported version, inconsistent content).
    ///
    /// - Parameter checksumOfAllButTrailer: the CRC-32C of all the bytes but the last
    ///   ``FraudModels/StateEnvelope/trailerSize``, if computed while reading them (saves a
    ///   pass over a file of hundreds of megabytes).
    public init(decoding bytes: [UInt8], checksumOfAllButTrailer: UInt32? = nil) throws(StateError) {
        let (version, payload) = try StateEnvelope.open(
            bytes[...], kind: Self.kind, supportedVersions: [1, 2, Self.formatVersion],
            checksumOfAllButTrailer: checksumOfAllButTrailer)
        var r = StateReader(payload)
        sequence = try r.readUInt64()
        let incremental = version >= 3 ? try r.readBool() : false
        let baseSequence = version >= 3 ? try r.readUInt64() : 0
        createdAt = try r.readInt64()
        groupID = try r.readString()
        stateVersion = try r.readUInt64()
        let hasTime = try r.readBool()
        let time = try r.readInt64()
        eventTime = hasTime ? time : nil
        modelVersion = try r.readString()
        run = version >= 2 ? try r.readString() : ""
        let baseRun = version >= 3 ? try r.readString() : ""
        let baseVersion = version >= 3 ? try r.readUInt64() : 0
        if incremental {
            guard baseSequence < sequence else {
                throw StateError.corrupt("incremental checkpoint \(sequence) names base \(baseSequence), not an older one")
            }
            base = Base(sequence: baseSequence, run: baseRun, stateVersion: baseVersion)
        } else {
            base = nil
        }
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
        engineStateBytes = try r.readRaw(count: try r.readCount(elementSize: 1))
        guard r.isAtEnd else { throw StateError.corrupt("\(r.remaining) unexpected bytes after the engine state") }
    }
}

extension ProcessorCheckpoint {
    /// Bytes at the start of a file that say whether it is incremental and what it builds on.
    static let headPrefixSize = StateEnvelope.headerSize + 17

    /// From the first ``headPrefixSize`` bytes of a checkpoint file: `.some(nil)` for a full
    /// checkpoint, `.some(base sequence)` for an incremental one, nil when the bytes do not
    /// say (not a checkpoint, damaged). Unchecked: the checksum covers the whole file; this
    /// only steers which files ``CheckpointStore/prune()`` keeps.
    static func baseSequence(inHead head: [UInt8]) -> UInt64?? {
        guard head.count >= headPrefixSize, head.starts(with: StateEnvelope.magic) else { return nil }
        var r = StateReader(head)
        guard (try? r.readRaw(count: StateEnvelope.magic.count)) != nil, (try? r.readUInt32()) == kind,
            let version = try? r.readUInt32(), (try? r.readUInt64()) != nil, let sequence = try? r.readUInt64()
        else { return nil }
        if version < 3 { return .some(nil) }
        guard let incremental = try? r.readBool(), let base = try? r.readUInt64() else { return nil }
        return incremental && base < sequence ? .some(base) : .some(nil)
    }
}
