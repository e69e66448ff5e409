import FraudRules
import Foundation
import FraudEngine
import Logging
import RdKafka

/// The live processor: one consumer-group member (or, with
/// ``PipelineConfiguration/assignment`` `.allPartitions`, a lone reader of every partition)
/// reading the transactions and labels topics, scoring with one ``Engine``, deciding
/// actions with `RuleSet`, and writing alerts, decision records and dead letters.
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
        var run: ProcessorRun?
        var consumer: KafkaConsumer?
        /// A revoke asks the loop for a checkpoint (and to drop what it holds of the revoked
        /// partitions first); the loop bumps `checkpointRequestsServed` when done, and
        /// `checkpointRequestsWritten` when the checkpoint was written.
        var checkpointRequest: Set<KafkaTopicPartition>?
        var checkpointRequestsServed = 0
        var checkpointRequestsWritten = 0
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

    /// Whether ``run()`` is running and has not stopped (for a readiness probe).
    public var isRunning: Bool { shared.withLock { $0.running && !$0.loopEnded } }

    /// This start's run (its id is the `run` of the decision records), once ``run()`` began.
    public var currentRun: ProcessorRun? { shared.withLock { $0.run } }

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
        if configuration.exactlyOnce, configuration.assignment == .allPartitions {
            throw ConfigurationError(
                source: "configuration", line: nil, key: "assignment",
                message: "all_partitions cannot be combined with exactly_once (the transactions fence an older instance through the group's generation)")
        }
        let logger = self.logger
        // Latency over batching on the wire: librdkafka leaves Nagle's algorithm on by
        // default, which costs up to a delayed-ACK period (40 ms) per request. -X overrides.
        let kafkaProperties = ["socket.nagle.disable": "true"].merging(configuration.kafkaProperties) { _, set in set }

        // Checkpoints: restore the newest valid one; from then on offsets are stored only
        // when a checkpoint covering them is durable.
        let store = configuration.checkpointDirectory.map {
            CheckpointStore(directory: $0, keep: configuration.checkpointKeep)
        }
        let restoredChain = try store.flatMap { try restoreCheckpoint(from: $0) }
        let restored = restoredChain?.last
        let checkpointOffsets = LockedValue(restored?.offsets ?? [:])
        let checkpointing = store != nil
        let exactlyOnce = configuration.exactlyOnce
        // With exactly-once, input below these offsets was committed by a transaction after
        // the restored checkpoint: it is applied to the engine again (to catch its state up)
        // without producing anything.
        let catchUp = LockedValue<[KafkaTopicPartition: Int64]>([:])
        // Only the run's first assignment starts from the restored checkpoint's state.
        let firstAssignment = LockedValue(true)

        // This start's identity, recorded before anything is processed (see ProcessorRun).
        let startedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let run = ProcessorRun(
            id: ProcessorRun.makeID(startedAt: startedAt), startedAt: startedAt, groupID: configuration.groupID,
            modelVersion: ModelVersion(configuration: configuration.engine).prefix,
            origin: restored.map { .init(run: $0.run, sequence: $0.sequence, stateVersion: $0.stateVersion) })
        if let store { try run.writeManifest(in: store.directory) }
        shared.withLock { $0.run = run }
        logger.notice(
            "run \(run.id) started\(restored.map { " from checkpoint \($0.sequence) (state version \($0.stateVersion))" } ?? " from an empty engine")")

        let consumerBox = LockedValue<KafkaConsumer?>(nil)
        let ledger = DeliveryLedger(
            store: { offsets in
                guard !checkpointing, !exactlyOnce, let consumer = consumerBox.withLock({ $0 }) else { return }
                try consumer.storeOffsets(offsets)
            },
            onStoreError: { error in logger.warning("offset store failed (the next owner may reprocess): \(error)") })
        // Delivery reports go straight from the producer's event thread to the ledger (no
        // hand-over to a task): they are only counted, and there is one per output.
        let stopSignal = self.stopSignal
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: configuration.bootstrapServerList,
                clientID: "fraudstream-pipeline",
                transactionalID: exactlyOnce
                    ? configuration.transactionalID
                        ?? "fraudstream-\(configuration.groupID)-\(UInt32.random(in: 0...UInt32.max))"
                    : nil,
                linger: .milliseconds(5), deliveryReports: .all,
                deliveryReportHandler: { chunk in
                    ledger.record(chunk)
                    if let failure = ledger.failure, !stopSignal.isFired {
                        logger.error("\(failure); stopping")
                        stopSignal.fire()
                    }
                },
                properties: kafkaProperties),
            logger: logger)
        shared.withLock { $0.ledger = ledger }
        if exactlyOnce {
            do {
                try await producer.initTransactions(timeout: .seconds(30))
            } catch {
                try? await producer.close(timeout: .seconds(5))
                throw error
            }
        }
        let listener = KafkaRebalanceListener(
            onAssign: { partitions in
                ledger.assign(partitions)
                logger.info("assigned \(partitions.map(\.description).joined(separator: ", "))")
                // Partitions a checkpoint covers start where it says (its engine state
                // includes everything before), unless the group committed further (another
                // member moved on meanwhile); the others at the committed offsets.
                let known = checkpointOffsets.withLock { $0 }
                // With exactly-once, a restored checkpoint's state holds nothing of a partition
                // it does not list: that one is read from its beginning, silently up to what
                // the transactions committed.
                let restoredState = exactlyOnce && !known.isEmpty && firstAssignment.withLock { first in
                    defer { first = false }
                    return first
                }
                let covered = restoredState ? partitions : partitions.filter { known[$0] != nil }
                guard !covered.isEmpty else { return [:] }
                var committed: [KafkaTopicPartition: Int64] = [:]
                // The first assignment can come before the consumer is in its box.
                var consumer = consumerBox.withLock { $0 }
                for _ in 0..<250 where consumer == nil {
                    try? await Task.sleep(for: .milliseconds(20))
                    consumer = consumerBox.withLock { $0 }
                }
                do {
                    guard let consumer else { throw KafkaError(code: .invalidState, message: "no consumer yet") }
                    committed = try await consumer.committed(covered, timeout: .seconds(10))
                } catch {
                    if exactlyOnce {
                        // Starting at the checkpoint's offsets would output again what the
                        // transactions committed: stop instead.
                        logger.error("reading committed offsets failed (\(error)); stopping rather than risk outputting twice")
                        stopSignal.fire()
                    } else {
                        logger.warning("reading committed offsets failed (\(error)); starting at the checkpoint's")
                    }
                }
                if exactlyOnce {
                    // Restart where the state is and replay silently up to what the
                    // transactions committed: the state catches up, nothing is output twice.
                    let ahead = covered.compactMap { tp in
                        committed[tp].flatMap { $0 >= 0 && $0 > (known[tp] ?? 0) ? (tp, $0) : nil }
                    }
                    catchUp.withLock { $0.merge(ahead) { _, new in new } }
                    if !ahead.isEmpty {
                        logger.notice("catching up \(ahead.map { "\($0.0)" }.joined(separator: ", ")) from the checkpoint's offsets to the committed ones without output")
                    }
                    // A partition the checkpoint does not list starts at its beginning only if
                    // the transactions committed some of it (to catch up); otherwise as usual.
                    let caught = Set(ahead.map(\.0))
                    return Dictionary(uniqueKeysWithValues: covered.compactMap { tp in
                        known[tp].map { (tp, $0) } ?? (caught.contains(tp) ? (tp, KafkaOffset.beginning) : nil)
                    })
                }
                return Dictionary(uniqueKeysWithValues: covered.map { tp in (tp, max(known[tp]!, committed[tp] ?? -1)) })
            },
            onRevoke: { [weak self] revocation in
                await self?.revoke(revocation, ledger: ledger, consumerBox: consumerBox)
            })
        // Messages are decoded on the consumer's poll thread, overlapping with the scoring of
        // the batches before (the processing task is the pipeline's bottleneck); exactly as
        // ScoringCore would decode them.
        let decoder = InputDecoder(
            transactionsTopic: configuration.topics.transactions, maxMessageBytes: configuration.maxMessageBytes)
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: configuration.bootstrapServerList,
                groupID: configuration.groupID, clientID: "fraudstream-pipeline",
                autoOffsetReset: configuration.autoOffsetReset, maxBatchSize: configuration.maxBatchSize,
                assignment: configuration.assignment,
                properties: kafkaProperties.merging(configuration.consumerProperties) { _, consumerOnly in consumerOnly },
                prepareBatch: { [decoder] batch in DecodedBatch(batch, decoder: decoder) }),
            topics: [configuration.topics.transactions, configuration.topics.labels],
            rebalanceListener: listener, logger: logger)
        consumerBox.withLock { $0 = consumer }

        // The engine state is restored while the consumer joins its group (a broker makes an
        // empty group wait for more members, 3 s by default, before the first assignment:
        // the restore, under a second for a million cards, hides behind it) or, with
        // all_partitions, while its first fetches are under way. Assignments that arrive
        // meanwhile wait in the ledger for the processing loop.
        var failure: (any Error)?
        var restoredEngine: Engine?
        if let restoredChain, let store {
            do {
                restoredEngine = try store.restoreEngine(chain: restoredChain)
            } catch {
                failure = error
                logger.error("the checkpoint's engine state does not restore: \(error)")
            }
        }

        // The writer's shadow starts equal to the live engine: built the same way, on the
        // writer's thread (a restore takes as long as the processor's own).
        let engineConfiguration = configuration.engine
        let checkpointWriter = CheckpointWriter(
            fullEvery: configuration.checkpointFullEvery, restoredChain: restoredChain,
            initial: { () throws -> Engine in
                if let restoredChain, let store { return try store.restoreEngine(chain: restoredChain) }
                return Engine(configuration: engineConfiguration)
            })
        if failure == nil {
            do {
                // On a thread of its own (see ProcessingThread); the tasks it starts with
                // `Task {}` (the output stage's) stay on the cooperative pool.
                let thread = ProcessingThread(name: "fs-processing")
                defer { thread.stop() }
                try await withTaskExecutorPreference(thread) {
                    try await self.processLoop(
                        consumer: consumer, producer: producer, ledger: ledger, engine: restoredEngine, restored: restored,
                        run: run.id, catchUp: catchUp, store: store, checkpointOffsets: checkpointOffsets,
                        checkpointWriter: checkpointWriter)
                }
            } catch {
                failure = error
                logger.error("processing stopped: \(error)")
            }
        }
        // A checkpoint still being written completes (and stores its offsets) before the
        // final commit, whichever way the loop ended.
        await checkpointWriter.waitIdle()
        shared.withLock { $0.loopEnded = true }

        // Finish: wait for the outstanding deliveries, commit, leave the group, close.
        let sealed = shared.withLock { $0.sealedThrough }
        if sealed > 0, !(await ledger.waitUntilStored(through: sealed, timeout: .seconds(60))) {
            let reason = ledger.failure.map { "\($0)" } ?? "timed out after 60 s"
            logger.error("not every output was acknowledged (\(reason)); committing the acknowledged prefix only")
        }
        if failure == nil, let deliveryFailure = ledger.failure { failure = deliveryFailure }
        if !configuration.exactlyOnce {  // exactly-once: every transaction committed its offsets
            do {
                try await consumer.commit()
                shared.withLock { $0.statistics.commits += 1 }
            } catch {
                logger.warning("final commit failed: \(error)")
            }
        }
        do { try await consumer.close() } catch { logger.warning("consumer close: \(error)") }
        consumerBox.withLock { $0 = nil }
        do { try await producer.close(timeout: .seconds(30)) } catch { logger.warning("producer close: \(error)") }
        if let failure { throw failure }
    }

    /// The processing loop: owns the engine and the merger.
    private func processLoop(
        consumer: KafkaConsumer, producer: KafkaProducer, ledger: DeliveryLedger, engine: Engine?,
        restored: ProcessorCheckpoint?, run: String, catchUp: LockedValue<[KafkaTopicPartition: Int64]>,
        store: CheckpointStore?, checkpointOffsets: LockedValue<[KafkaTopicPartition: Int64]>,
        checkpointWriter: CheckpointWriter
    ) async throws {
        let core = ScoringCore(configuration: configuration, engine: engine, run: run)
        var checkpointer = store.map {
            Checkpointer(
                store: $0, configuration: configuration, sequence: restored?.sequence ?? 0,
                offsets: restored?.offsets ?? [:], stateVersion: core.engine.statistics.eventsProcessed)
        }
        var merger = EventTimeMerger<InputMessage>(
            labelsTopic: configuration.topics.labels, maxWait: configuration.reorderWait,
            capacity: configuration.reorderCapacity)
        var seq: UInt64 = 0
        var lastCommit = ContinuousClock.now
        var lastLagCheck = ContinuousClock.now - .seconds(1)
        // The thread's CPU clock is a system call (not in the vDSO): read it every few
        // milliseconds, not on every pass of the loop.
        var lastCPURead = ContinuousClock.now - .seconds(1)
        var cpu: Double?
        var wakeAt: ContinuousClock.Instant?
        var released: [EventTimeMerger<InputMessage>.Item] = []
        var dropped = 0
        let availability = { (tp: KafkaTopicPartition, next: Int64?) -> EventTimeMerger<InputMessage>.Availability in
            guard let high = consumer.cachedHighWatermark(of: tp) else { return .unknown }
            if let next { return high > next ? .more : .none }
            return high == 0 ? .none : .unknown
        }
        func syncAssignment() {
            guard let change = ledger.takeAssignmentChange() else { return }
            let gone = change.revoked.union(merger.partitions.filter { !change.assigned.contains($0) })
            dropped += merger.revoke(gone)
            merger.assign(change.assigned.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }, now: .now)
        }
        loop: while true {
            syncAssignment()
            let input = try await nextInput(consumer, until: wakeAt)
            let workStarted = ContinuousClock.now
            // Partitions revoked while waiting must not release anything more.
            syncAssignment()
            switch input {
            case .end:
                break loop
            case .timeout:
                break
            case .batch(let batch):
                syncAssignment()
                // Decoded on the poll thread, unless messages were taken out of the batch
                // while it waited (a revoke or a seek): then here.
                let input =
                    if let decoded = (batch.prepared as? DecodedBatch), decoded.events.count == batch.count {
                        InputBatch(batch, decoded: decoded)
                    } else {
                        InputBatch(batch, decoder: core.inputDecoder)
                    }
                for i in 0..<input.count {
                    let (partition, offset) = batch.position(at: i)
                    if !merger.add(InputMessage(batch: input, index: i), time: input.time(at: i), partition: partition, offset: offset) {
                        dropped += 1
                    }
                }
            }
            released.removeAll(keepingCapacity: true)
            let now = ContinuousClock.now
            // Wake at least once a second while idle, so that the lag and the other gauges
            // stay current.
            // A chunk's outputs are numbered in 20 bits (see DeliveryLedger): at most two
            // outputs per message, so at most 500,000 messages per chunk.
            wakeAt = merger.release(now: now, availability: availability, into: &released, limit: 500_000)
                ?? now + .seconds(1)
            if !released.isEmpty {
                seq += 1
                shared.withLock { $0.inProcessing = seq }
                ledger.open(seq)
                let rules = rulesBox.withLock { $0 }
                let processedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
                let silentBelow = catchUp.withLock { $0 }
                if configuration.exactlyOnce { try producer.beginTransaction() }
                let produced: Int
                let stats: ProcessorStatistics
                do {
                    (produced, stats) = try await core.process(
                        released, seq: seq, rules: rules, producer: producer, processedAt: processedAt,
                        silentBelow: silentBelow)
                } catch {
                    // Never leave a transaction open: read_committed readers would stall on it.
                    if configuration.exactlyOnce { try await abort(producer, after: error) }
                    throw error
                }
                let offsets = Self.nextOffsets(of: released)
                if configuration.exactlyOnce {
                    // A partition still catching up keeps its committed offset: committing the
                    // caught-up position would move it back, and a crash would output again
                    // what was committed before.
                    let committable = offsets.filter { tp, next in silentBelow[tp].map { next >= $0 } ?? true }
                    try await commitTransaction(producer: producer, consumer: consumer, offsets: committable)
                    if !silentBelow.isEmpty {
                        catchUp.withLock { c in
                            for (tp, next) in offsets where (c[tp] ?? 0) <= next { c[tp] = nil }
                        }
                    }
                }
                ledger.seal(seq, produced: produced, offsets: offsets)
                checkpointer?.processed(offsets, events: stats.transactionsScored + stats.labelsApplied)
                let eventTime = core.engine.currentTime
                let (auc, maturedPositives, maturedNegatives) = (core.auc.auc, core.auc.maturedPositives, core.auc.maturedNegatives)
                shared.withLock { s in
                    s.statistics.onlineAUC = auc
                    s.statistics.maturedPositives = maturedPositives
                    s.statistics.maturedNegatives = maturedNegatives
                    s.inProcessing = nil
                    s.sealedThrough = seq
                    s.statistics.add(stats)
                    s.statistics.eventTime = eventTime
                }
            }
            let (held, forced, droppedSoFar) = (merger.buffered, merger.forcedReleases, dropped)
            let worked = ContinuousClock.now - workStarted
            if now - lastCPURead >= .milliseconds(5) {
                lastCPURead = now
                cpu = ThreadCPUClock.seconds()
            } else {
                cpu = nil
            }
            var lag: [KafkaTopicPartition: Int]?
            var pauses: Int?
            if now - lastLagCheck >= .milliseconds(100) {
                lastLagCheck = now
                lag = consumerLag(consumer, merger: merger)
                pauses = consumer.backPressurePauseCount
            }
            shared.withLock { s in
                s.statistics.heldForOrdering = held
                s.statistics.forcedReleases = forced
                s.statistics.droppedOnRevoke = droppedSoFar
                if let lag {
                    s.statistics.partitionLag = lag
                    s.statistics.consumerLag = lag.values.reduce(0, +)
                }
                if let pauses { s.statistics.backPressurePauses = pauses }
                s.statistics.busySeconds += worked.seconds
                if let cpu { s.statistics.processingCPUSeconds = cpu }
            }
            if let failure = ledger.failure { throw failure }
            if var c = checkpointer {
                let request = shared.withLock { $0.checkpointRequest }
                if let request {
                    // Nothing more of the partitions being revoked may reach the engine: the
                    // checkpoint is their last state here.
                    dropped += merger.revoke(request)
                    let written = try await checkpoint(
                        &c, writer: checkpointWriter, forced: true, core: core, seq: seq, ledger: ledger,
                        consumer: consumer, offsetsBox: checkpointOffsets)
                    shared.withLock { s in
                        s.checkpointRequest = nil
                        s.checkpointRequestsServed += 1
                        if written { s.checkpointRequestsWritten += 1 }
                    }
                } else if c.isDue(now: now) {
                    try await checkpoint(
                        &c, writer: checkpointWriter, forced: false, core: core, seq: seq, ledger: ledger,
                        consumer: consumer, offsetsBox: checkpointOffsets)
                }
                checkpointer = c
                continue
            }
            if !configuration.exactlyOnce, now - lastCommit >= configuration.commitInterval {
                lastCommit = now
                do { try consumer.commitAsync() } catch { logger.warning("commit: \(error)") }
                shared.withLock { $0.statistics.commits += 1 }
            }
        }
        // Stopping: a final checkpoint of everything processed (after its outputs were
        // acknowledged), so that a restart continues from here.
        if var c = checkpointer {
            await checkpointWriter.waitIdle()
            if checkpointWriter.takeFailure() { c.failed() }
            if c.hasChanges {
                try await checkpoint(
                    &c, writer: checkpointWriter, forced: true, core: core, seq: seq, ledger: ledger, consumer: consumer,
                    offsetsBox: checkpointOffsets)
            }
        }
    }

    /// The next offset of each partition in `items` (its largest offset + 1). One dictionary
    /// update per run of one partition's items, not per item: hashing the topic name of
    /// every item was a measurable part of the processing task.
    static func nextOffsets(of items: [EventTimeMerger<InputMessage>.Item]) -> [KafkaTopicPartition: Int64] {
        var offsets: [KafkaTopicPartition: Int64] = [:]
        var i = 0
        while i < items.count {
            let partition = items[i].partition
            var next = items[i].offset + 1
            var j = i + 1
            while j < items.count, items[j].partition == partition {
                next = max(next, items[j].offset + 1)
                j += 1
            }
            offsets[partition] = max(offsets[partition] ?? 0, next)
            i = j
        }
        return offsets
    }

    /// Commits the open transaction with the consumed `offsets` (next offsets) of its chunk.
    /// On failure the transaction is aborted (nothing of it becomes visible to read_committed
    /// readers, its offsets are not committed) and the error is rethrown: the processor stops,
    /// and a restart resumes from the last checkpoint and the committed offsets.
    private func commitTransaction(
        producer: KafkaProducer, consumer: KafkaConsumer, offsets: [KafkaTopicPartition: Int64]
    ) async throws {
        do {
            if !offsets.isEmpty {
                try await producer.sendOffsetsToTransaction(offsets, groupMetadata: try consumer.groupMetadata())
            }
            try await producer.commitTransaction()
            shared.withLock { s in
                s.statistics.transactionsCommitted += 1
                s.statistics.commits += 1
            }
        } catch {
            try await abort(producer, after: error)
        }
        // The same offsets again, the plain way, now that the transaction is committed: a
        // repeat on a real broker, but librdkafka's mock cluster (the embedded broker)
        // accepts transactional offset commits without storing them. Never before the
        // transaction commits, so offsets never run ahead of committed outputs.
        guard !offsets.isEmpty else { return }
        do {
            try await consumer.commit(offsets)
        } catch {
            logger.warning("plain commit after the transaction: \(error)")
        }
    }

    /// Aborts the open transaction after `error` and rethrows it.
    private func abort(_ producer: KafkaProducer, after error: any Error) async throws {
        logger.error("transaction not committed: \(error); aborting it")
        do { try await producer.abortTransaction(timeout: .seconds(30)) } catch {
            logger.error("abort failed: \(error)")
        }
        shared.withLock { $0.statistics.transactionsAborted += 1 }
        throw error
    }

    /// Takes a checkpoint: takes the engine's delta since the last one (processing waits only
    /// for this copy of what changed: the engine must not change meanwhile); then the
    /// background writer brings its shadow engine up to date, waits until every output of the
    /// work the delta includes is acknowledged, writes an incremental or full checkpoint with
    /// the offsets processed, durably, and stores those offsets for the next commit (see
    /// ``CheckpointWriter``). A routine checkpoint is skipped while the previous one is still
    /// being written; a `forced` one (revoke, shutdown) waits for it and for its own write.
    /// Returns, for a forced checkpoint, whether it was written (a routine one returns false:
    /// it is written later, in the background).
    @discardableResult
    private func checkpoint(
        _ c: inout Checkpointer, writer: CheckpointWriter, forced: Bool, core: ScoringCore, seq: UInt64,
        ledger: DeliveryLedger, consumer: KafkaConsumer, offsetsBox: LockedValue<[KafkaTopicPartition: Int64]>
    ) async throws -> Bool {
        if writer.isBusy {
            guard forced else { return false }
            await writer.waitIdle()
        }
        // The last write failed or was given up: what it covered is still to be covered.
        if writer.takeFailure() { c.failed() }
        if let failure = ledger.failure { throw failure }
        let started = ContinuousClock.now
        // Processing waits only for this: what changed since the last checkpoint (or, when
        // the writer has no shadow, a copy of the engine). On the writer thread: wait until
        // every output of the work it includes is acknowledged (a checkpoint must not cover
        // an output that could still be lost), then write.
        let engine = core.engine
        let change: CheckpointWriter.Change
        if writer.needsFullCopy {
            change = .snapshot(engine.snapshot())
            engine.clearChanges()
        } else {
            change = .delta(engine.takeDelta(reusing: writer.takeSpareBuffers() ?? EngineDelta.Buffers()))
        }
        let heldUpSeconds = (ContinuousClock.now - started).seconds
        let metadata = CheckpointWriter.Metadata(
            sequence: c.nextSequence, createdAt: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)),
            groupID: configuration.groupID, modelVersion: core.modelVersion.prefix, run: core.run, offsets: c.offsets)
        let exactlyOnce = configuration.exactlyOnce
        c.written(sequence: metadata.sequence, at: .now)
        let logger = self.logger
        let shared = self.shared
        writer.submit(
            CheckpointWriter.Handoff(change), metadata: metadata,
            outputsDurable: {
                seq == 0 || ledger.waitUntilStoredBlocking(through: seq, timeout: .seconds(60))
            }, to: c.store
        ) { checkpoint, result in
            switch result {
            case .failure(let error):
                logger.error("checkpoint \(metadata.sequence) not written: \(error)")
                shared.withLock { $0.statistics.checkpointFailures += 1 }
            case .success(let path):
                guard let checkpoint else { return }
                offsetsBox.withLock { $0 = checkpoint.offsets }
                let assigned = Set(ledger.assignedPartitions)
                let storable = checkpoint.offsets.filter { assigned.contains($0.key) }
                if !storable.isEmpty && !exactlyOnce {  // exactly-once: the transactions commit offsets
                    do {
                        try consumer.storeOffsets(storable)
                        try consumer.commitAsync()
                    } catch {
                        logger.warning("storing the offsets of checkpoint \(checkpoint.sequence) failed: \(error)")
                    }
                }
                shared.withLock { s in
                    s.statistics.checkpoints += 1
                    if checkpoint.isIncremental { s.statistics.incrementalCheckpoints += 1 }
                    s.statistics.lastCheckpointBytes = checkpoint.engineStateBytes.count
                    s.statistics.checkpointSequence = checkpoint.sequence
                    s.statistics.lastCheckpointSeconds = heldUpSeconds
                    s.statistics.lastCheckpointAt = checkpoint.createdAt
                }
                let kind = checkpoint.base.map { "incremental over \($0.sequence)" } ?? "full"
                logger.info("checkpoint \(checkpoint.sequence) (\(kind)) written to \(path): state version \(checkpoint.stateVersion), \(checkpoint.offsets.count) partitions, \(checkpoint.engineStateBytes.count) bytes of engine state; processing held up \(Int(heldUpSeconds * 1000)) ms")
            }
        }
        guard forced else { return false }
        await writer.waitIdle()
        if writer.takeFailure() {
            c.failed()
            return false
        }
        return true
    }

    /// The newest valid checkpoint of `store` (damaged ones skipped with a warning) with the
    /// chain it is built from, checked against this configuration.
    private func restoreCheckpoint(from store: CheckpointStore) throws -> [ProcessorCheckpoint]? {
        let logger = self.logger
        guard let chain = try store.newestValidChain(onSkip: { entry, error in
            logger.warning("skipping checkpoint \(entry.path): \(error)")
        }), let checkpoint = chain.last else {
            logger.info("no checkpoint in \(store.directory): starting with a fresh engine")
            return nil
        }
        let expected = ModelVersion(configuration: configuration.engine).prefix
        guard checkpoint.modelVersion == expected else {
            throw CheckpointError.invalid(
                path: store.path(sequence: checkpoint.sequence),
                .corrupt(
                    "written with engine configuration \(checkpoint.modelVersion), this configuration is \(expected): refusing to restore (move the checkpoints away to start afresh)"))
        }
        if checkpoint.groupID != configuration.groupID {
            logger.warning("checkpoint \(checkpoint.sequence) was written by group \(checkpoint.groupID), this is \(configuration.groupID)")
        }
        shared.withLock { s in
            s.statistics.restoredFrom = checkpoint.sequence
            s.statistics.checkpointSequence = checkpoint.sequence
        }
        let kind = chain.count > 1 ? "full checkpoint \(chain[0].sequence) and \(chain.count - 1) incremental" : "full"
        logger.notice("restored checkpoint \(checkpoint.sequence) (\(kind)): state version \(checkpoint.stateVersion), \(checkpoint.offsets.count) partitions")
        return chain
    }

    /// Messages written to the assigned partitions and not processed yet, per partition:
    /// each partition's cached high watermark minus the next offset received, plus what the
    /// merger holds for it.
    private func consumerLag(
        _ consumer: KafkaConsumer, merger: EventTimeMerger<InputMessage>
    ) -> [KafkaTopicPartition: Int] {
        var lag: [KafkaTopicPartition: Int] = [:]
        for tp in merger.partitions {
            var value = merger.held(in: tp)
            if let high = consumer.cachedHighWatermark(of: tp), let next = merger.nextOffset(of: tp) {
                value += Int(max(0, high - next))
            }
            lag[tp] = value
        }
        return lag
    }

    private enum Input {
        case batch(KafkaMessageBatch)
        case timeout
        case end
    }

    /// The next batch; `.timeout` at `deadline` (when one is given) with nothing received;
    /// `.end` once ``stop()`` was called or the consumer ended.
    private func nextInput(_ consumer: KafkaConsumer, until deadline: ContinuousClock.Instant?) async throws -> Input {
        if stopSignal.isFired { return .end }
        let signal = stopSignal
        enum Event { case batch(KafkaMessageBatch?), stop, timeout }
        return try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask {
                var iterator = consumer.batches.makeAsyncIterator()
                return .batch(try await iterator.next())
            }
            group.addTask {
                await signal.wait()
                return .stop
            }
            if let deadline {
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    return .timeout
                }
            }
            let first = try await group.next()!
            group.cancelAll()
            // A batch may have been handed over while another task won the race: keep it.
            var received: KafkaMessageBatch??
            if case .batch(let batch) = first { received = .some(batch) }
            while true {
                let other: Event?
                do {
                    other = try await group.next()
                } catch is CancellationError {
                    continue
                }
                guard let other else { break }
                if case .batch(let batch) = other { received = .some(batch) }
            }
            // A batch taken while stopping is not processed: its offsets are not stored, so
            // the next run reads it again.
            if signal.isFired { return .end }
            switch received {
            case .some(.some(let batch)): return .batch(batch)
            case .some(.none): return .end
            case .none: return .timeout
            }
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
        if configuration.checkpointDirectory != nil {
            // Checkpoint before the partitions move: the loop writes it (it owns the engine)
            // at its next turn (within a second), which also stores the offsets it covers.
            let (served, written) = shared.withLock { s -> (Int, Int) in
                s.checkpointRequest = (s.checkpointRequest ?? []).union(revocation.partitions)
                return (s.checkpointRequestsServed, s.checkpointRequestsWritten)
            }
            while ContinuousClock.now < deadline,
                shared.withLock({ $0.checkpointRequestsServed == served && !$0.loopEnded })
            {
                try? await Task.sleep(for: .milliseconds(5))
            }
            if shared.withLock({ $0.checkpointRequestsWritten == written && !$0.loopEnded }) {
                logger.warning("revoke: no checkpoint was written before the partitions moved")
            }
        }
        if target > 0, !(await ledger.waitUntilStored(through: target, timeout: deadline - ContinuousClock.now)) {
            logger.warning("revoke: outputs of batch \(target) not all acknowledged; committing the acknowledged prefix")
        }
        if !revocation.isLost, !configuration.exactlyOnce, let consumer = consumerBox.withLock({ $0 }) {
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
