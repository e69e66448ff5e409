import FraudEngine
import RdKafka

/// Decodes input messages exactly as the live processor does, for it and for the replays
/// and audits that must see the same events: a message of the transactions topic is a
/// transaction, any other a label (its timestamp the default `reported_at`); tombstones,
/// oversized messages and malformed JSON are rejected with a reason code, field and text.
struct InputDecoder: Sendable {
    let transactionsTopic: String
    let maxMessageBytes: Int
    private let transactionDecoder: TransactionDecoder
    private let labelDecoder: LabelDecoder

    init(transactionsTopic: String, maxMessageBytes: Int) {
        self.transactionsTopic = transactionsTopic
        self.maxMessageBytes = maxMessageBytes
        var limits = DecoderLimits.default
        limits.maxMessageBytes = maxMessageBytes
        transactionDecoder = TransactionDecoder(limits: limits)
        labelDecoder = LabelDecoder(limits: limits)
    }

    /// Decodes `message`: its event and event time (nil for rejected input, which never
    /// reaches the engine).
    func decode(_ message: KafkaMessage) -> (event: InputEvent, time: Int64?) {
        guard let value = message.value else {
            return (.rejected(reason: DeadLetterHeaders.tombstoneReason, field: nil, text: "null value (tombstone)"), nil)
        }
        if value.count > maxMessageBytes {
            return (
                .rejected(
                    reason: DecodeError.Kind.tooLarge.rawValue, field: nil,
                    text: "message of \(value.count) bytes exceeds the limit of \(maxMessageBytes) bytes"), nil
            )
        }
        if message.topic == transactionsTopic {
            let decoded: Result<Transaction, DecodeError> = value.withUnsafeBytes { bytes in
                Result { () throws(DecodeError) in try transactionDecoder.decode(bytes) }
            }
            switch decoded {
            case .success(let transaction): return (.transaction(transaction), transaction.timestamp)
            case .failure(let error): return (.rejected(reason: error.reasonCode, field: error.field, text: error.message), nil)
            }
        }
        let decoded: Result<Label, DecodeError> = value.withUnsafeBytes { bytes in
            Result { () throws(DecodeError) in try labelDecoder.decode(bytes, defaultReportedAt: message.timestamp) }
        }
        switch decoded {
        case .success(let label): return (.label(label), label.reportedAt)
        case .failure(let error): return (.rejected(reason: error.reasonCode, field: error.field, text: error.message), nil)
        }
    }
}

/// A consumed batch decoded on the consumer's poll thread (see
/// ``RdKafka/KafkaConsumerConfiguration/prepareBatch``), so that decoding overlaps with the
/// processing task's scoring of the batches before: message `i` of the batch decoded to
/// `events[i]` at event time `times[i]`.
struct DecodedBatch: Sendable {
    var events: [InputEvent]
    var times: [Int64?]
    /// The engine keys of each transaction (nil for the other messages), hashed here too.
    var keys: [TransactionKeys?]

    init(_ batch: KafkaMessageBatch, decoder: InputDecoder) {
        events = []
        times = []
        keys = []
        events.reserveCapacity(batch.count)
        times.reserveCapacity(batch.count)
        keys.reserveCapacity(batch.count)
        for message in batch {
            let (event, time) = decoder.decode(message)
            events.append(event)
            times.append(time)
            keys.append(event.transactionKeys)
        }
    }
}
