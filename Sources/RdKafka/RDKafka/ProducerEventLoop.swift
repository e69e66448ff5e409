internal import CRdKafka
import Dispatch
import Foundation
import Logging

/// Wakes sends waiting for room in librdkafka's queue (after `_QUEUE_FULL`).
///
/// A wait ends when some messages complete (the generation moves), when the event thread
/// stops (no completion will ever come then), or when the waiting task is cancelled.
final class QueueSpaceNotifier: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var stopped = false
        var nextID: UInt64 = 0
        var lastRegisteredID: UInt64 = 0
        var cancelledBeforeRegistering: Set<UInt64> = []
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Locked(State())

    var generation: UInt64 { state.withLock { $0.generation } }

    /// Returns once the generation moved past `generation` (i.e. some messages completed),
    /// the notifier was stopped, or the task was cancelled (callers check which).
    func wait(after generation: UInt64) async {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { s -> Bool in
                    s.lastRegisteredID = id
                    if s.stopped || s.generation != generation || s.cancelledBeforeRegistering.remove(id) != nil {
                        return true
                    }
                    s.waiters.append((id, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                if let index = s.waiters.firstIndex(where: { $0.id == id }) { return s.waiters.remove(at: index).continuation }
                if id > s.lastRegisteredID { s.cancelledBeforeRegistering.insert(id) }
                return nil
            }
            waiter?.resume()
        }
    }

    /// Some messages completed: wakes every waiter.
    func signal() {
        wakeAll { $0.generation &+= 1 }
    }

    /// The event thread stopped: wakes every waiter now and every later one at once.
    func stop() {
        wakeAll { $0.stopped = true }
    }

    private func wakeAll(_ change: (inout State) -> Void) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            change(&s)
            defer { s.waiters = [] }
            return s.waiters.map(\.continuation)
        }
        for continuation in waiters { continuation.resume() }
    }
}

/// The producer's dedicated event thread: polls the main queue for delivery-report, error and
/// statistics events, turns delivery reports into ``KafkaDeliveryReport`` chunks, and wakes
/// sends that wait for queue space.
///
/// `@unchecked Sendable` invariant: `pt*` fields are touched only on the event thread; shared
/// state is immutable or lock-guarded.
final class ProducerEventLoop: @unchecked Sendable {
    let client: RDKafkaClient
    let reports: DeliveryReportHandOver
    let space = QueueSpaceNotifier()
    private let mode: KafkaProducerConfiguration.DeliveryReports
    private let statisticsHandler: (@Sendable (String) -> Void)?
    private let reportHandler: (@Sendable ([KafkaDeliveryReport]) -> Void)?
    private let queue: OpaquePointer
    private struct Shared {
        var stopRequested = false
        var stopped = false
        var stopWaiters: [@Sendable () -> Void] = []
        var fatalError: KafkaError?
        var delivered = 0
        var failed = 0
    }
    private let shared = Locked(Shared())
    private var ptTopicNames: [OpaquePointer: String] = [:]
    private var logger: Logger { client.logger }

    init(client: RDKafkaClient, mode: KafkaProducerConfiguration.DeliveryReports, bufferChunks: Int,
         statisticsHandler: (@Sendable (String) -> Void)?,
         reportHandler: (@Sendable ([KafkaDeliveryReport]) -> Void)? = nil) {
        self.reportHandler = reportHandler
        self.client = client
        self.mode = mode
        self.statisticsHandler = statisticsHandler
        self.reports = DeliveryReportHandOver(capacity: bufferChunks)
        self.queue = rd_kafka_queue_get_main(client.handle)!
    }

    func start() {
        let thread = Thread { [self] in
            ThreadName.setCurrent("fs-kafka-events")
            run()
        }
        thread.start()
    }

    var fatalError: KafkaError? { shared.withLock { $0.fatalError } }
    /// True once the event thread has stopped (no delivery report or queue space will come).
    var isStopped: Bool { shared.withLock { $0.stopped } }
    var counts: (delivered: Int, failed: Int) { shared.withLock { ($0.delivered, $0.failed) } }

    /// Stops the thread after the current event; `done` runs once it has exited.
    func stop(_ done: @escaping @Sendable () -> Void) {
        let stopped = shared.withLock { s -> Bool in
            if s.stopped { return true }
            s.stopRequested = true
            s.stopWaiters.append(done)
            return false
        }
        if stopped {
            done()
        } else {
            reports.finish()  // unblock a push waiting for a reader
            shared.withLock { if !$0.stopped { rd_kafka_queue_yield(queue) } }
        }
    }

    private func run() {
        let capacity = 4096
        let messages = UnsafeMutablePointer<UnsafePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
        defer { messages.deallocate() }
        while !shared.withLock({ $0.stopRequested }) {
            guard let event = rd_kafka_queue_poll(queue, 100) else { continue }
            switch rd_kafka_event_type(event) {
            case RD_KAFKA_EVENT_DR:
                handleDeliveryReports(event, messages, capacity)
            case RD_KAFKA_EVENT_ERROR:
                handleError(event)
            case RD_KAFKA_EVENT_STATS:
                if let statisticsHandler, let json = rd_kafka_event_stats(event) {
                    statisticsHandler(String(cString: json))
                }
            default:
                break
            }
            rd_kafka_event_destroy(event)
        }
        let waiters = shared.withLock { s -> [@Sendable () -> Void] in
            s.stopped = true
            defer { s.stopWaiters = [] }
            return s.stopWaiters
        }
        rd_kafka_queue_destroy(queue)
        reports.finish()
        space.stop()
        for waiter in waiters { waiter() }
    }

    private func handleDeliveryReports(
        _ event: OpaquePointer, _ messages: UnsafeMutablePointer<UnsafePointer<rd_kafka_message_t>?>, _ capacity: Int
    ) {
        var chunk: [KafkaDeliveryReport] = []
        var delivered = 0
        var failed = 0
        while true {
            let count = rd_kafka_event_message_array(event, messages, capacity)
            if count == 0 { break }
            if mode == .all { chunk.reserveCapacity(chunk.count + count) }
            for i in 0..<count {
                let m = messages[i]!.pointee
                let ok = m.err == RD_KAFKA_RESP_ERR_NO_ERROR
                if ok { delivered += 1 } else { failed += 1 }
                if mode == .none {
                    if !ok { logger.error("delivery failed: \(KafkaError(m.err))") }
                    continue
                }
                if ok && mode == .errorsOnly { continue }
                chunk.append(
                    KafkaDeliveryReport(
                        id: UInt64(UInt(bitPattern: m._private)), topic: topicName(m.rkt), partition: m.partition,
                        offset: m.offset,
                        error: ok ? nil : KafkaError(m.err, context: "delivery to \(topicName(m.rkt))[\(m.partition)]")))
            }
        }
        shared.withLock {
            $0.delivered += delivered
            $0.failed += failed
        }
        space.signal()
        guard !chunk.isEmpty else { return }
        if let reportHandler { reportHandler(chunk) } else { reports.push(chunk) }
    }

    private func topicName(_ rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if let name = ptTopicNames[rkt] { return name }
        let name = String(cString: rd_kafka_topic_name(rkt))
        ptTopicNames[rkt] = name
        return name
    }

    private func handleError(_ event: OpaquePointer) {
        let err = rd_kafka_event_error(event)
        let reason = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
        let fatal = rd_kafka_event_error_is_fatal(event) != 0
        if fatal {
            var buffer = [CChar](repeating: 0, count: 512)
            let original = rd_kafka_fatal_error(client.handle, &buffer, buffer.count)
            let error = KafkaError(
                code: KafkaError.Code(original), message: "fatal producer error: \(String.fromCBuffer(buffer))",
                isFatal: true, isRetriable: false)
            shared.withLock { $0.fatalError = error }
            client.context.recordError(err, reason: error.message, fatal: true)
            space.signal()
        } else {
            client.context.recordError(err, reason: reason, fatal: false)
        }
    }
}
