import FraudEngine
import FraudRules
import RdKafka

/// What one scored transaction sends: its alert (when the rules took an action) and its
/// decision record (when the decision log is on), with the output ids already taken from
/// the chunk's numbering (see ``DeliveryLedger``).
struct OutputJob: Sendable {
    /// The decision; its own ``Decision/reasons`` is empty: they are in the batch's
    /// ``OutputBatch/reasons`` at ``reasons``.
    var decision: Decision
    /// Where the decision's reasons are in ``OutputBatch/reasons``.
    var reasons: Range<Int>
    var transaction: Transaction
    var verdict: RuleOutcome
    var source: InputPosition
    /// The labels applied since the previous decision (the record's `labels_before`).
    var labelsBefore: [InputPosition]
    var processedAt: Int64
    /// Output id of the alert; nil: no action, no alert.
    var alertID: UInt64?
    /// Output id of the decision record; nil: the decision log is off.
    var decisionID: UInt64?
}

/// Jobs handed to the ``OutputStage`` at once, with their decisions' reasons in one array.
///
/// The stage gives each batch back emptied but with its capacity (``OutputStage/submit(_:)``),
/// so that filling the next one allocates nothing: no array per hand-over, and none per
/// decision's reasons allocated by the processing task and freed by the stage's thread.
/// (No end-to-end change was measurable on the noisy host of 2026-12-07; the hand-over's
/// time, about a sixth of the processing task's loop, is mostly the task losing its core.)
struct OutputBatch: Sendable {
    private(set) var jobs: [OutputJob] = []
    /// The reasons of every job's decision, each job's at its ``OutputJob/reasons``.
    var reasons: [ReasonCode] = []

    init() {}

    init(capacity: Int) {
        jobs.reserveCapacity(capacity)
        reasons.reserveCapacity(capacity * 4)
    }

    var count: Int { jobs.count }
    var isEmpty: Bool { jobs.isEmpty }

    /// Appends a job whose decision's reasons are already in ``reasons`` at its
    /// ``OutputJob/reasons``.
    mutating func append(_ job: consuming OutputJob) {
        jobs.append(job)
    }

    /// Appends `job`, with `decisionReasons` appended to ``reasons`` for it.
    mutating func append(_ job: consuming OutputJob, reasons decisionReasons: [ReasonCode]) {
        let start = reasons.count
        reasons.append(contentsOf: decisionReasons)
        job.reasons = start..<reasons.count
        jobs.append(job)
    }

    /// The reasons of `job`.
    func reasons(of job: OutputJob) -> ArraySlice<ReasonCode> { reasons[job.reasons] }

    mutating func removeAll() {
        jobs.removeAll(keepingCapacity: true)
        reasons.removeAll(keepingCapacity: true)
    }
}

/// Encodes and sends the alerts and decision records of scored transactions on a task of
/// its own, so that the processing task scores the next transactions meanwhile (encoding
/// and handing the records to librdkafka were about a third of the processing task, perf
/// 2026-12-07).
///
/// Jobs are sent in submission order (one worker), so the order of the outputs per card is
/// the order of the scores, as when the processing task sent them itself. A chunk's
/// bookkeeping does not change: ``ScoringCore`` calls ``drain()`` before it returns, so
/// every output of the chunk has been handed to the producer before the chunk is sealed,
/// committed or checkpointed, and a send's error ends the chunk as it did before.
final class OutputStage: Sendable {
    private struct State {
        var submitted = 0
        var completed = 0
        /// The first error of a send; later jobs are skipped until ``drain()`` reports it.
        var failure: (any Error)?
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Emptied batches with their capacity, for ``submit(_:)`` to hand back.
        var recycled: [OutputBatch] = []
    }

    /// Batches kept for reuse: the processing task fills one while the stage sends another.
    private static let recycledLimit = 4
    private let state = LockedValue(State())
    private let jobs: AsyncStream<OutputBatch>.Continuation

    init(producer: KafkaProducer, topics: PipelineTopics, modelVersion: ModelVersion, run: String) {
        let (stream, continuation) = AsyncStream.makeStream(of: OutputBatch.self)
        jobs = continuation
        let state = self.state
        Task {
            let alertEncoder = AlertEncoder()
            let decisionEncoder = DecisionRecordEncoder()
            var alertBuffer: [UInt8] = []
            var decisionBuffer: [UInt8] = []
            alertBuffer.reserveCapacity(1024)
            decisionBuffer.reserveCapacity(1024)
            var batches = stream.makeAsyncIterator()
            while var batch = await batches.next() {
                var failure: (any Error)?
                if state.withLock({ $0.failure == nil }) {
                    do {
                        for job in batch.jobs {
                            if let id = job.alertID, let action = job.verdict.action {
                                alertBuffer.removeAll(keepingCapacity: true)
                                alertEncoder.encode(
                                    decision: job.decision, action: action, verdict: job.verdict,
                                    modelVersion: modelVersion, processedAt: job.processedAt,
                                    reasons: batch.reasons(of: job), into: &alertBuffer)
                                try await producer.send(
                                    topic: topics.alerts, key: job.decision.cardID.utf8, value: alertBuffer, id: id)
                            }
                            if let id = job.decisionID {
                                decisionBuffer.removeAll(keepingCapacity: true)
                                decisionEncoder.encode(
                                    decision: job.decision, transaction: job.transaction, verdict: job.verdict,
                                    modelVersion: modelVersion, run: run, source: job.source,
                                    labelsBefore: job.labelsBefore, processedAt: job.processedAt,
                                    reasons: batch.reasons(of: job), into: &decisionBuffer)
                                try await producer.send(
                                    topic: topics.decisions, key: job.decision.cardID.utf8, value: decisionBuffer, id: id)
                            }
                        }
                    } catch {
                        failure = error
                    }
                }
                let sent = batch.count
                batch.removeAll()
                let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                    if s.failure == nil, let failure { s.failure = failure }
                    if s.recycled.count < Self.recycledLimit { s.recycled.append(batch) }
                    s.completed += sent
                    guard s.completed == s.submitted else { return [] }
                    defer { s.waiters.removeAll() }
                    return s.waiters
                }
                for waiter in waiters { waiter.resume() }
            }
        }
    }

    deinit { jobs.finish() }

    /// Queues `batch` (not empty) to be encoded and sent after everything queued before,
    /// and leaves in `batch` an empty one to fill next (a recycled one when there is one).
    func submit(_ batch: inout OutputBatch) {
        precondition(!batch.isEmpty)
        let count = batch.count
        let next = state.withLock { s -> OutputBatch? in
            s.submitted += count
            return s.recycled.popLast()
        }
        jobs.yield(batch)
        batch = next ?? OutputBatch(capacity: count)
    }

    /// Waits until every submitted job was sent (handed to the producer); rethrows the first
    /// send error since the last drain (the jobs after it were not sent).
    func drain() async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.completed == s.submitted { return true }
                s.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        let failure = state.withLock { s -> (any Error)? in
            defer { s.failure = nil }
            return s.failure
        }
        if let failure { throw failure }
    }
}
