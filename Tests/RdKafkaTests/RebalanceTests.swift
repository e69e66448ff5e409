import Testing

@testable import RdKafka

/// Records what a consumer's rebalance hook saw.
final class RebalanceLog: Sendable {
    enum Event: Equatable, Sendable {
        case assign(Int)
        case revoke(Int, assignedDuringHook: Int)
    }

    let events = Locked<[Event]>([])
    let consumer = Locked<KafkaConsumer?>(nil)
    let processed = Locked<[KafkaMessage]>([])
    /// Held while a batch is processed; the revoke hook takes it to wait for in-flight work.
    let processing = Locked<Void>(())
    /// Revoke-hook commits that failed (the mock cluster refuses commits while a rebalance
    /// is in progress: REBALANCE_IN_PROGRESS).
    let commitFailures = Locked<[String]>([])

    var listener: KafkaRebalanceListener {
        KafkaRebalanceListener(
            onAssign: { [self] partitions in
                events.withLock { $0.append(.assign(partitions.count)) }
                return [:]
            },
            onRevoke: { [self] revocation in
                let consumer = consumer.withLock { $0 }
                // Still assigned: the hook runs before unassign.
                let assigned = (try? consumer?.assignment().count) ?? -1
                processing.withLock { _ in }
                do {
                    try await consumer?.commit()
                } catch {
                    commitFailures.withLock { $0.append("\(error)") }
                }
                events.withLock { $0.append(.revoke(revocation.partitions.count, assignedDuringHook: assigned)) }
            })
    }

    func consumeInBackground() -> Task<Void, any Error> {
        let consumer = consumer.withLock { $0 }!
        return Task {
            for try await batch in consumer.batches {
                try processing.withLock { _ in
                    processed.withLock { $0.append(contentsOf: batch) }
                    try consumer.storeOffsets(of: batch)
                }
            }
        }
    }
}

extension RdKafkaTests {
    @Suite struct RebalanceTests {
        @Test func membersSplitPartitionsAndTheSurvivorTakesOverAfterRevokeHook() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["cards": 8], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let a = RebalanceLog()
            let b = RebalanceLog()
            a.consumer.withLock {
                $0 = try? KafkaConsumer(
                    configuration: consumerConfiguration(cluster, group: "rebalance"), topics: ["cards"],
                    rebalanceListener: a.listener, logger: testLogger)
            }
            let consumerA = try #require(a.consumer.withLock { $0 })
            let taskA = a.consumeInBackground()
            try await eventually(60, "A owns all partitions") { try consumerA.assignment().count == 8 }

            b.consumer.withLock {
                $0 = try? KafkaConsumer(
                    configuration: consumerConfiguration(cluster, group: "rebalance"), topics: ["cards"],
                    rebalanceListener: b.listener, logger: testLogger)
            }
            let consumerB = try #require(b.consumer.withLock { $0 })
            let taskB = b.consumeInBackground()
            try await eventually(60, "A and B split the partitions") {
                let pa = Set(try consumerA.assignment())
                let pb = Set(try consumerB.assignment())
                return !pa.isEmpty && !pb.isEmpty && pa.isDisjoint(with: pb) && pa.union(pb).count == 8
            }

            // Phase 1: both consume.
            _ = try await produceAll(
                producer, (0..<800).map { KafkaProducerMessage(topic: "cards", key: "card-\($0 % 50)", value: "\($0)") })
            try await eventually(60, "800 consumed by A and B") {
                a.processed.withLock { $0.count } + b.processed.withLock { $0.count } >= 800
            }
            let phase1 = a.processed.withLock { $0 } + b.processed.withLock { $0 }
            #expect(phase1.count == 800)
            #expect(Set(phase1.map(\.valueString!)).count == 800)
            #expect(!a.processed.withLock { $0 }.isEmpty && !b.processed.withLock { $0 }.isEmpty)

            // B leaves: its revoke hook runs (still assigned, commits), then A takes everything.
            try await consumerB.close()
            taskB.cancel()
            let bEvents = b.events.withLock { $0 }
            guard case .revoke(let revoked, let assignedDuringHook)? = bEvents.last else {
                Issue.record("B's revoke hook did not run: \(bEvents)")
                return
            }
            #expect(revoked > 0 && assignedDuringHook == revoked, "hook ran before unassign")
            try await eventually(60, "A owns all partitions again") { try consumerA.assignment().count == 8 }
            let aEvents = a.events.withLock { $0 }
            #expect(aEvents.last == .assign(8))
            #expect(aEvents.contains { if case .revoke = $0 { true } else { false } })

            // Phase 2: A alone gets exactly the new messages (no re-delivery of phase 1).
            let before = a.processed.withLock { $0.count }
            _ = try await produceAll(
                producer, (800..<1600).map { KafkaProducerMessage(topic: "cards", key: "card-\($0 % 50)", value: "\($0)") })
            try await eventually(60, "A consumed phase 2") { a.processed.withLock { $0.count } >= before + 800 }
            try await Task.sleep(for: .milliseconds(500))
            let phase2 = a.processed.withLock { Array($0[before...]) }
            let values = phase2.map { Int($0.valueString!)! }
            // Every new message exactly once.
            #expect(values.filter { $0 >= 800 }.sorted() == Array(800..<1600))
            let failures = a.commitFailures.withLock { $0 } + b.commitFailures.withLock { $0 }
            if failures.isEmpty {
                #expect(phase2.count == 800, "no re-delivery of phase 1 when the revoke commits went through")
            } else {
                // The mock refused a revoke commit (a real broker accepts the revoking member's):
                // the last committed offsets are older, so some of phase 1 comes again — at least
                // once, nothing lost, nothing but phase 1 repeated.
                #expect(Set(values).count == values.count, "a re-delivered message comes once more, not more")
            }

            try await consumerA.close()
            taskA.cancel()
            try await producer.close()
        }
    }
}
