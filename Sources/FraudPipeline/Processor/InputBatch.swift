import FraudEngine
import RdKafka

/// A consumed batch with its decoded events, held once while its messages wait in the
/// ``EventTimeMerger``: the merger's items refer to it by position (``InputMessage``), so
/// merging and releasing move a few bytes per message instead of the message, its event
/// and its keys (about 380 bytes with several references to retain, copied four times on
/// the way to the engine: a tenth of the processing task, perf 2026-12-07).
final class InputBatch: Sendable {
    let messages: KafkaMessageBatch
    /// What each message decoded to, its event time and its keys.
    let decoded: DecodedBatch

    /// A batch decoded on the consumer's poll thread.
    init(_ messages: KafkaMessageBatch, decoded: DecodedBatch) {
        precondition(decoded.events.count == messages.count, "decoded events of another batch")
        self.messages = messages
        self.decoded = decoded
    }

    /// Decodes `messages` here.
    convenience init(_ messages: KafkaMessageBatch, decoder: InputDecoder) {
        self.init(messages, decoded: DecodedBatch(messages, decoder: decoder))
    }

    var count: Int { messages.count }
    /// Event time of message `i` (nil for rejected input).
    func time(at i: Int) -> Int64? { decoded.times[i] }
}

/// One message of an ``InputBatch``, as the ``EventTimeMerger`` holds it.
struct InputMessage {
    let batch: InputBatch
    let index: Int

    /// Its producer's timestamp (create time), nil when it has none. Read when the message
    /// is merged, next to its partition and offset: read when it is scored, the batch's
    /// entry (written on the poll thread, long evicted) was a cache miss, 3 % of the loop.
    let createTime: Int64?

    init(batch: InputBatch, index: Int) {
        self.batch = batch
        self.index = index
        createTime = batch.messages.createTime(at: index)
    }

    /// The consumed message (read in place from the batch buffer).
    var message: KafkaMessage { batch.messages[index] }
    /// What it decoded to.
    var event: InputEvent { batch.decoded.events[index] }
    /// The engine keys of a transaction; nil for the other events.
    var keys: TransactionKeys? { batch.decoded.keys[index] }
}
