import FraudOperations
import FraudRules
import RdKafka

/// Counters of a ``LiveProcessor`` since it started (a snapshot; cheap to read).
public struct ProcessorStatistics: Sendable, Hashable {
    /// Transaction messages read (valid or not).
    public var transactionMessages = 0
    /// Transactions scored (one decision each).
    public var transactionsScored = 0
    /// Label messages read (valid or not).
    public var labelMessages = 0
    /// Labels applied to the engine, by ``FraudEngine/LabelOutcome/name``.
    public var labelOutcomes: [String: Int] = [:]
    /// Alerts produced, by action.
    public var alerts: [RuleAction: Int] = [:]
    /// Decision records produced (0 when the decision log is off).
    public var decisionRecords = 0
    /// Dead letters produced, by reason (`fraudstream.error.reason`).
    public var deadLetters: [String: Int] = [:]
    /// Batches processed.
    public var batches = 0
    /// Messages produced whose delivery was acknowledged.
    public var deliveredOutputs = 0
    /// Offset commits that succeeded.
    public var commits = 0
    /// Kafka transactions committed (exactly-once).
    public var transactionsCommitted = 0
    /// Kafka transactions aborted (exactly-once).
    public var transactionsAborted = 0
    /// Messages applied to the engine without output while catching up (exactly-once restart).
    public var caughtUpMessages = 0
    /// Messages held back right now to merge the partitions in event-time order
    /// (see ``PipelineConfiguration/reorderWait``).
    public var heldForOrdering = 0
    /// Messages released before a slower partition caught up, because
    /// ``PipelineConfiguration/reorderCapacity`` messages were held.
    public var forcedReleases = 0
    /// Messages of partitions no longer assigned, dropped unprocessed (their next owner reads them).
    public var droppedOnRevoke = 0
    /// How often the consumer paused fetching because processing did not take its batches
    /// fast enough (see ``RdKafka/KafkaConsumer/backPressurePauseCount``; updated about every
    /// 100 ms). Steady growth means the processor cannot keep up with the input.
    public var backPressurePauses = 0
    /// Input messages written but not processed yet, summed over the assigned partitions
    /// (from librdkafka's cached high watermarks; updated about every 100 ms).
    public var consumerLag = 0
    /// Seconds from each scored transaction's Kafka message timestamp (the producer's
    /// CreateTime) to its decision; messages with a log-append or no timestamp are left out.
    public var eventToDecisionSeconds = PrometheusHistogram(
        upperBounds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60])
    /// The fused scores of the decisions.
    public var scores = PrometheusHistogram(upperBounds: (1...20).map { Double($0) / 20 })
    /// Input messages written but not processed yet, per assigned partition (updated about
    /// every 100 ms).
    public var partitionLag: [KafkaTopicPartition: Int] = [:]
    /// ROC AUC of the live scores over matured labels (transactions more than 30 days of
    /// event time old: reported frauds against the rest), nil until both classes matured.
    public var onlineAUC: Double?
    /// Matured transactions counted in ``onlineAUC``: reported as fraud, and not.
    public var maturedPositives: UInt64 = 0
    public var maturedNegatives: UInt64 = 0
    /// Wall-clock seconds the processing loop spent working (decoding, merging, scoring,
    /// encoding, sending) rather than waiting for input: divided by the elapsed time, how
    /// busy the single processing task is.
    public var busySeconds: Double = 0
    /// CPU seconds of the thread the processing loop runs on (its own, `fs-processing`)
    /// since it started, read by the loop at most every 5 ms: unlike ``busySeconds`` it does not
    /// count time slices lost to other processes.
    public var processingCPUSeconds: Double = 0
    /// Checkpoints written since start.
    public var checkpoints = 0
    /// Of ``checkpoints``, the incremental ones (what changed since the previous one).
    public var incrementalCheckpoints = 0
    /// Bytes of the last checkpoint file's engine state (a delta for an incremental one).
    public var lastCheckpointBytes = 0
    /// Checkpoints that could not be written (each logged; the next one tries again).
    public var checkpointFailures = 0
    /// Sequence of the newest checkpoint written or restored.
    public var checkpointSequence: UInt64?
    /// Seconds the last checkpoint held processing up (waiting for acknowledgements and
    /// serialising the engine; the file is written in the background).
    public var lastCheckpointSeconds: Double?
    /// Wall-clock time (Unix ms) the last checkpoint was written.
    public var lastCheckpointAt: Int64?
    /// Sequence of the checkpoint restored at start, nil when none was.
    public var restoredFrom: UInt64?
    /// The engine's event-time clock (largest event time processed), nil before the first event.
    public var eventTime: Int64?

    /// Creates empty statistics.
    public init() {}

    /// All alerts.
    public var alertCount: Int { alerts.values.reduce(0, +) }
    /// All dead letters.
    public var deadLetterCount: Int { deadLetters.values.reduce(0, +) }
    /// All label messages applied.
    public var labelsApplied: Int { labelOutcomes.values.reduce(0, +) }

    mutating func add(_ other: ProcessorStatistics) {
        transactionMessages += other.transactionMessages
        transactionsScored += other.transactionsScored
        labelMessages += other.labelMessages
        for (k, v) in other.labelOutcomes { labelOutcomes[k, default: 0] += v }
        for (k, v) in other.alerts { alerts[k, default: 0] += v }
        decisionRecords += other.decisionRecords
        for (k, v) in other.deadLetters { deadLetters[k, default: 0] += v }
        batches += other.batches
        caughtUpMessages += other.caughtUpMessages
        eventToDecisionSeconds.merge(other.eventToDecisionSeconds)
        scores.merge(other.scores)
    }
}
