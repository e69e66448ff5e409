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

extension EngineSnapshotTests {
    /// `snapshot(reusing:)` copies into an earlier snapshot's memory when the sizes match,
    /// with exactly the state a fresh snapshot has, and falls back to a fresh one otherwise.
    @Test func snapshotIntoAnEarlierSnapshotEqualsAFreshOne() throws {
        var configuration = EngineConfiguration.default
        configuration.pendingCapacity = 512
        let engine = Engine(configuration: configuration)
        for i in 0..<2_000 {
            _ = try engine.score(try transaction(i))
            if i % 40 == 9 { _ = engine.learn(Label(transactionID: "t\(i - 5)", isFraud: true, reportedAt: 1_775_000_000_000 + Int64(i) * 45_000)) }
        }
        let first = engine.snapshot()
        // Same cards, terminals and merchants from here on: the tables keep their sizes.
        for i in 2_000..<2_700 { _ = try engine.score(try transaction(i)) }
        let reused = engine.snapshot(reusing: first)
        #expect(reused === first, "the spare's memory is reused")
        #expect(reused.checkpoint() == engine.snapshot().checkpoint())
        #expect(reused.checkpoint() == engine.checkpoint())

        // Another engine's snapshot with other table sizes is not reused.
        let small = Engine(configuration: configuration)
        _ = try small.score(try transaction(1))
        let fallback = engine.snapshot(reusing: small.snapshot())
        #expect(fallback.checkpoint() == engine.checkpoint())
        // Nor is the engine itself.
        #expect(engine.snapshot(reusing: engine) !== engine)
    }
}

/// Hands the (single-owner) snapshot to another task in the test.
final class SnapshotBox: @unchecked Sendable {
    let engine: Engine
    init(engine: Engine) { self.engine = engine }
}
