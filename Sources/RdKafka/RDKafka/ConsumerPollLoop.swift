internal import CRdKafka
import Dispatch
import Foundation
import Logging

private let rebalanceCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { rk, err, partitions, _ in
        guard let rk, let partitions else { return }
        if let loop = RDKafkaClientContext.from(rk)?.consumerLoop {
            loop.handleRebalance(err, partitions)
        } else if err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
            rd_kafka_assign(rk, partitions)
        } else {
            rd_kafka_assign(rk, nil)
        }
    }

private let offsetCommitCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { rk, err, offsets, _ in
        guard let context = RDKafkaClientContext.from(rk) else { return }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            context.logger.warning("offset commit failed: \(KafkaError(err))")
        } else if let offsets, let error = TopicPartitionList.firstError(offsets, context: "offset commit failed for") {
            context.logger.warning("\(error)")
        }
    }

/// The consumer's dedicated poll thread and its state.
///
/// One `Thread` (never Swift's cooperative pool) polls librdkafka in batches, serves the
/// rebalance, commit, error and statistics callbacks, runs commands (seek, pause, resume,
/// close) between polls, and hands batches to async code through a bounded ``ConsumerHandOver``.
/// When the hand-over is full it pauses the assigned partitions and keeps polling (so
/// rebalances are still served); when space frees up it resumes them and seeks them to the
/// next offset not yet handed over, so nothing is skipped or repeated.
///
/// `@unchecked Sendable` invariant: the `pt*` fields are touched only on the poll thread (or
/// before it starts); everything shared is immutable or guarded by a lock.
final class ConsumerPollLoop: @unchecked Sendable {
    enum Command {
        case pause([KafkaTopicPartition], @Sendable (KafkaError?) -> Void)
        case resume([KafkaTopicPartition], @Sendable (KafkaError?) -> Void)
        case seek([KafkaTopicPartition: Int64], Duration, @Sendable (KafkaError?) -> Void)
    }

    private struct Shared {
        var commands: [Command] = []
        var closeRequested = false
        var closeWaiters: [@Sendable (KafkaError?) -> Void] = []
        var closed = false
        var closeResult: KafkaError?
        var queueAlive = true
        var backPressurePauses = 0
    }

    let client: RDKafkaClient
    let handOver: ConsumerHandOver
    private let listener: KafkaRebalanceListener?
    private let maxBatchSize: Int
    private let failOnUnknownTopic: Bool
    private let prepareBatch: (@Sendable (KafkaMessageBatch) -> any Sendable)?
    /// With direct assignment: the topics whose partitions are all assigned at start.
    private let directTopics: [String]?
    private let queue: OpaquePointer
    private let shared = Locked(Shared())
    private var logger: Logger { client.logger }

    // Poll-thread state.
    private var ptAssignment: Set<KafkaTopicPartition> = []
    private var ptAppPaused: Set<KafkaTopicPartition> = []
    private var ptBackPressurePaused = false
    private var ptPositions: [KafkaTopicPartition: Int64] = [:]
    private var ptPending: [KafkaMessageBatch] = []
    private var ptBuilder = MessageBatchBuilder()
    private var ptTerminated = false
    /// Messages dropped because their partition had already been handed over past them.
    private var ptStaleDropped = 0

    static func installCallbacks(on conf: OpaquePointer) {
        rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        rd_kafka_conf_set_offset_commit_cb(conf, offsetCommitCallback)
    }

    init(client: RDKafkaClient, listener: KafkaRebalanceListener?, maxBatchSize: Int, handOverCapacity: Int,
         failOnUnknownTopic: Bool, directTopics: [String]? = nil,
         prepareBatch: (@Sendable (KafkaMessageBatch) -> any Sendable)? = nil) {
        self.client = client
        self.prepareBatch = prepareBatch
        self.listener = listener
        self.maxBatchSize = max(1, maxBatchSize)
        self.failOnUnknownTopic = failOnUnknownTopic
        self.directTopics = directTopics
        self.queue = rd_kafka_queue_get_consumer(client.handle)!
        let shared = self.shared
        let queue = SendablePointer(queue)
        self.handOver = ConsumerHandOver(capacity: handOverCapacity, maxBatchSize: max(1, maxBatchSize)) {
            shared.withLock { if $0.queueAlive { rd_kafka_queue_yield(queue.pointer) } }
        }
    }

    func start() {
        client.context.consumerLoop = self
        let thread = Thread { [self] in
            ThreadName.setCurrent("fs-kafka-poll")
            run()
        }
        thread.start()
    }

    // MARK: Commands (any thread)

    private func wake() { shared.withLock { if $0.queueAlive { rd_kafka_queue_yield(queue) } } }

    func submit(_ command: Command) {
        let accepted = shared.withLock { s -> Bool in
            guard !s.closeRequested else { return false }
            s.commands.append(command)
            return true
        }
        if accepted {
            wake()
            return
        }
        let error = KafkaError(code: .invalidState, message: "the consumer is closed")
        switch command {
        case .pause(_, let done), .resume(_, let done), .seek(_, _, let done): done(error)
        }
    }

    func requestClose(_ done: @escaping @Sendable (KafkaError?) -> Void) {
        let finished: KafkaError?? = shared.withLock { s in
            if s.closed { return .some(s.closeResult) }
            s.closeRequested = true
            s.closeWaiters.append(done)
            return .none
        }
        if let result = finished { done(result) } else { wake() }
    }

    var backPressurePauses: Int { shared.withLock { $0.backPressurePauses } }

    // MARK: Poll thread

    private func run() {
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxBatchSize)
        defer { buffer.deallocate() }
        if let directTopics, !assignDirectly(directTopics) {
            closeOnPollThread()
            return
        }
        while runCommands() {
            if ptTerminated {
                // The sequence ended with an error: keep serving callbacks until closed.
                if let m = rd_kafka_consumer_poll(client.handle, 100) { rd_kafka_message_destroy(m) }
                continue
            }
            if !handOver.hasSpace && !ptBackPressurePaused { pauseForBackPressure() }
            if ptBackPressurePaused {
                // Resume only once the hand-over has drained to half: resuming at the first
                // free slot would pause again at once, discarding librdkafka's prefetch each time.
                handOver.requestWakeOnSpace()
                if !handOver.isAtMostHalfFull {
                    // Still serve rebalances and other callbacks; paused partitions yield no messages.
                    if let m = rd_kafka_consumer_poll(client.handle, 100) {
                        buffer[0] = m
                        if let batch = process(buffer, count: 1) { ptPending.append(batch) }
                    }
                    continue
                }
                resumeAfterBackPressure()
            }
            if !ptPending.isEmpty {
                handOver.push(ptPending.removeFirst())
                continue
            }
            let count = client.pollBatch(queue: queue, into: buffer, capacity: maxBatchSize)
            if count == 0 { continue }
            if let batch = process(buffer, count: count) { handOver.push(batch) }
        }
        closeOnPollThread()
    }

    /// Returns false when close was requested.
    private func runCommands() -> Bool {
        let (commands, close) = shared.withLock { s -> ([Command], Bool) in
            defer { s.commands = [] }
            return (s.commands, s.closeRequested)
        }
        for command in commands {
            switch command {
            case .pause(let partitions, let done):
                ptAppPaused.formUnion(partitions)
                done(pausePartitions(partitions))
            case .resume(let partitions, let done):
                ptAppPaused.subtract(partitions)
                done(ptBackPressurePaused ? nil : resumePartitions(partitions))
            case .seek(let offsets, let timeout, let done):
                done(seek(offsets, timeout: timeout))
            }
        }
        return !close
    }

    private func closeOnPollThread() {
        if directTopics != nil, !ptAssignment.isEmpty {
            // No group to leave, so no revoke from librdkafka: run the hook the same way.
            TopicPartitionList.withList(ptAssignment.sorted()) { list in
                handleRebalance(RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS, list, cooperative: false)
            }
        }
        // Leaves the group; serves the final revoke (and so the rebalance hook) on this thread.
        let err = rd_kafka_consumer_close(client.handle)
        let error = err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(err, context: "consumer close")
        handOver.finish()
        let (waiters, commands) = shared.withLock { s in
            s.queueAlive = false
            s.closed = true
            s.closeResult = error
            defer {
                s.closeWaiters = []
                s.commands = []
            }
            return (s.closeWaiters, s.commands)
        }
        rd_kafka_queue_destroy(queue)
        let closedError = KafkaError(code: .invalidState, message: "the consumer is closed")
        for command in commands {
            switch command {
            case .pause(_, let done), .resume(_, let done), .seek(_, _, let done): done(closedError)
            }
        }
        for waiter in waiters { waiter(error) }
    }

    /// Turns polled messages into a batch; handles consumer errors; destroys every message.
    private func process(
        _ buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>, count: Int
    ) -> KafkaMessageBatch? {
        var kept = 0
        var lastRkt: OpaquePointer?
        var lastPartition: Int32 = -1
        var lastAssigned = false
        var lastTP: KafkaTopicPartition?
        var expected: Int64?
        var staleDropped = 0
        for i in 0..<count {
            let message = buffer[i]!
            let m = message.pointee
            if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                handleConsumerError(message)
                rd_kafka_message_destroy(message)
                continue
            }
            if m.rkt != lastRkt || m.partition != lastPartition {
                if let lastTP, let expected { ptPositions[lastTP] = expected }
                lastRkt = m.rkt
                lastPartition = m.partition
                let tp = KafkaTopicPartition(topic: ptBuilder.topicName(m.rkt), partition: m.partition)
                lastAssigned = ptAssignment.contains(tp)
                lastTP = tp
                expected = ptPositions[tp]
            }
            if !lastAssigned {
                // Revoked while this poll was in progress: the next owner reads it.
                rd_kafka_message_destroy(message)
                continue
            }
            if let expected, m.offset < expected {
                // Offsets only grow within a partition: this one was handed over already.
                // librdkafka before 2.1 can return messages fetched before a seek (our
                // re-seek after a back-pressure resume) from the batch API; delivering them
                // again would apply them twice.
                staleDropped += 1
                rd_kafka_message_destroy(message)
                continue
            }
            expected = m.offset + 1
            buffer[kept] = message
            kept += 1
        }
        if let lastTP, let expected { ptPositions[lastTP] = expected }
        if staleDropped > 0 {
            ptStaleDropped += staleDropped
            logger.debug("dropped \(staleDropped) message(s) older than the position already handed over (\(ptStaleDropped) in all)")
        }
        guard kept > 0 else { return nil }
        var batch = ptBuilder.build(buffer, count: kept)
        for i in 0..<kept { rd_kafka_message_destroy(buffer[i]) }
        if let prepareBatch { batch.prepared = prepareBatch(batch) }
        return batch
    }

    private func handleConsumerError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let err = message.pointee.err
        if err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        let text = String(cString: rd_kafka_message_errstr(message))
        let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) }
        let code = KafkaError.Code(err)
        if err == RD_KAFKA_RESP_ERR__FATAL {
            var buffer = [CChar](repeating: 0, count: 512)
            let original = rd_kafka_fatal_error(client.handle, &buffer, buffer.count)
            let error = KafkaError(
                code: KafkaError.Code(original), message: "fatal consumer error: \(String.fromCBuffer(buffer))",
                isFatal: true, isRetriable: false)
            logger.error("\(error)")
            terminate(error)
            return
        }
        let unknownTopic: Set<KafkaError.Code> = [.unknownTopicOrPartition, .unknownTopic, .unknownPartition]
        if unknownTopic.contains(code) || err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED {
            let error = KafkaError(
                code: code,
                message: "subscribed topic \(topic.map { "\"\($0)\"" } ?? "") is not available: \(text)",
                isRetriable: false)
            if failOnUnknownTopic {
                logger.error("\(error)")
                terminate(error)
            } else {
                logger.warning("\(error)")
            }
            return
        }
        logger.warning("consumer error \(code.name): \(text)")
    }

    private func terminate(_ error: KafkaError) {
        ptTerminated = true
        handOver.finish(error: error)
    }

    private func pausePartitions(_ partitions: some Collection<KafkaTopicPartition>) -> KafkaError? {
        guard !partitions.isEmpty else { return nil }
        return TopicPartitionList.withList(partitions) { list -> KafkaError? in
            let err = rd_kafka_pause_partitions(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { return KafkaError(err, context: "pause") }
            return TopicPartitionList.firstError(list, context: "pause")
        }
    }

    /// Resumes and seeks each partition to the next offset not yet handed over. The seek
    /// guards against resuming from a stale fetch position (librdkafka < 2.1 batch-API issues).
    private func resumePartitions(_ partitions: some Collection<KafkaTopicPartition>) -> KafkaError? {
        guard !partitions.isEmpty else { return nil }
        let failure = TopicPartitionList.withList(partitions) { list -> KafkaError? in
            let err = rd_kafka_resume_partitions(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { return KafkaError(err, context: "resume") }
            return TopicPartitionList.firstError(list, context: "resume")
        }
        var positions: [KafkaTopicPartition: Int64] = [:]
        for tp in partitions { if let position = ptPositions[tp], position >= 0 { positions[tp] = position } }
        if !positions.isEmpty {
            TopicPartitionList.withList(offsets: positions) { list in
                if let error = rd_kafka_seek_partitions(client.handle, list, 0) {
                    logger.warning("seek after resume: \(KafkaError(consuming: error))")
                }
            }
        }
        return failure
    }

    /// Clears the pause flag of `partitions` without seeking (a no-op where not paused).
    private func resumeOnly(_ partitions: some Collection<KafkaTopicPartition>) -> KafkaError? {
        guard !partitions.isEmpty else { return nil }
        return TopicPartitionList.withList(partitions) { list -> KafkaError? in
            let err = rd_kafka_resume_partitions(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { return KafkaError(err, context: "resume") }
            return TopicPartitionList.firstError(list, context: "resume")
        }
    }

    private func pauseForBackPressure() {
        ptBackPressurePaused = true
        shared.withLock { $0.backPressurePauses += 1 }
        if let error = pausePartitions(ptAssignment.subtracting(ptAppPaused)) {
            logger.warning("back-pressure \(error)")
        }
    }

    private func resumeAfterBackPressure() {
        ptBackPressurePaused = false
        if let error = resumePartitions(ptAssignment.subtracting(ptAppPaused)) {
            logger.warning("back-pressure \(error)")
        }
    }

    private func seek(_ offsets: [KafkaTopicPartition: Int64], timeout: Duration) -> KafkaError? {
        let partitions = Set(offsets.keys)
        handOver.remove(partitions)
        ptPending = ptPending.map { $0.removing(partitions) }.filter { !$0.isEmpty }
        // Only absolute offsets are remembered for re-seeking after a resume: re-seeking to a
        // logical one (end, beginning) later would skip or repeat what arrived in between.
        for (tp, offset) in offsets { ptPositions[tp] = offset >= 0 ? offset : nil }
        return TopicPartitionList.withList(offsets: offsets) { list -> KafkaError? in
            if let error = rd_kafka_seek_partitions(client.handle, list, Int32(timeout.milliseconds)) {
                return KafkaError(consuming: error, context: "seek")
            }
            return TopicPartitionList.firstError(list, context: "seek")
        }
    }

    /// Runs an async hook to completion, blocking this (dedicated) poll thread meanwhile.
    private func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let result = Locked<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    /// Direct assignment, on the poll thread before the first poll: every partition of
    /// `topics`, once the cluster's metadata names them, through the same hook and assign
    /// path as a group's assignment. Waits for the cluster (retrying, like a group member
    /// waits for its coordinator) until it answers or close is requested; ends the message
    /// sequence with an error for a topic the cluster does not have (with
    /// `failOnUnknownTopic`). Returns false when the loop should close.
    private func assignDirectly(_ topics: [String]) -> Bool {
        var partitions: [KafkaTopicPartition] = []
        while true {
            if shared.withLock({ $0.closeRequested }) { return false }
            let metadata: KafkaClusterMetadata
            do {
                metadata = try client.metadata(timeout: .seconds(5))
            } catch {
                logger.warning("direct assignment waits for the cluster: \(error)")
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            partitions = []
            var missing: [String] = []
            for topic in topics {
                guard let found = metadata.topic(topic), found.error == nil, !found.partitions.isEmpty else {
                    missing.append(topic)
                    continue
                }
                partitions += found.partitions.map { KafkaTopicPartition(topic: topic, partition: $0.id) }
            }
            if missing.isEmpty { break }
            let error = KafkaError(
                code: .unknownTopicOrPartition,
                message: "topic \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) is not available on the cluster",
                isRetriable: false)
            if failOnUnknownTopic {
                logger.error("\(error)")
                terminate(error)
                return true  // serve close and callbacks; the sequence has ended
            }
            logger.warning("\(error); retrying")
            Thread.sleep(forTimeInterval: 1)
        }
        TopicPartitionList.withList(partitions) { list in
            handleRebalance(RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, list, cooperative: false)
        }
        return true
    }

    /// The rebalance callback, on the poll thread: hook first, then assign/unassign.
    fileprivate func handleRebalance(
        _ err: rd_kafka_resp_err_t, _ list: TopicPartitionList.Pointer, cooperative: Bool? = nil
    ) {
        let rk = client.handle
        let cooperative = cooperative ?? (String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE")
        let partitions = TopicPartitionList.partitions(list)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            var starts: [KafkaTopicPartition: Int64] = [:]
            if let listener, !partitions.isEmpty {
                starts = runBlocking { await listener.onAssign(partitions) }
                for (tp, offset) in starts {
                    rd_kafka_topic_partition_list_find(list, tp.topic, tp.partition)?.pointee.offset = offset
                }
            }
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) {
                    logger.error("incremental assign failed: \(KafkaError(consuming: error))")
                }
            } else {
                let e = rd_kafka_assign(rk, list)
                if e != RD_KAFKA_RESP_ERR_NO_ERROR { logger.error("assign failed: \(KafkaError(e))") }
                ptAssignment = []
            }
            ptAssignment.formUnion(partitions)
            for tp in partitions { ptPositions[tp] = starts[tp].flatMap { $0 >= 0 ? $0 : nil } }
            logger.info("assigned \(partitions.count) partition(s): \(partitions.sorted().map(\.description).joined(separator: ", "))")
            // librdkafka 2.0 keeps a partition's pause flag across revoke and re-assign: set
            // it explicitly either way, or a partition paused before a rebalance would stay
            // paused (no fetches, no error) after it.
            if ptBackPressurePaused {
                if let error = pausePartitions(partitions) { logger.warning("back-pressure \(error)") }
            } else if let error = resumeOnly(partitions) {
                logger.warning("resume after assign: \(error)")
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let revoked = Set(partitions)
            handOver.remove(revoked)
            ptPending = ptPending.map { $0.removing(revoked) }.filter { !$0.isEmpty }
            if let listener, !partitions.isEmpty {
                let revocation = KafkaRevocation(partitions: partitions, isLost: rd_kafka_assignment_lost(rk) != 0)
                runBlocking { await listener.onRevoke(revocation) }
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) {
                    logger.error("incremental unassign failed: \(KafkaError(consuming: error))")
                }
                ptAssignment.subtract(revoked)
            } else {
                rd_kafka_assign(rk, nil)
                ptAssignment = []
            }
            ptAppPaused.subtract(revoked)
            for tp in revoked { ptPositions[tp] = nil }
            logger.info("revoked \(partitions.count) partition(s)")
        default:
            logger.error("rebalance error: \(KafkaError(err))")
            rd_kafka_assign(rk, nil)
            ptAssignment = []
        }
    }
}

/// An opaque librdkafka handle carried across threads.
///
/// `@unchecked Sendable` invariant: only used with librdkafka functions that are thread-safe
/// (here `rd_kafka_queue_yield`) while the handle is alive (checked under a lock), or handed
/// to the one thread that destroys it once nothing else can reach it (`RDKafkaClient.deinit`).
struct SendablePointer: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
