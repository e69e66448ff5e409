internal import CRdKafka

extension RDKafkaClient {
    /// Waits up to 100 ms for one message (serving callbacks meanwhile), then takes whatever
    /// else is already fetched on `queue` without waiting, up to `capacity` in all, into
    /// `buffer`. Returns how many were taken (0: none arrived). The caller owns them.
    func pollBatch(
        queue: OpaquePointer, into buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>,
        capacity: Int
    ) -> Int {
        guard let first = rd_kafka_consumer_poll(handle, 100) else { return 0 }
        buffer[0] = first
        guard capacity > 1 else { return 1 }
        let more = rd_kafka_consume_batch_queue(queue, 0, buffer + 1, capacity - 1)
        return more > 0 ? 1 + more : 1
    }
}
