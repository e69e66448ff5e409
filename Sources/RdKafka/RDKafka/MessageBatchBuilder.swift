internal import CRdKafka

/// Copies polled `rd_kafka_message_t`s into a ``KafkaMessageBatch`` (one allocation for all
/// keys and values, one for the entries). Lives on the poll thread.
struct MessageBatchBuilder {
    private var topicCache: [(rkt: OpaquePointer, name: String)] = []

    /// Topic name of `rkt`, cached by handle pointer (topic handles live as long as the client).
    mutating func topicName(_ rkt: OpaquePointer) -> String {
        for entry in topicCache where entry.rkt == rkt { return entry.name }
        let name = String(cString: rd_kafka_topic_name(rkt))
        topicCache.append((rkt, name))
        return name
    }

    /// Builds a batch from `messages[0..<count]` (all must have `err == 0`). Does not destroy them.
    mutating func build(_ messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>, count: Int)
        -> KafkaMessageBatch
    {
        var total = 0
        for i in 0..<count {
            let m = messages[i]!.pointee
            total += m.key_len + m.len
        }
        var topics: [String] = []
        var topicHandles: [OpaquePointer] = []
        var headerSets: [[KafkaHeader]] = []
        var entries: [KafkaMessageBatch.Entry] = []
        entries.reserveCapacity(count)

        let storage = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            var cursor = 0
            for i in 0..<count {
                let message = messages[i]!
                let m = message.pointee
                var keyLength: Int32 = -1
                let keyStart = cursor
                if let key = m.key {
                    if m.key_len > 0 {
                        (buffer.baseAddress! + cursor).initialize(
                            from: key.assumingMemoryBound(to: UInt8.self), count: m.key_len)
                    }
                    cursor += m.key_len
                    keyLength = Int32(m.key_len)
                }
                var valueLength: Int32 = -1
                let valueStart = cursor
                if let payload = m.payload {
                    if m.len > 0 {
                        (buffer.baseAddress! + cursor).initialize(
                            from: payload.assumingMemoryBound(to: UInt8.self), count: m.len)
                    }
                    cursor += m.len
                    valueLength = Int32(m.len)
                }
                let rkt = m.rkt!
                var topicIndex = -1
                for (index, handle) in topicHandles.enumerated() where handle == rkt {
                    topicIndex = index
                    break
                }
                if topicIndex < 0 {
                    topicIndex = topics.count
                    topicHandles.append(rkt)
                    topics.append(topicName(rkt))
                }
                var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
                let timestamp = rd_kafka_message_timestamp(message, &timestampType)
                var headerIndex: Int32 = -1
                if let headers = Self.headers(of: message) {
                    headerIndex = Int32(headerSets.count)
                    headerSets.append(headers)
                }
                entries.append(
                    KafkaMessageBatch.Entry(
                        offset: m.offset, timestamp: timestamp, keyStart: keyStart, valueStart: valueStart,
                        keyLength: keyLength, valueLength: valueLength, partition: m.partition,
                        topicIndex: UInt16(truncatingIfNeeded: topicIndex),
                        timestampType: UInt8(truncatingIfNeeded: timestampType.rawValue),
                        headerIndex: headerIndex))
            }
            initialized = cursor
        }
        return KafkaMessageBatch(storage: storage, entries: entries, topics: topics, headerSets: headerSets)
    }

    private static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader]? {
        var hdrs: OpaquePointer?
        guard rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs else { return nil }
        var result: [KafkaHeader] = []
        var index = 0
        while true {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(hdrs, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else {
                break
            }
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            result.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: bytes))
            index += 1
        }
        return result.isEmpty ? nil : result
    }
}
