import Testing

@testable import RdKafka

/// The hand-over's bound: `capacity` full batches' worth of messages, so that a consumer
/// keeping up with a steady stream (a small batch per fetch response) does not pause fetching
/// when the application stalls for a few batches.
@Suite struct ConsumerHandOverTests {
    /// A batch of `count` one-byte messages of partition 0 of topic "t".
    static func batch(_ count: Int, from offset: Int64 = 0) -> KafkaMessageBatch {
        let entries = (0..<count).map { i in
            KafkaMessageBatch.Entry(
                offset: offset + Int64(i), timestamp: -1, keyStart: 0, valueStart: i, keyLength: -1, valueLength: 1,
                partition: 0, topicIndex: 0, timestampType: 0, headerIndex: -1)
        }
        return KafkaMessageBatch(storage: [UInt8](repeating: 1, count: count), entries: entries, topics: ["t"], headerSets: [])
    }

    @Test func smallBatchesDoNotCountAsFullOnes() {
        let handOver = ConsumerHandOver(capacity: 2, maxBatchSize: 100) {}
        for i in 0..<20 {
            #expect(handOver.hasSpace, "room after \(i) one-message batches")
            handOver.push(Self.batch(1, from: Int64(i)))
        }
        #expect(handOver.hasSpace)
        #expect(handOver.highWaterMark == 20)
    }

    @Test func theBoundIsCapacityTimesTheBatchSizeInMessages() async throws {
        let handOver = ConsumerHandOver(capacity: 2, maxBatchSize: 100) {}
        handOver.push(Self.batch(100))
        #expect(handOver.hasSpace, "room for a second full batch")
        handOver.push(Self.batch(60, from: 100))
        #expect(!handOver.hasSpace, "160 messages held: another full batch would exceed 200")
        #expect(!handOver.isAtMostHalfFull)
        let first = try await handOver.next()
        #expect(first?.count == 100)
        #expect(handOver.hasSpace)
        #expect(handOver.isAtMostHalfFull, "60 of 200 held")
    }

    @Test func manyTinyBatchesAreBoundedToo() {
        let handOver = ConsumerHandOver(capacity: 2, maxBatchSize: 100) {}
        var pushed = 0
        while handOver.hasSpace && pushed < 1_000 {
            handOver.push(Self.batch(1, from: Int64(pushed)))
            pushed += 1
        }
        #expect(pushed == 64, "32 batches per unit of capacity")
    }

    @Test func removingPartitionsReleasesTheirMessages() {
        let handOver = ConsumerHandOver(capacity: 2, maxBatchSize: 100) {}
        handOver.push(Self.batch(100))
        handOver.push(Self.batch(60, from: 100))
        #expect(!handOver.hasSpace)
        handOver.remove([KafkaTopicPartition(topic: "t", partition: 0)])
        #expect(handOver.hasSpace)
        #expect(handOver.isAtMostHalfFull)
    }
}
