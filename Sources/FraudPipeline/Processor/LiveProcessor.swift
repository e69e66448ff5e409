import FraudRules
import Foundation
import FraudEngine
import Logging
import RdKafka

/// The live processor: one consumer-group member reading the transactions and labels
/// topics, scoring with one ``Engine``, deciding actions with `RuleSet`, and writing
/// alerts, decision records and dead letters.
///
/// - **Order and confinement**: batches are processed in the order the consumer hands them
///   over, on the task that called ``run()``; the engine is created inside ``run()`` and
///   never leaves it.
/// - **Per transaction**: decode → `Engine.score` → rules → an alert (when the rules give an
///   action) to the alerts topic, keyed by card, and a decision record (unless the decision
///   log is off) to the decisions topic. **Per label**: decode (the message timestamp is the
///   default `reported_at`) → `Engine.learn`.
/// - **Bad input** (decode errors, tombstones, engine rejections, oversized messages) goes
///   to the dead-letter topic with its original key and bytes and `fraudstream.error.*` /
///   `fraudstream.source.*` headers (``DeadLetterHeaders``); the stream goes on.
/// - **At least once**: a batch's input offsets are stored only after every message it
///   produced was acknowledged (``DeliveryLedger``), committed every
///   ``PipelineConfiguration/commitInterval``, on revoke (the rebalance hook, where engine
///   checkpoints will go) and on stop. A failed delivery stops the processor with that error.
///
/// ```swift
/// let processor = LiveProcessor(configuration: configuration, rules: .builtIn)
/// Task { try await processor.run() }
/// ...
/// processor.stop()  // run() finishes in-flight work, commits, leaves the group and returns
/// ```
public final class LiveProcessor: Sendable {
    /// The configuration.
    public let configuration: PipelineConfiguration
    private let rulesBox: LockedValue<RuleSet>
    private let logger: Logger
    private let stopSignal = StopSignal()
    private let shared = LockedValue(Shared())

    private struct Shared {
        var statistics = ProcessorStatistics()
        var inProcessing: UInt64?
        var sealedThrough: UInt64 = 0
        var running = false
        var loopEnded = false
        var ledger: DeliveryLedger?
        var consumer: KafkaConsumer?
    }

    /// Creates a processor; nothing connects before ``run()``.
    public init(configuration: PipelineConfiguration, rules: RuleSet, logger: Logger = Logger(label: "fraudstream.pipeline")) {
        self.configuration = configuration
        self.rulesBox = LockedValue(rules)
        self.logger = logger
    }

    /// Counters since ``run()`` started.
    public var statistics: ProcessorStatistics {
        let (stats, ledger) = shared.withLock { ($0.statistics, $0.ledger) }
        var result = stats
        result.deliveredOutputs = ledger?.deliveredCount ?? 0
        return result
    }

    /// The rules in use.
    public var rules: RuleSet { rulesBox.withLock { $0 } }

    /// Replaces the rules; takes effect from the next batch (e.g. after a rules-file reload).
    public func replaceRules(_ rules: RuleSet) {
        rulesBox.withLock { $0 = rules }
    }

    /// Asks ``run()`` to stop: the batch in processing is finished, its outputs delivered,
    /// offsets committed, the group left. Returns at once; safe to call more than once.
    public func stop() {
        stopSignal.fire()
    }

    /// Runs until ``stop()`` (returns normally) or a fatal error (throws it, after
    /// committing what was fully delivered and leaving the group).
    public func run() async throws {
        let alreadyRunning = shared.withLock { s -> Bool in
            defer { s.running = true }
            return s.running
        }
        precondition(!alreadyRunning, "LiveProcessor.run() may be called only once")
        let configuration = self.configuration
        let logger = self.logger

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: configuration.bootstrapServerList,
                clientID: "fraudstream-pipeline", linger: .milliseconds(5), deliveryReports: .all,
                properties: configuration.kafkaProperties),
            logger: logger)
        let consumerBox = LockedValue<KafkaConsumer?>(nil)
        let ledger = DeliveryLedger(
            store: { offsets in
                guard let consumer = consumerBox.withLock({ $0 }) else { return }
                try consumer.storeOffsets(offsets)
            },
            onStoreError: { error in logger.warning("offset store failed (the next owner may reprocess): \(error)") })
        shared.withLock { $0.ledger = ledger }
        let listener = KafkaRebalanceListener(
            onAssign: { partitions in
                ledger.assign(partitions)
                logger.info("assigned \(partitions.map(\.description).joined(separator: ", "))")
                return [:]
            },
            onRevoke: { [weak self] revocation in
                await self?.revoke(revocation, ledger: ledger, consumerBox: consumerBox)
            })
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: configuration.bootstrapServerList,
                groupID: configuration.groupID, clientID: "fraudstream-pipeline",
                autoOffsetReset: configuration.autoOffsetReset, maxBatchSize: configuration.maxBatchSize,
                properties: configuration.kafkaProperties),
            topics: [configuration.topics.transactions, configuration.topics.labels],
            rebalanceListener: listener, logger: logger)
        consumerBox.withLock { $0 = consumer }

        let reportsTask = Task {
            var iterator = producer.deliveryReports.makeAsyncIterator()
            do {
                while let chunk = try await iterator.nextChunk() {
                    ledger.record(chunk)
                    if let failure = ledger.failure, !stopSignal.isFired {
                        logger.error("\(failure); stopping")
                        stopSignal.fire()
                    }
                }
            } catch {
                logger.error("delivery reports ended: \(error)")
                stopSignal.fire()
            }
        }

        var failure: (any Error)?
        do {
            try await processLoop(consumer: consumer, producer: producer, ledger: ledger)
        } catch {
            failure = error
            logger.error("processing stopped: \(error)")
        }
        shared.withLock { $0.loopEnded = true }

        // Finish: wait for the outstanding deliveries, commit, leave the group, close.
        let sealed = shared.withLock { $0.sealedThrough }
        if sealed > 0, !(await ledger.waitUntilStored(through: sealed, timeout: .seconds(60))) {
            let reason = ledger.failure.map { "\($0)" } ?? "timed out after 60 s"
            logger.error("not every output was acknowledged (\(reason)); committing the acknowledged prefix only")
        }
        if failure == nil, let deliveryFailure = ledger.failure { failure = deliveryFailure }
        do {
            try await consumer.commit()
            shared.withLock { $0.statistics.commits += 1 }
        } catch {
            logger.warning("final commit failed: \(error)")
        }
        do { try await consumer.close() } catch { logger.warning("consumer close: \(error)") }
        consumerBox.withLock { $0 = nil }
        do { try await producer.close(timeout: .seconds(30)) } catch { logger.warning("producer close: \(error)") }
        reportsTask.cancel()
        _ = await reportsTask.value
        if let failure { throw failure }
    }

    /// The processing loop: owns the engine.
    private func processLoop(consumer: KafkaConsumer, producer: KafkaProducer, ledger: DeliveryLedger) async throws {
        let core = ScoringCore(configuration: configuration)
        var seq: UInt64 = 0
        var lastCommit = ContinuousClock.now
        while let batch = try await nextBatch(consumer) {
            seq += 1
            shared.withLock { $0.inProcessing = seq }
            ledger.open(seq)
            let rules = rulesBox.withLock { $0 }
            let processedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            let (produced, stats) = try await core.process(
                batch, seq: seq, rules: rules, producer: producer, processedAt: processedAt)
            ledger.seal(seq, produced: produced, offsets: batch.nextOffsets)
            shared.withLock { s in
                s.inProcessing = nil
                s.sealedThrough = seq
                s.statistics.add(stats)
            }
            if let failure = ledger.failure { throw failure }
            let now = ContinuousClock.now
            if now - lastCommit >= configuration.commitInterval {
                lastCommit = now
                do { try consumer.commitAsync() } catch { logger.warning("commit: \(error)") }
                shared.withLock { $0.statistics.commits += 1 }
            }
        }
    }

    /// The next batch, or nil once ``stop()`` was called or the consumer ended.
    private func nextBatch(_ consumer: KafkaConsumer) async throws -> KafkaMessageBatch? {
        if stopSignal.isFired { return nil }
        let signal = stopSignal
        return try await withThrowingTaskGroup(of: KafkaMessageBatch?.self) { group in
            group.addTask {
                var iterator = consumer.batches.makeAsyncIterator()
                return try await iterator.next()
            }
            group.addTask {
                await signal.wait()
                return nil
            }
            defer { group.cancelAll() }
            let first = try await group.next()!
            // A batch taken while stopping is not processed: its offsets are not stored, so
            // the next run reads it again.
            return signal.isFired ? nil : first
        }
    }

    /// The rebalance hook: finish the batch in processing, wait for its outputs' delivery,
    /// commit, then let the partitions go. (Engine checkpoints will be taken here.)
    private func revoke(
        _ revocation: KafkaRevocation, ledger: DeliveryLedger, consumerBox: LockedValue<KafkaConsumer?>
    ) async {
        let deadline = ContinuousClock.now + .seconds(60)
        var target = shared.withLock { $0.inProcessing ?? $0.sealedThrough }
        while ContinuousClock.now < deadline, shared.withLock({ $0.sealedThrough < target && !$0.loopEnded }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        target = min(target, shared.withLock { $0.sealedThrough })
        if target > 0, !(await ledger.waitUntilStored(through: target, timeout: deadline - ContinuousClock.now)) {
            logger.warning("revoke: outputs of batch \(target) not all acknowledged; committing the acknowledged prefix")
        }
        if !revocation.isLost, let consumer = consumerBox.withLock({ $0 }) {
            do {
                try await consumer.commit()
                shared.withLock { $0.statistics.commits += 1 }
            } catch {
                logger.warning("commit on revoke failed: \(error)")
            }
        }
        ledger.unassign(revocation.partitions)
        logger.info("revoked \(revocation.partitions.map(\.description).joined(separator: ", "))")
    }
}
