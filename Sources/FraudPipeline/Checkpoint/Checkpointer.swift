import RdKafka

/// When the processing loop takes its next checkpoint, and what the checkpoint covers: for
/// each input partition the offset after the last message processed (processing follows
/// offset order within a partition, so everything before it was processed).
struct Checkpointer {
    let store: CheckpointStore
    let interval: Duration
    let everyEvents: Int
    /// Sequence of the last checkpoint written or restored.
    private(set) var sequence: UInt64
    /// Next offset per partition processed so far (restored ones included).
    private(set) var offsets: [KafkaTopicPartition: Int64]
    private(set) var eventsSinceLast = 0
    private(set) var last = ContinuousClock.now
    private(set) var dirty = false

    init(
        store: CheckpointStore, configuration: PipelineConfiguration, sequence: UInt64,
        offsets: [KafkaTopicPartition: Int64], stateVersion: UInt64
    ) {
        self.store = store
        self.interval = configuration.checkpointInterval
        self.everyEvents = configuration.checkpointEveryEvents
        self.sequence = sequence
        self.offsets = offsets
    }

    /// A chunk was processed: its next offsets and how many engine events it applied.
    mutating func processed(_ chunkOffsets: [KafkaTopicPartition: Int64], events: Int) {
        for (tp, next) in chunkOffsets { offsets[tp] = max(offsets[tp] ?? 0, next) }
        eventsSinceLast += events
        dirty = true
    }

    /// Whether a checkpoint is due: something new was processed and the interval passed or
    /// enough events were applied.
    func isDue(now: ContinuousClock.Instant) -> Bool {
        dirty && (now - last >= interval || eventsSinceLast >= everyEvents)
    }

    /// Whether anything was processed since the last checkpoint.
    var hasChanges: Bool { dirty }

    /// The next checkpoint's sequence.
    var nextSequence: UInt64 { sequence + 1 }

    /// The last checkpoint was not written: what it would have covered still needs one.
    mutating func failed() {
        dirty = true
        eventsSinceLast = everyEvents
    }

    /// A checkpoint was handed to the writer.
    mutating func written(sequence: UInt64, at instant: ContinuousClock.Instant) {
        self.sequence = sequence
        eventsSinceLast = 0
        last = instant
        dirty = false
    }
}
