internal import CRdKafka

/// A consumer's group metadata (group id, generation, member id), needed to commit consumed
/// offsets inside a producer transaction (``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``).
///
/// `@unchecked Sendable` invariant: the wrapped `rd_kafka_consumer_group_metadata_t` is never
/// mutated after creation and is destroyed once, in `deinit`.
public final class KafkaConsumerGroupMetadata: @unchecked Sendable {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { rd_kafka_consumer_group_metadata_destroy(pointer) }
}
