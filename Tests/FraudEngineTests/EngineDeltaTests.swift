import FraudModels
import Testing

@testable import FraudEngine

/// Incremental checkpoints: an engine rebuilt from a full checkpoint plus deltas equals the
/// original byte for byte and decides the same from then on.
@Suite struct EngineDeltaTests {
    typealias S = TestStream

    @Test(arguments: [false, true])
    func deltasRebuildTheEngineExactly(churning: Bool) throws {
        let configuration = churning ? S.churningConfiguration() : S.smallConfiguration()
        let events = S.events(days: 8)
        let tail = events.count * 3 / 4
        let live = Engine(configuration: configuration)
        // Rebuilt from the deltas as they come, and from their bytes.
        let shadow = Engine(configuration: configuration)
        let decoded = Engine(configuration: configuration)
        var cut = 0
        var deltas = 0
        // Deltas of many sizes, from one event to hundreds, many while entities are evicted.
        let steps = [1, 7, 30, 2, 120, 13, 400]
        while cut < tail {
            let end = min(tail, cut + steps[deltas % steps.count])
            try S.run(live, events[cut..<end])
            let delta = live.takeDelta()
            try shadow.apply(delta)
            try decoded.apply(try EngineDelta(decoding: delta.encoded()))
            // Compared as Bools: a failure would otherwise print megabytes.
            let expected = live.checkpoint()
            let fromValues = shadow.checkpoint() == expected
            let fromBytes = decoded.checkpoint() == expected
            #expect(fromValues, "delta \(deltas) applied as taken")
            #expect(fromBytes, "delta \(deltas) applied from its bytes")
            cut = end
            deltas += 1
        }
        #expect(deltas > 20)
        if churning {
            #expect(live.statistics.cardEvictions > 0)
            #expect(live.statistics.pendingEvictions > 0)
        }
        // And it goes on deciding bit for bit like the original.
        #expect(try S.run(shadow, events[tail...]) == S.run(live, events[tail...]))
        #expect(try S.run(decoded, events[tail...]).count > 100)
    }

    @Test func fullCheckpointThenDeltasContinueBitIdentically() throws {
        let configuration = S.churningConfiguration()
        let events = S.events(days: 8)
        let live = Engine(configuration: configuration)
        let a = events.count / 4
        #expect(a + 300 < events.count / 2)
        try S.run(live, events[..<a])
        let full = live.checkpoint()
        _ = live.takeDelta()  // the full checkpoint is the base of what follows
        var chain: [[UInt8]] = []
        for range in [a..<(a + 300), (a + 300)..<(events.count / 2)] {
            try S.run(live, events[range])
            chain.append(live.takeDelta().encoded())
        }
        let restored = try Engine(checkpoint: full)
        for bytes in chain { try restored.apply(try EngineDelta(decoding: bytes)) }
        let same = restored.checkpoint() == live.checkpoint()
        #expect(same)
        let rest = events[(events.count / 2)...]
        #expect(try S.run(restored, rest) == S.run(live, rest))
    }

    @Test func aDeltaAppliesOnlyToItsBase() throws {
        let configuration = S.smallConfiguration()
        let events = S.events(days: 8)
        #expect(events.count > 400)
        let live = Engine(configuration: configuration)
        try S.run(live, events[..<200])
        let first = live.takeDelta()
        try S.run(live, events[200..<400])
        let second = live.takeDelta()
        // Skipping the first delta: refused, naming the versions.
        let fresh = Engine(configuration: configuration)
        #expect {
            try fresh.apply(second)
        } throws: { error in
            "\(error)".contains("follows state version \(first.stateVersion)")
        }
        // Another configuration: refused.
        let other = Engine(configuration: S.smallConfiguration(seed: 43))
        #expect(throws: StateError.self) { try other.apply(first) }
        // A damaged byte: the checksum says so.
        var bytes = first.encoded()
        bytes[bytes.count / 2] ^= 0x40
        #expect(throws: StateError.self) { try EngineDelta(decoding: bytes) }
    }

    @Test func deltaCarriesOnlyWhatChanged() throws {
        var configuration = S.smallConfiguration()
        configuration.pendingCapacity = 100_000
        let events = S.events(cards: 150, days: 8)
        let live = Engine(configuration: configuration)
        try S.run(live, events[..<(events.count - 10)])
        let everything = live.takeDelta()
        try S.run(live, events[(events.count - 10)...])
        let small = live.takeDelta()
        #expect(everything.appendedPendingEntries > 1000)
        #expect(small.appendedPendingEntries <= 10)
        #expect(small.changedEntities <= 30)
        #expect(small.encoded().count * 4 < everything.encoded().count)
    }
}
