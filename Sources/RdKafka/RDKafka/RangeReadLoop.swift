internal import CRdKafka
import Dispatch
import Foundation
import Logging

/// The range reader's dedicated thread and its state.
///
/// One `Thread` (never Swift's cooperative pool) checks the ranges against the cluster
/// (metadata, watermarks), assigns the partitions at their start offsets with
/// `rd_kafka_assign` (no group membership, nothing committed), polls librdkafka in batches and
/// hands them to async code through a bounded ``ConsumerHandOver``. When the hand-over is full
/// the thread stops polling until a batch is taken, so at most `handOverCapacity` batches wait
/// in Swift and librdkafka's own prefetch stays within `queued.min.messages` /
/// `queued.max.messages.kbytes`. A partition whose range is complete (see ``RangeProgress``)
/// is paused; when all are, the hand-over ends and the thread closes the handle.
///
/// `@unchecked Sendable` invariant: the `pt*` fields are touched only on the thread (or
/// before it starts); everything shared is immutable or guarded by a lock.
final class RangeReadLoop: @unchecked Sendable {
    private struct Shared {
        var closeRequested = false
        var exited = false
        var closeWaiters: [@Sendable () -> Void] = []
        var queueAlive = true
    }

    let client: RDKafkaClient
    let handOver: ConsumerHandOver
    private let ranges: [KafkaPartitionRange]
    private let maxBatchSize: Int
    private let checkTimeout: Duration
    private let queue: OpaquePointer
    private let shared: Locked<Shared>
    private let wakeUp: DispatchSemaphore
    private var logger: Logger { client.logger }

    // Thread state.
    private var ptProgress: RangeProgress
    private var ptBuilder = MessageBatchBuilder()

    init(client: RDKafkaClient, ranges: [KafkaPartitionRange], maxBatchSize: Int, handOverCapacity: Int,
         checkTimeout: Duration) {
        self.client = client
        self.ranges = ranges
        self.maxBatchSize = max(1, maxBatchSize)
        self.checkTimeout = checkTimeout
        self.queue = rd_kafka_queue_get_consumer(client.handle)!
        self.ptProgress = RangeProgress(ranges)
        let wakeUp = DispatchSemaphore(value: 0)
        self.wakeUp = wakeUp
        self.shared = Locked(Shared())
        self.handOver = ConsumerHandOver(capacity: handOverCapacity, maxBatchSize: max(1, maxBatchSize)) { wakeUp.signal() }
    }

    func start() {
        let thread = Thread { [self] in
            ThreadName.setCurrent("fs-kafka-range")
            run()
        }
        thread.start()
    }

    /// Stops the thread (if still running); `done` runs once it has closed the handle.
    func requestClose(_ done: @escaping @Sendable () -> Void) {
        let exited = shared.withLock { s -> Bool in
            if s.exited { return true }
            s.closeRequested = true
            s.closeWaiters.append(done)
            if s.queueAlive { rd_kafka_queue_yield(queue) }
            return false
        }
        if exited { done() } else { wakeUp.signal() }
    }

    private var closeRequested: Bool { shared.withLock { $0.closeRequested } }

    // MARK: Thread

    private func run() {
        defer { exit() }
        guard !ptProgress.isComplete else {
            handOver.finish()
            return
        }
        do throws(KafkaError) {
            try assignAfterChecks()
        } catch {
            handOver.finish(error: error)
            return
        }
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxBatchSize)
        defer { buffer.deallocate() }
        while !closeRequested {
            if !handOver.hasSpace {
                // Stop polling until the application takes a batch (or closes).
                handOver.requestWakeOnSpace()
                if !handOver.hasSpace { _ = wakeUp.wait(timeout: .now() + .milliseconds(200)) }
                continue
            }
            let count = client.pollBatch(queue: queue, into: buffer, capacity: maxBatchSize)
            if count == 0 { continue }
            let (batch, failure) = process(buffer, count: count)
            if let batch { handOver.push(batch) }
            if let failure {
                handOver.finish(error: failure)
                return
            }
            if ptProgress.isComplete {
                handOver.finish()
                return
            }
        }
        let open = ptProgress.open.keys.sorted().map { "\($0) (up to offset \(ptProgress.open[$0]!))" }
        handOver.finish(
            error: KafkaError(
                code: .destroyed,
                message: "the range reader was closed before it finished \(open.joined(separator: ", "))"))
    }

    /// Checks that every non-empty range exists and is wholly in its partition's log, then
    /// assigns the partitions at their start offsets.
    private func assignAfterChecks() throws(KafkaError) {
        let open = ranges.filter { !$0.isEmpty }
        let deadline = RangeChecks.Deadline(checkTimeout)
        let metadata = try client.metadata(timeout: checkTimeout)
        try RangeChecks.requireExisting(open, in: metadata)
        for range in open {
            let (low, high) = try RangeChecks.watermarks(
                client, range.topicPartition, timeout: deadline.remaining("checking \(range)"))
            try RangeChecks.requireReadable(range, low: low, high: high)
        }
        let starts = Dictionary(uniqueKeysWithValues: open.map { ($0.topicPartition, $0.start) })
        try TopicPartitionList.withList(offsets: starts) { (list) throws(KafkaError) in
            try KafkaError.check(rd_kafka_assign(client.handle, list), context: "assign ranges")
        }
        logger.info("reading \(open.count) range(s): \(open.sorted().map(\.description).joined(separator: ", "))")
    }

    private func exit() {
        // The sequence has ended (finish above). Nothing to commit: auto-commit is off and the
        // handle never joined the group, so this only stops the fetchers.
        let err = rd_kafka_consumer_close(client.handle)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { logger.debug("range reader close: \(KafkaError(err))") }
        let waiters = shared.withLock { s in
            s.exited = true
            s.queueAlive = false
            defer { s.closeWaiters = [] }
            return s.closeWaiters
        }
        rd_kafka_queue_destroy(queue)
        for waiter in waiters { waiter() }
    }

    /// Keeps the messages inside open ranges as a batch, finishes and pauses completed
    /// partitions, and turns a consumer error into the sequence's failure. Destroys every message.
    private func process(
        _ buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>, count: Int
    ) -> (KafkaMessageBatch?, KafkaError?) {
        var kept = 0
        var failure: KafkaError?
        var finished: [KafkaTopicPartition] = []
        for i in 0..<count {
            let message = buffer[i]!
            let m = message.pointee
            let tp = m.rkt.map { KafkaTopicPartition(topic: ptBuilder.topicName($0), partition: m.partition) }
            if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    if let tp, ptProgress.endOfPartition(at: m.offset, of: tp) { finished.append(tp) }
                } else if failure == nil {
                    failure = consumerError(message, partition: tp)
                }
                rd_kafka_message_destroy(message)
                continue
            }
            guard let tp else {
                rd_kafka_message_destroy(message)
                continue
            }
            switch ptProgress.message(at: m.offset, of: tp) {
            case .deliver:
                buffer[kept] = message
                kept += 1
            case .deliverAndFinish:
                buffer[kept] = message
                kept += 1
                finished.append(tp)
            case .drop:
                rd_kafka_message_destroy(message)
            case .dropAndFinish:
                rd_kafka_message_destroy(message)
                finished.append(tp)
            }
        }
        if !finished.isEmpty {
            // Stop fetching what is done; anything of these partitions still queued is dropped above.
            TopicPartitionList.withList(finished) { list in
                let err = rd_kafka_pause_partitions(client.handle, list)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { logger.debug("pause finished partitions: \(KafkaError(err))") }
            }
            logger.debug("finished \(finished.map(\.description).joined(separator: ", "))")
        }
        guard kept > 0 else { return (nil, failure) }
        let batch = ptBuilder.build(buffer, count: kept)
        for i in 0..<kept { rd_kafka_message_destroy(buffer[i]) }
        return (batch, failure)
    }

    /// The error that ends the read, or nil for a transient one (logged; librdkafka retries).
    private func consumerError(_ message: UnsafeMutablePointer<rd_kafka_message_t>, partition tp: KafkaTopicPartition?)
        -> KafkaError?
    {
        let err = message.pointee.err
        let text = String(cString: rd_kafka_message_errstr(message))
        let code = KafkaError.Code(err)
        let name = tp.map(\.description) ?? "a partition"
        switch err {
        case RD_KAFKA_RESP_ERR__FATAL:
            var buffer = [CChar](repeating: 0, count: 512)
            let original = rd_kafka_fatal_error(client.handle, &buffer, buffer.count)
            return KafkaError(
                code: KafkaError.Code(original), message: "fatal consumer error: \(String.fromCBuffer(buffer))",
                isFatal: true, isRetriable: false)
        case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
            // auto.offset.reset=error: the broker no longer has the offset asked for.
            let range = tp.flatMap { tp in ranges.first { $0.topicPartition == tp } }
            return KafkaError(
                code: .offsetOutOfRange,
                message: "cannot read \(range?.description ?? name): offset \(message.pointee.offset) is no longer "
                    + "in the log (deleted while reading?); the history asked for is no longer complete: \(text)",
                isRetriable: false)
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
             RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
            return KafkaError(code: code, message: "cannot read \(name): \(text)", isRetriable: false)
        default:
            logger.warning("range reader: consumer error \(code.name) on \(name): \(text)")
            return nil
        }
    }
}
