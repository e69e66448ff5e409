internal import CRdKafka

/// Conversions between Swift partition collections and `rd_kafka_topic_partition_list_t`.
/// Lists returned by `make` are owned by the caller (`rd_kafka_topic_partition_list_destroy`).
enum TopicPartitionList {
    typealias Pointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    static func make(_ partitions: some Collection<KafkaTopicPartition>) -> Pointer {
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: partitions.count))!
        for tp in partitions { rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition) }
        return list
    }

    static func make(offsets: [KafkaTopicPartition: Int64]) -> Pointer {
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: offsets.count))!
        for (tp, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition)!.pointee.offset = offset
        }
        return list
    }

    static func withList<R, E: Error>(
        _ partitions: some Collection<KafkaTopicPartition>, _ body: (Pointer) throws(E) -> R
    ) throws(E) -> R {
        let list = make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }

    static func withList<R, E: Error>(
        offsets: [KafkaTopicPartition: Int64], _ body: (Pointer) throws(E) -> R
    ) throws(E) -> R {
        let list = make(offsets: offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }

    static func partitions(_ list: Pointer) -> [KafkaTopicPartition] {
        (0..<Int(list.pointee.cnt)).map { i in
            let e = list.pointee.elems[i]
            return KafkaTopicPartition(topic: String(cString: e.topic), partition: e.partition)
        }
    }

    static func offsets(_ list: Pointer) -> [KafkaTopicPartition: Int64] {
        var result: [KafkaTopicPartition: Int64] = [:]
        for i in 0..<Int(list.pointee.cnt) {
            let e = list.pointee.elems[i]
            result[KafkaTopicPartition(topic: String(cString: e.topic), partition: e.partition)] = e.offset
        }
        return result
    }

    /// The first per-partition error of the list, if any.
    static func firstError(_ list: Pointer, context: String) -> KafkaError? {
        for i in 0..<Int(list.pointee.cnt) {
            let e = list.pointee.elems[i]
            if e.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                return KafkaError(e.err, context: "\(context) \(String(cString: e.topic))[\(e.partition)]")
            }
        }
        return nil
    }
}
