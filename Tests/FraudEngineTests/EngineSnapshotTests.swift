import FraudEngine
import Testing

/// `Engine.snapshot()`: an independent copy whose checkpoint is the original's at the moment
/// of the copy, usable on another thread while the original goes on.
@Suite struct EngineSnapshotTests {
    func transaction(_ i: Int) throws -> Transaction {
        try TransactionDecoder().decode(
            #"{"transaction_id":"t\#(i)","card_id":"c\#(i % 97)","merchant_id":"m\#(i % 13)","amount":\#(5 + i % 300).5,"currency":"EUR","timestamp":\#(1_775_000_000_000 + Int64(i) * 45_000),"terminal_id":"term-\#(i % 41)"}"#)
    }

    @Test func snapshotCheckpointsLikeTheOriginalAndStaysIndependent() async throws {
        var configuration = EngineConfiguration.default
        configuration.pendingCapacity = 512  // the ring wraps
        let engine = Engine(configuration: configuration)
        for i in 0..<3_000 {
            _ = try engine.score(try transaction(i))
            if i % 50 == 7 { _ = engine.learn(Label(transactionID: "t\(i - 3)", isFraud: true, reportedAt: 1_775_000_000_000 + Int64(i) * 45_000)) }
        }
        let before = engine.checkpoint()
        let snapshot = engine.snapshot()
        #expect(snapshot.checkpoint() == before)

        // The original goes on; the snapshot does not move, even serialised on another thread.
        for i in 3_000..<3_500 { _ = try engine.score(try transaction(i)) }
        #expect(engine.checkpoint() != before)
        let box = SnapshotBox(engine: snapshot)
        let fromTask = await Task.detached { box.engine.checkpoint() }.value
        #expect(fromTask == before)

        // And it continues exactly as an engine restored from the same moment.
        let restored = try Engine(checkpoint: before)
        for i in 3_000..<3_200 {
            #expect(try snapshot.score(try transaction(i)) == (try restored.score(try transaction(i))))
        }
    }
}

/// Hands the (single-owner) snapshot to another task in the test.
final class SnapshotBox: @unchecked Sendable {
    let engine: Engine
    init(engine: Engine) { self.engine = engine }
}
