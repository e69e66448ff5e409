import FraudModels
import FraudRules
import FraudEngine
import RdKafka

/// What an input message decoded to.
enum InputEvent: Sendable {
    case transaction(Transaction)
    case label(Label)
    /// Goes to the dead-letter topic: reason code, field (if one is at fault), description.
    case rejected(reason: String, field: String?, text: String)

    /// The engine keys of a transaction; nil for the other events.
    var transactionKeys: TransactionKeys? {
        if case .transaction(let t) = self { TransactionKeys(t) } else { nil }
    }
}

/// The single owner of the ``Engine``: decodes, scores, applies rules and produces outputs,
/// one released chunk at a time. Not `Sendable`: a ``LiveProcessor`` creates it inside its run task
/// and uses it only there. Its state is the engine state; the input offsets live in the
/// consumer group (stored by ``DeliveryLedger``), so a checkpoint is engine state + offsets.
final class ScoringCore {
    let engine: Engine
    let topics: PipelineTopics
    let decisionLog: Bool
    let modelVersion: ModelVersion
    /// ``ProcessorRun/id`` written into every decision record.
    let run: String
    // `@exclusivity(unchecked)` on hot mutable state: single owner, no reentrant access; the
    // dynamic checks were a measured hot-path cost (see Engine).
    /// Labels applied since the last decision: the next decision record's `labels_before`.
    @exclusivity(unchecked) private var labelsBefore: [InputPosition] = []
    /// Decodes input messages (see ``InputDecoder``).
    let inputDecoder: InputDecoder
    /// Encodes and sends the alerts and decision records (see ``OutputStage``), made for the
    /// producer of the first chunk.
    private var output: (stage: OutputStage, producer: ObjectIdentifier)?
    /// The chunk's jobs not yet handed to the output stage.
    @exclusivity(unchecked) private var jobs = OutputBatch(capacity: ScoringCore.jobBatch)
    /// Jobs handed over at a time (sooner when one has an alert): the output stage starts on a
    /// chunk's first transactions while later ones are scored, without a lock round trip per
    /// transaction.
    private static let jobBatch = 64
    /// The keys of the chunk's transactions (nil for its other messages), by position.
    @exclusivity(unchecked) private var keys: [TransactionKeys?] = []
    /// Online ROC AUC of the live scores over matured labels (30 days of event time).
    @exclusivity(unchecked) private(set) var auc = MaturedAUC(maturity: 30 * 86_400_000, capacity: 2_000_000)

    /// - Parameter engine: a restored engine; a fresh one from the configuration when nil.
    init(configuration: PipelineConfiguration, engine: Engine? = nil, run: String) {
        self.engine = engine ?? Engine(configuration: configuration.engine)
        self.run = run
        topics = configuration.topics
        decisionLog = configuration.decisionLog
        modelVersion = ModelVersion(configuration: configuration.engine)
        inputDecoder = InputDecoder(transactionsTopic: topics.transactions, maxMessageBytes: configuration.maxMessageBytes)
    }


    /// Processes released messages in order, sending every output with ids of chunk `seq`.
    /// A message below `silentBelow[its partition]` only reaches the engine (its outputs were
    /// committed before a restart: see ``PipelineConfiguration/exactlyOnce``).
    /// Returns the number of messages sent and the chunk's counters.
    func process(
        _ items: [EventTimeMerger<InputMessage>.Item], seq: UInt64, rules: RuleSet, producer: KafkaProducer,
        processedAt: Int64, silentBelow: [KafkaTopicPartition: Int64] = [:]
    ) async throws -> (produced: Int, statistics: ProcessorStatistics) {
        var stats = ProcessorStatistics()
        stats.batches = 1
        var produced = 0
        func nextID() -> UInt64 {
            defer { produced += 1 }
            return DeliveryLedger.id(seq: seq, index: produced)
        }
        // Every transaction's keys first, so that the loop can start loading the engine
        // state of the transactions ahead while it scores this one (as the replay does: see
        // ``Engine/prefetchIndexes(_:)``); the keys are then not hashed again by the engine.
        keys.removeAll(keepingCapacity: true)
        for item in items { keys.append(item.payload.keys) }
        let stage = outputStage(for: producer)
        jobs.removeAll()
        do {
            try await score(
                items, rules: rules, producer: producer, processedAt: processedAt, silentBelow: silentBelow,
                stage: stage, stats: &stats, nextID: nextID)
        } catch {
            // Nothing of this chunk may still be on its way when the error ends it.
            try? await stage.drain()
            throw error
        }
        if !jobs.isEmpty { stage.submit(&jobs) }
        try await stage.drain()
        if let now = engine.currentTime { auc.advance(to: now) }
        return (produced, stats)
    }

    private func outputStage(for producer: KafkaProducer) -> OutputStage {
        if let output, output.producer == ObjectIdentifier(producer) { return output.stage }
        let stage = OutputStage(producer: producer, topics: topics, modelVersion: modelVersion, run: run)
        output = (stage, ObjectIdentifier(producer))
        return stage
    }

    private func score(
        _ items: [EventTimeMerger<InputMessage>.Item], rules: RuleSet, producer: KafkaProducer, processedAt: Int64,
        silentBelow: [KafkaTopicPartition: Int64], stage: OutputStage, stats: inout ProcessorStatistics,
        nextID: () -> UInt64
    ) async throws {
        let readsReasons = rules.readsReasons
        for (i, item) in items.enumerated() {
            engine.prefetchAhead(of: i, count: keys.count) { keys[$0] }
            if i + 2 < keys.count, let ahead = keys[i + 2] { auc.prefetch(key: ahead.transaction) }
            // The message itself is built only for a dead letter: its topic, partition and
            // offset are the item's.
            if !silentBelow.isEmpty, let limit = silentBelow[item.partition], item.offset < limit {
                switch item.payload.event {
                case .label(let label): engine.learn(label)
                case .transaction(let transaction): _ = try? engine.score(transaction, keys: keys[i]!)
                case .rejected: break
                }
                stats.caughtUpMessages += 1
                continue
            }
            let source = InputPosition(topic: item.partition.topic, partition: item.partition.partition, offset: item.offset)
            if source.topic == topics.transactions { stats.transactionMessages += 1 } else { stats.labelMessages += 1 }
            let transaction: Transaction
            switch item.payload.event {
            case .rejected(let reason, let field, let text):
                try await deadLetter(
                    item.payload.message, reason: reason, field: field, text: text, id: nextID(), producer: producer)
                stats.deadLetters[reason, default: 0] += 1
                continue
            case .label(let label):
                let outcome = engine.learn(label)
                if decisionLog { labelsBefore.append(source) }
                stats.labelOutcomes[outcome.name, default: 0] += 1
                if label.isFraud { auc.reportedFraud(key: Engine.transactionKey(label.transactionID)) }
                continue
            case .transaction(let t):
                transaction = t
            }
            // The reasons go straight into the batch for the output stage (see OutputBatch).
            let reasonsStart = jobs.reasons.count
            var decision: Decision
            do {
                decision = try engine.score(transaction, keys: keys[i]!, appendingReasonsTo: &jobs.reasons)
            } catch {
                jobs.reasons.removeSubrange(reasonsStart...)
                let field = if case .nonPositiveAmount = error { "amount" } else { "timestamp" }
                try await deadLetter(
                    item.payload.message, reason: error.reasonCode, field: field, text: error.description, id: nextID(),
                    producer: producer)
                stats.deadLetters[error.reasonCode, default: 0] += 1
                continue
            }
            stats.transactionsScored += 1
            stats.scores.observe(decision.score)
            auc.scored(key: keys[i]!.transaction, time: transaction.timestamp, score: decision.score)
            if let sent = item.payload.createTime {
                stats.eventToDecisionSeconds.observe(Double(max(0, processedAt - sent)) / 1000)
            }
            let reasons = reasonsStart..<jobs.reasons.count
            let verdict: RuleOutcome
            if readsReasons {
                decision.reasons = Array(jobs.reasons[reasons])
                verdict = rules.evaluate(transaction: transaction, decision: decision)
                decision.reasons = []
            } else {
                verdict = rules.evaluate(transaction: transaction, decision: decision)
            }
            var job = OutputJob(
                decision: decision, reasons: reasons, transaction: transaction, verdict: verdict,
                source: source,
                labelsBefore: [], processedAt: processedAt)
            if let action = verdict.action {
                job.alertID = nextID()
                stats.alerts[action, default: 0] += 1
            }
            if decisionLog {
                job.decisionID = nextID()
                job.labelsBefore = labelsBefore
                labelsBefore.removeAll()
                stats.decisionRecords += 1
            }
            let alert = job.alertID != nil
            guard alert || job.decisionID != nil else {
                jobs.reasons.removeSubrange(reasons)
                continue
            }
            jobs.append(job)
            // An alert goes at once (with the jobs before it): someone is waiting for it.
            if jobs.count >= Self.jobBatch || alert { stage.submit(&jobs) }
        }
    }

    private func deadLetter(
        _ message: KafkaMessage, reason: String, field: String?, text: String, id: UInt64, producer: KafkaProducer
    ) async throws {
        var headers = DeadLetterHeaders.make(
            reason: reason, field: field, message: text, topic: message.topic, partition: message.partition,
            offset: message.offset, original: message.headers)
        var value = message.value.map { Array($0) }
        if let original = value, original.count > DeadLetterHeaders.maxCopiedBytes {
            // Larger than a producer accepts by default (message.max.bytes 1 MB): keep the head.
            value = Array(original.prefix(DeadLetterHeaders.maxCopiedBytes))
            headers.append(KafkaHeader(key: DeadLetterHeaders.truncatedFrom, value: String(original.count)))
        }
        try await producer.send(
            KafkaProducerMessage(
                topic: topics.deadLetter, key: message.key.map { Array($0) }, value: value, headers: headers, id: id))
    }
}
