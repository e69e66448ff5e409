import FraudModels
import Testing

@testable import FraudEngine

@Suite struct FeatureExtractorTests {
    typealias S = TestStream

    func engine() -> Engine { Engine(configuration: S.smallConfiguration()) }

    @Test func sparseSeedLiteralsAreTheHashesOfTheirNames() {
        let expected: [(UInt64, String)] = [
            (FeatureExtractor.seedAmountBand, "amount_band"),
            (FeatureExtractor.seedAmountBandChannel, "amount_band_x_channel"),
            (FeatureExtractor.seedMCC, "mcc"),
            (FeatureExtractor.seedCountry, "country"),
            (FeatureExtractor.seedChannel, "channel"),
            (FeatureExtractor.seedCurrency, "currency"),
            (FeatureExtractor.seedRatioBand, "amount_vs_card_mean_band"),
            (FeatureExtractor.seedTerminalHistory, "terminal_fraud_history"),
            (FeatureExtractor.seedMerchantHistory, "merchant_fraud_history"),
            (FeatureExtractor.seedCardHistory, "card_fraud_history"),
            (FeatureExtractor.seedHour, "hour_of_day"),
            (FeatureExtractor.seedTerminalEpisode, "terminal_fraud_episode"),
            (FeatureExtractor.seedCardEpisodeAmount, "card_fraud_episode_x_amount"),
        ]
        for (seed, name) in expected { #expect(seed == StableHash.hash64(name), "\(name)") }
    }

    @Test func countsOverDecayedWindows() throws {
        let e = engine()
        // Three payments a minute apart: the third sees two previous ones in every window.
        _ = try e.score(S.tx("a", at: S.t0))
        _ = try e.score(S.tx("b", at: S.t0 + 60_000))
        e.captureRawFeatures = true
        _ = try e.score(S.tx("c", at: S.t0 + 120_000))
        let raw = e.capturedRawFeatures
        func count(_ f: DenseFeature) -> Double { DeterministicMath.exp(raw[f.rawValue]) - 1 }
        // 1 h window: e^(-2/60) + e^(-1/60) ≈ 1.951
        #expect(abs(count(.cardTxCount1h) - (DeterministicMath.exp(-2.0 / 60) + DeterministicMath.exp(-1.0 / 60))) < 1e-4)
        #expect(abs(count(.cardTxCount24h) - 2) < 0.01)
        #expect(abs(count(.cardTxCount30d) - 2) < 1e-3)
        // A day later, the 1 h window has forgotten them, 30 d has not.
        let later = try S.feature(e, S.tx("d", at: S.t0 + S.day), .cardTxCount1h)
        #expect(DeterministicMath.exp(later) - 1 < 1e-6)
        let later30 = try S.feature(e, S.tx("e", at: S.t0 + S.day + 1), .cardTxCount30d)
        #expect(DeterministicMath.exp(later30) - 1 > 3.8)
    }

    @Test func amountAgainstTheCardsMean() throws {
        let e = engine()
        for i in 0..<10 { _ = try e.score(S.tx("a\(i)", amount: "20", at: S.t0 + Int64(i) * S.hour)) }
        e.captureRawFeatures = true
        _ = try e.score(S.tx("big", amount: "200", at: S.t0 + 11 * S.hour))
        let raw = e.capturedRawFeatures
        #expect(abs(raw[DenseFeature.amountVsCardMean30d.rawValue] - DeterministicMath.log(10)) < 1e-4)
        #expect(abs(raw[DenseFeature.amountVsCardMean24h.rawValue] - DeterministicMath.log(10)) < 1e-4)
        #expect(raw[DenseFeature.cardAmountZScore.rawValue] > 3)
        #expect(raw[DenseFeature.cardAmountDeviation.rawValue] > 0.5)
        #expect(abs(raw[DenseFeature.amountLog.rawValue] - DeterministicMath.log(200)) < 1e-9)
    }

    @Test func firstTimeAtTerminalMerchantAndCountry() throws {
        let e = engine()
        let first = try S.feature(e, S.tx("a", terminal: "t-1", at: S.t0), .cardNewTerminal)
        #expect(first == 1)
        #expect(e.capturedRawFeatures[DenseFeature.cardFirstTx.rawValue] == 1)
        let again = try S.feature(e, S.tx("b", terminal: "t-1", at: S.t0 + 1000), .cardNewTerminal)
        #expect(again == 0)
        #expect(e.capturedRawFeatures[DenseFeature.cardNewMerchant.rawValue] == 0)
        #expect(e.capturedRawFeatures[DenseFeature.cardNewCountry.rawValue] == 0)
        #expect(e.capturedRawFeatures[DenseFeature.cardFirstTx.rawValue] == 0)
        let other = try S.feature(e, S.tx("c", merchant: "m-2", terminal: "t-2", at: S.t0 + 2000, country: "DE"), .cardNewTerminal)
        #expect(other == 1)
        #expect(e.capturedRawFeatures[DenseFeature.cardNewMerchant.rawValue] == 1)
        #expect(e.capturedRawFeatures[DenseFeature.cardNewCountry.rawValue] == 1)
        // The ring remembers the last 8 distinct terminals: t-1 is still known after 6 more.
        for i in 3..<9 { _ = try e.score(S.tx("x\(i)", terminal: "t-\(i)", at: S.t0 + Int64(i) * 1000)) }
        #expect(try S.feature(e, S.tx("d", terminal: "t-1", at: S.t0 + 20_000), .cardNewTerminal) == 0)
        // Another card has never been at t-1.
        #expect(try S.feature(e, S.tx("e", card: "card-2", terminal: "t-1", at: S.t0 + 21_000), .cardNewTerminal) == 1)
    }

    @Test func timeSincePreviousDistanceAndSpeed() throws {
        let e = engine()
        _ = try e.score(S.tx("a", at: S.t0, latitude: 48.8566, longitude: 2.3522))  // Paris
        e.captureRawFeatures = true
        _ = try e.score(S.tx("b", at: S.t0 + 2 * S.hour, latitude: 45.7640, longitude: 4.8357))  // Lyon, 2 h later
        let raw = e.capturedRawFeatures
        let seconds = DeterministicMath.exp(raw[DenseFeature.secondsSinceCardPrevTx.rawValue]) - 1
        #expect(abs(seconds - 7200) < 1e-6)
        let km = DeterministicMath.exp(raw[DenseFeature.distanceFromCardPrevTx.rawValue]) - 1
        #expect(km > 385 && km < 400)  // great circle ≈ 392 km
        let speed = DeterministicMath.exp(raw[DenseFeature.speedFromCardPrevTx.rawValue]) - 1
        #expect(abs(speed - km / 2) < 1e-6)
        // Without coordinates: no distance.
        let noLocation = try S.feature(e, S.tx("c", at: S.t0 + 3 * S.hour), .distanceFromCardPrevTx)
        #expect(noLocation == 0)
    }

    @Test func hourOfDayAndWeekend() throws {
        let e = engine()
        // 2026-04-01 is a Wednesday; 06:00 UTC.
        e.captureRawFeatures = true
        _ = try e.score(S.tx("a", at: S.t0 + 6 * S.hour))
        var raw = e.capturedRawFeatures
        #expect(abs(raw[DenseFeature.hourSin.rawValue] - 1) < 1e-6)  // a quarter of the day
        #expect(abs(raw[DenseFeature.hourCos.rawValue]) < 1e-6)
        #expect(raw[DenseFeature.isWeekend.rawValue] == 0)
        #expect(raw[DenseFeature.isNight.rawValue] == 0)
        // Saturday 2026-04-04, 02:30 UTC.
        _ = try e.score(S.tx("b", at: S.t0 + 3 * S.day + 2 * S.hour + 30 * 60_000))
        raw = e.capturedRawFeatures
        #expect(raw[DenseFeature.isWeekend.rawValue] == 1)
        #expect(raw[DenseFeature.isNight.rawValue] == 1)
        // Noon: cos = -1.
        _ = try e.score(S.tx("c", at: S.t0 + 3 * S.day + 12 * S.hour))
        #expect(abs(e.capturedRawFeatures[DenseFeature.hourCos.rawValue] + 1) < 1e-6)
    }

    @Test func terminalFraudCountsOnlyReportedLabels() throws {
        let e = engine()
        _ = try e.score(S.tx("f1", card: "c1", terminal: "t-9", at: S.t0))
        // Before the report, the terminal has no fraud history.
        #expect(try S.feature(e, S.tx("n1", card: "c2", terminal: "t-9", at: S.t0 + S.hour), .terminalFraudCount28d) == 0)
        #expect(e.learn(Label(transactionID: "f1", isFraud: true, cardID: "c1", reportedAt: S.t0 + 2 * S.hour)) == .learnedFraud)
        let count = try S.feature(e, S.tx("n2", card: "c3", terminal: "t-9", at: S.t0 + 3 * S.hour), .terminalFraudCount28d)
        #expect(abs((DeterministicMath.exp(count) - 1) - DeterministicMath.exp(-1.0 / (28 * 24))) < 1e-4)
        #expect(e.capturedRawFeatures[DenseFeature.terminalRecentFraud.rawValue] > 0.99)
        #expect(e.capturedRawFeatures[DenseFeature.merchantFraudCount28d.rawValue] > 0)
        // The reported card carries the report too.
        let cardReport = try S.feature(e, S.tx("n3", card: "c1", terminal: "t-1", at: S.t0 + 4 * S.hour), .cardRecentFraudReport)
        #expect(cardReport > 0.98)
        #expect(e.capturedRawFeatures[DenseFeature.cardFraudReports30d.rawValue] > 0.6)
    }

    @Test func deterministicMathTables() {
        // The day-cycle table is on the unit circle.
        for entry in EngineMath.dayCycle {
            let r = Double(entry.sin) * Double(entry.sin) + Double(entry.cos) * Double(entry.cos)
            #expect(abs(r - 1) < 1e-6)
        }
        #expect(abs(EngineMath.cosSmall(0.5) - 0.8775825618903728) < 1e-15)
        // The fast feature exp/log agree with the correctly rounded ports.
        var x = 1e-6
        while x < 1e9 {
            #expect(abs(EngineMath.log(x) - DeterministicMath.log(x)) <= 1e-10 * max(1, abs(DeterministicMath.log(x))))
            x *= 1.37
        }
        var y = -650.0
        while y < 5 {
            let exact = DeterministicMath.exp(y)
            #expect(abs(EngineMath.exp(y) - exact) <= 1e-8 * exact)
            y += 0.731
        }
        #expect(EngineMath.exp(-800) == 0)
    }
}
