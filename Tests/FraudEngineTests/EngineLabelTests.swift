import FraudModels
import Testing

@testable import FraudEngine

@Suite struct EngineLabelTests {
    typealias S = TestStream

    @Test func delayedLabelJoinsTheFeaturesAsScored() throws {
        let e = Engine(configuration: S.smallConfiguration())
        _ = try e.score(S.tx("target", card: "c1", amount: "300", at: S.t0))
        // Much happens in between: statistics, standardiser and entity state all move on.
        try S.run(e, S.events(days: 3)[...].prefix(2000))
        let p = try #require(e.pending.find(Engine.transactionKey("target")))
        let row = (0..<e.denseCount).map { Double(e.pending.denseRow(p)[$0]) }
        let slots = (0..<e.sparseCount).map { e.pending.sparseRow(p)[$0] }
        var expected = e.model
        let c = e.configuration
        let learnedNegative = e.pending.flags[p] & PendingBuffer.learnedNegative != 0
        expected.learn(dense: row, sparse: slots, label: true, weight: 1 + (learnedNegative ? e.presumedWeight / c.positiveWeight : 0))
        #expect(e.learn(Label(transactionID: "target", isFraud: true, reportedAt: S.t0 + S.day)) == .learnedFraud)
        for i in 0...e.denseCount {
            #expect(e.model.denseWeight(at: i).bitPattern == expected.denseWeight(at: i).bitPattern)
        }
        for s in slots { #expect(e.model.sparseWeight(slot: s).bitPattern == expected.sparseWeight(slot: s).bitPattern) }
    }

    @Test func unknownDuplicateConfirmedAndCorrectedLabelsAreCounted() throws {
        var c = S.smallConfiguration()
        c.presumedNegativeSampleRate = 1  // every presumed negative learned: "b" is confirmed
        let e = Engine(configuration: c)
        _ = try e.score(S.tx("a", at: S.t0))
        _ = try e.score(S.tx("b", at: S.t0 + 1))
        #expect(e.learn(Label(transactionID: "nope", isFraud: true, cardID: "card-9", reportedAt: S.t0 + 2)) == .unknownTransaction)
        #expect(e.learn(Label(transactionID: "a", isFraud: true, reportedAt: S.t0 + 3)) == .learnedFraud)
        #expect(e.learn(Label(transactionID: "a", isFraud: true, reportedAt: S.t0 + 4)) == .duplicate)
        #expect(e.learn(Label(transactionID: "a", isFraud: false, reportedAt: S.t0 + 5)) == .corrected)
        #expect(e.learn(Label(transactionID: "b", isFraud: false, reportedAt: S.t0 + 6)) == .confirmedLegitimate)
        #expect(e.learn(Label(transactionID: "b", isFraud: false, reportedAt: S.t0 + 7)) == .duplicate)
        let s = e.statistics
        #expect(s.labelsUnknownTransaction == 1)
        #expect(s.labelsLearnedFraud == 1)
        #expect(s.labelsDuplicate == 2)
        #expect(s.labelsCorrected == 1)
        #expect(s.labelsConfirmedLegitimate == 1)
        #expect(s.labelsTotal == 6)
        #expect(s.positivesLearned == 1)
        // The unknown fraud report still marked its card.
        #expect(e.cards.find(Engine.cardKey("card-9")) != nil)
    }

    @Test func presumeLegitimateAtOnceLearnsEveryNegativeImmediately() throws {
        let e = Engine(configuration: S.smallConfiguration())
        for i in 0..<50 { _ = try e.score(S.tx("t\(i)", at: S.t0 + Int64(i) * 1000)) }
        // A quarter of the presumed negatives (stable choice by id) are learned, weight 4.
        #expect(e.statistics.negativesLearned > 5 && e.statistics.negativesLearned < 25)
        #expect(e.model.updates == e.statistics.negativesLearned)
        var all = S.smallConfiguration()
        all.presumedNegativeSampleRate = 1
        let everyOne = Engine(configuration: all)
        for i in 0..<50 { _ = try everyOne.score(S.tx("t\(i)", at: S.t0 + Int64(i) * 1000)) }
        #expect(everyOne.statistics.negativesLearned == 50)
    }

    @Test func maturityPolicyLearnsNegativesOnlyAfterThePeriod() throws {
        var c = S.smallConfiguration()
        c.labelPolicy = .matureAfter(days: 30)
        c.presumedNegativeSampleRate = 1
        let e = Engine(configuration: c)
        for i in 0..<50 { _ = try e.score(S.tx("t\(i)", at: S.t0 + Int64(i) * S.hour)) }
        #expect(e.statistics.negativesLearned == 0)
        #expect(e.model.updates == 0)
        // A fraud report before maturity: learned at once, never as a negative.
        #expect(e.learn(Label(transactionID: "t0", isFraud: true, reportedAt: S.t0 + 3 * S.day)) == .learnedFraud)
        // An explicit legitimate label before maturity: learned at once.
        #expect(e.learn(Label(transactionID: "t1", isFraud: false, reportedAt: S.t0 + 3 * S.day)) == .learnedLegitimate)
        #expect(e.model.updates == 2)
        // 30 days after t0..t9 were scored (+ 9 h): ten have matured, minus the two labelled.
        e.advanceClock(to: S.t0 + 30 * S.day + 9 * S.hour)
        #expect(e.statistics.negativesLearned == 1 + 8)
        e.advanceClock(to: S.t0 + 32 * S.day + 2 * S.hour)
        #expect(e.statistics.negativesLearned == 1 + 48)
        #expect(e.model.updates == 2 + 48)
        // A late fraud report after maturity is a correction of the matured negative.
        #expect(e.learn(Label(transactionID: "t20", isFraud: true, reportedAt: S.t0 + 32 * S.day + 3 * S.hour)) == .learnedFraud)
        #expect(e.statistics.positivesLearned == 2)
    }

    @Test func pendingEvictionUnderMaturityLearnsTheNegative() throws {
        var c = S.smallConfiguration()
        c.labelPolicy = .matureAfter(days: 30)
        c.pendingCapacity = 10
        c.presumedNegativeSampleRate = 1
        let e = Engine(configuration: c)
        for i in 0..<25 { _ = try e.score(S.tx("t\(i)", at: S.t0 + Int64(i) * 1000)) }
        #expect(e.statistics.pendingEvictions == 15)
        #expect(e.statistics.negativesLearned == 15)
        #expect(e.statistics.pendingCount == 10)
        #expect(e.learn(Label(transactionID: "t0", isFraud: true, reportedAt: S.t0 + S.day)) == .unknownTransaction)
    }

    @Test func reportedFraudsRaiseLaterScoresAtTheTerminalAndCard() throws {
        let e = Engine(configuration: S.smallConfiguration())
        try S.run(e, S.events(days: 14)[...])
        #expect(e.statistics.labelsLearnedFraud > 40)
        let t = e.currentTime! + S.hour
        // A terminal nobody reported, and a fresh card, for reference.
        let before = try e.score(S.tx("p1", card: "fresh-1", merchant: "m-x", terminal: "t-x", amount: "30", at: t))
        _ = try e.score(S.tx("p2", card: "fresh-2", merchant: "m-x", terminal: "t-x", amount: "30", at: t + 1000))
        _ = e.learn(Label(transactionID: "p2", isFraud: true, cardID: "fresh-2", reportedAt: t + 2000))
        let after = try e.score(S.tx("p3", card: "fresh-3", merchant: "m-x", terminal: "t-x", amount: "30", at: t + 3000))
        #expect(after.modelProbability > before.modelProbability)
        #expect(after.reasons.contains { $0.code.hasPrefix("terminal_") || $0.code.hasPrefix("merchant_") })
        // A card with a fraud report scores higher on a large payment than its twin without one.
        for i in 0..<6 {
            let at = t + 10_000 + Int64(i) * S.hour
            _ = try e.score(S.tx("ta\(i)", card: "twin-a", merchant: "m-z", terminal: "t-z", amount: "25", at: at))
            _ = try e.score(S.tx("tb\(i)", card: "twin-b", merchant: "m-z", terminal: "t-z", amount: "25", at: at + 1))
        }
        let reportAt = t + 10_000 + 7 * S.hour
        _ = e.learn(Label(transactionID: "ta5", isFraud: true, cardID: "twin-a", reportedAt: reportAt))
        let reported = try e.score(S.tx("pa", card: "twin-a", merchant: "m-w", terminal: "t-w", amount: "110", at: reportAt + 1))
        let twin = try e.score(S.tx("pb", card: "twin-b", merchant: "m-w", terminal: "t-w", amount: "110", at: reportAt + 2))
        #expect(reported.modelProbability > twin.modelProbability)
    }

    @Test func reasonsNameTheAmountForAHugeAmount() throws {
        let e = Engine(configuration: S.smallConfiguration())
        try S.run(e, S.events(days: 14)[...])
        let t = e.currentTime! + S.hour
        for i in 0..<8 {
            _ = try e.score(S.tx("r\(i)", card: "steady", terminal: "t-1", amount: "25", at: t + Int64(i) * S.hour))
        }
        let d = try e.score(S.tx("huge", card: "steady", terminal: "t-1", amount: "400", at: t + 9 * S.hour))
        let amountReasons: Set<String> = [
            "amount", "amount_band", "amount_vs_card_mean_30d", "amount_vs_card_mean_7d", "amount_vs_card_mean_24h",
            "card_amount_zscore", "card_amount_deviation", "amount_vs_card_mean_band", "amount_band_x_channel",
        ]
        // The amount drives the score: an amount reason first, or the anomaly detector (whose
        // inputs are dominated by the amount here) first and an amount reason second.
        let codes = d.reasons.map(\.code)
        #expect(amountReasons.contains(codes[0]) || (codes[0] == "hst_anomaly" && amountReasons.contains(codes[1])))
        #expect(codes.contains { amountReasons.contains($0) })
        #expect(d.reasons.count == e.configuration.topReasons)
        #expect(zip(d.reasons, d.reasons.dropFirst()).allSatisfy { $0.contribution >= $1.contribution })
        #expect(d.score > 0.5)
    }
}
