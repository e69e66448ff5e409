@testable import FraudPipeline
import Testing

/// The online ROC AUC over matured labels.
@Suite struct MaturedAUCTests {
    let day: Int64 = 86_400_000

    @Test func countsOnlyMaturedTransactionsAndRanksThem() {
        var auc = MaturedAUC(maturity: 30 * day, capacity: 1_000)
        // Frauds score high, legitimate ones low: a perfect ranking.
        for i in 0..<100 {
            let fraud = i % 10 == 0
            auc.scored(key: UInt64(i), time: Int64(i) * 1000, score: fraud ? 0.9 : 0.1)
            if fraud { auc.reportedFraud(key: UInt64(i)) }
        }
        auc.advance(to: 29 * day)
        #expect(auc.auc == nil, "nothing matured before 30 days")
        #expect(auc.pending == 100)
        auc.advance(to: 31 * day)
        #expect(auc.pending == 0)
        #expect(auc.maturedPositives == 10 && auc.maturedNegatives == 90)
        #expect(auc.auc == 1)
    }

    @Test func reversedTiedAndLateReports() {
        var reversed = MaturedAUC(maturity: day, capacity: 100)
        reversed.scored(key: 1, time: 0, score: 0.2)
        reversed.reportedFraud(key: 1)
        reversed.scored(key: 2, time: 0, score: 0.8)
        reversed.advance(to: 2 * day)
        #expect(reversed.auc == 0)

        var tied = MaturedAUC(maturity: day, capacity: 100)
        tied.scored(key: 1, time: 0, score: 0.5)
        tied.reportedFraud(key: 1)
        tied.scored(key: 2, time: 0, score: 0.5)
        tied.advance(to: 2 * day)
        #expect(tied.auc == 0.5)
        // A report after maturity is too late to count (and does not crash).
        tied.reportedFraud(key: 2)
        #expect(tied.maturedPositives == 1)
    }

    @Test func capacityMaturesTheOldestEarly() {
        var auc = MaturedAUC(maturity: 30 * day, capacity: 3)
        for i in 0..<5 { auc.scored(key: UInt64(i), time: 0, score: 0.5) }
        #expect(auc.pending == 3)
        #expect(auc.maturedNegatives == 2)
        auc.reportedFraud(key: 4)
        auc.advance(to: 31 * day)
        #expect(auc.maturedPositives == 1 && auc.maturedNegatives == 4)
    }

    /// The ring and its open-addressing index against a plain list, over a seeded random mix
    /// of scores (repeated keys included), reports (some for unknown keys) and clock moves,
    /// with a capacity small enough that the ring wraps and the index grows and deletes.
    @Test func agreesWithAPlainListOnARandomMix() {
        struct Reference {
            var entries: [(key: UInt64, time: Int64, bin: Int, reported: Bool)] = []
            var positives = [UInt64](repeating: 0, count: MaturedAUC.bins)
            var negatives = [UInt64](repeating: 0, count: MaturedAUC.bins)
            let maturity: Int64
            let capacity: Int
            mutating func matureFirst() {
                let e = entries.removeFirst()
                if e.reported { positives[e.bin] += 1 } else { negatives[e.bin] += 1 }
            }
            mutating func scored(key: UInt64, time: Int64, score: Double) {
                if entries.count >= capacity { matureFirst() }
                entries.append((key, time, min(MaturedAUC.bins - 1, max(0, Int(score * Double(MaturedAUC.bins)))), false))
            }
            mutating func reported(key: UInt64) {
                if let i = entries.lastIndex(where: { $0.key == key }) { entries[i].reported = true }
            }
            mutating func advance(to now: Int64) {
                while let first = entries.first, now - first.time > maturity { matureFirst() }
            }
        }
        var rng = SplitMix(seed: 7)
        for capacity in [1, 5, 300, 5_000] {
            var auc = MaturedAUC(maturity: 1_000, capacity: capacity)
            var reference = Reference(maturity: 1_000, capacity: capacity)
            var now: Int64 = 0
            for _ in 0..<20_000 {
                let r = rng.next() % 100
                if r < 70 {
                    now += Int64(rng.next() % 20)
                    let key = rng.next() % 4_000  // repeats happen
                    let score = Double(rng.next() % 10_000) / 10_000
                    auc.scored(key: key, time: now, score: score)
                    reference.scored(key: key, time: now, score: score)
                } else if r < 85 {
                    let key = rng.next() % 5_000  // some never scored
                    auc.reportedFraud(key: key)
                    reference.reported(key: key)
                } else {
                    auc.advance(to: now)
                    reference.advance(to: now)
                }
                #expect(auc.pending == reference.entries.count)
            }
            #expect(auc.positives == reference.positives, "capacity \(capacity)")
            #expect(auc.negatives == reference.negatives, "capacity \(capacity)")
            // Large enough rings keep reported transactions until they mature: both classes seen.
            if capacity >= 300 { #expect(auc.maturedPositives > 0 && auc.maturedNegatives > 0) }
        }
    }

    /// A small seeded generator for the test (SplitMix64).
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
