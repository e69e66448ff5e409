@testable import FraudPipeline
import RdKafka
import Testing

/// The merger alone (no Kafka): order, blocking partitions, idle timeout, capacity, revoke.
@Suite struct EventTimeMergerTests {
    typealias Merger = EventTimeMerger<String>
    let t0 = KafkaTopicPartition(topic: "tx", partition: 0)
    let t1 = KafkaTopicPartition(topic: "tx", partition: 1)
    let l0 = KafkaTopicPartition(topic: "labels", partition: 0)

    func drain(_ merger: inout Merger, now: ContinuousClock.Instant, _ availability: Merger.Availability = .none)
        -> (names: [String], blockedUntil: ContinuousClock.Instant?)
    {
        var out: [Merger.Item] = []
        let until = merger.release(now: now, availability: { _, _ in availability }, into: &out)
        return (out.map(\.payload), until)
    }

    @Test func releasesInEventTimeOrderWithLabelsFirstAtEqualTimes() {
        let now = ContinuousClock.now
        var merger = Merger(labelsTopic: "labels", maxWait: .seconds(1), capacity: 100)
        merger.assign([t0, t1, l0], now: now)
        merger.add("t0@10", time: 10, partition: t0, offset: 0)
        merger.add("t0@30", time: 30, partition: t0, offset: 1)
        merger.add("t1@20", time: 20, partition: t1, offset: 0)
        merger.add("t1@30", time: 30, partition: t1, offset: 1)
        merger.add("l0@30", time: 30, partition: l0, offset: 0)
        let (names, blocked) = drain(&merger, now: now)
        #expect(names == ["t0@10", "t1@20", "l0@30", "t0@30", "t1@30"])
        #expect(blocked == nil)
        #expect(merger.buffered == 0)
    }

    @Test func anEmptyPartitionWithMoreToComeBlocksUntilItDeliversOrTimesOut() {
        let start = ContinuousClock.now
        var merger = Merger(labelsTopic: "labels", maxWait: .milliseconds(500), capacity: 100)
        merger.assign([t0, t1], now: start)
        merger.add("t0@10", time: 10, partition: t0, offset: 0)
        merger.add("t0@50", time: 50, partition: t0, offset: 1)
        // t1 has not delivered and may have data: nothing is released.
        var result = drain(&merger, now: start, .more)
        #expect(result.names.isEmpty)
        #expect(result.blockedUntil == start + .milliseconds(500))
        // t1 delivers an earlier event: it goes first; then t1 is empty again and blocks.
        merger.add("t1@5", time: 5, partition: t1, offset: 0)
        result = drain(&merger, now: start + .milliseconds(10), .more)
        #expect(result.names == ["t1@5", "t0@10"] || result.names == ["t1@5"])
        // Still waiting for t1 (with more to come): once maxWait passes, t1 is idle.
        result = drain(&merger, now: start + .milliseconds(600), .more)
        #expect(result.names.last == "t0@50")
        // Now t0 is the empty partition with more to come.
        #expect(result.blockedUntil == start + .milliseconds(1100))
        #expect(merger.forcedReleases == 0)
    }

    @Test func aPartitionKnownToBeCaughtUpDoesNotBlock() {
        let now = ContinuousClock.now
        var merger = Merger(labelsTopic: "labels", maxWait: .seconds(10), capacity: 100)
        merger.assign([t0, l0], now: now)
        merger.add("t0@10", time: 10, partition: t0, offset: 0)
        var out: [Merger.Item] = []
        let blocked = merger.release(
            now: now, availability: { tp, _ in tp == self.l0 ? .none : .more }, into: &out)
        #expect(out.map(\.payload) == ["t0@10"])
        // t0 is now empty with more to come: it blocks (nothing else is held, so nothing waits).
        #expect(blocked == now + .seconds(10))
    }

    @Test func rejectedMessagesWithoutTimeAreNotHeldBack() {
        let now = ContinuousClock.now
        var merger = Merger(labelsTopic: "labels", maxWait: .seconds(10), capacity: 100)
        merger.assign([t0, t1], now: now)
        merger.add("bad", time: nil, partition: t0, offset: 0)
        merger.add("t0@10", time: 10, partition: t0, offset: 1)
        let result = drain(&merger, now: now, .more)
        #expect(result.names == ["bad"])
        #expect(merger.buffered == 1)
    }

    @Test func capacityForcesReleaseAndIsCounted() {
        let now = ContinuousClock.now
        var merger = Merger(labelsTopic: "labels", maxWait: .seconds(10), capacity: 2)
        merger.assign([t0, t1], now: now)
        for i in 0..<5 { merger.add("t0@\(i)", time: Int64(i), partition: t0, offset: Int64(i)) }
        let result = drain(&merger, now: now, .more)
        #expect(result.names == ["t0@0", "t0@1", "t0@2"])
        #expect(merger.buffered == 2)
        #expect(merger.forcedReleases == 3)
    }

    @Test func revokedPartitionsAreDroppedAndUnassignedInputRefused() {
        let now = ContinuousClock.now
        var merger = Merger(labelsTopic: "labels", maxWait: .seconds(1), capacity: 100)
        merger.assign([t0, t1], now: now)
        merger.add("t0@1", time: 1, partition: t0, offset: 0)
        merger.add("t1@2", time: 2, partition: t1, offset: 0)
        let dropped = merger.revoke([t1])
        #expect(dropped == 1)
        let accepted = merger.add("t1@3", time: 3, partition: t1, offset: 1)
        #expect(!accepted)
        #expect(merger.partitions == [t0])
        #expect(drain(&merger, now: now).names == ["t0@1"])
        #expect(merger.nextOffset(of: t0) == 1)
        #expect(merger.nextOffset(of: t1) == nil)
    }

    @Test func aLimitReleasesInPartsAndAsksToBeCalledAgain() {
        let now = ContinuousClock.now
        var merger = Merger(labelsTopic: "labels", maxWait: .seconds(1), capacity: 100)
        merger.assign([t0], now: now)
        for i in 0..<5 { merger.add("t0@\(i)", time: Int64(i), partition: t0, offset: Int64(i)) }
        var out: [Merger.Item] = []
        let again = merger.release(now: now, availability: { _, _ in .none }, into: &out, limit: 2)
        #expect(out.map(\.payload) == ["t0@0", "t0@1"])
        #expect(again == now)
        out.removeAll()
        _ = merger.release(now: now, availability: { _, _ in .none }, into: &out, limit: 10)
        #expect(out.map(\.payload) == ["t0@2", "t0@3", "t0@4"])
    }
}
