import FraudModels
import Testing

@testable import FraudEngine

@Suite struct EngineDeterminismTests {
    typealias S = TestStream

    @Test func sameSeedAndInputGiveBitIdenticalScores() throws {
        let events = S.events(days: 8)
        let a = try S.run(Engine(configuration: S.smallConfiguration()), events[...])
        let b = try S.run(Engine(configuration: S.smallConfiguration()), events[...])
        #expect(a.count > 3000)
        #expect(a == b)
        // Another seed changes the anomaly trees, hence the bits.
        let c = try S.run(Engine(configuration: S.smallConfiguration(seed: 43)), events[...])
        #expect(a != c)
    }

    @Test func checkpointMidStreamContinuesBitIdentically() throws {
        let events = S.events(days: 8)
        let cut = events.count / 2
        let uninterrupted = Engine(configuration: S.smallConfiguration())
        try S.run(uninterrupted, events[..<cut])
        let saved = uninterrupted.checkpoint()
        let restored = try Engine(checkpoint: saved)
        #expect(restored.statistics == uninterrupted.statistics)
        #expect(restored.configuration == uninterrupted.configuration)
        // Re-checkpointing the restored engine gives the same bytes.
        #expect(restored.checkpoint() == saved)
        let rest = events[cut...]
        let expected = try S.run(uninterrupted, rest)
        let actual = try S.run(restored, rest)
        #expect(actual == expected)
        #expect(restored.checkpoint() == uninterrupted.checkpoint())
    }

    @Test func checkpointWithEvictionsAndMaturityContinuesBitIdentically() throws {
        let c = S.churningConfiguration()
        let events = S.events(days: 8)
        let cut = events.count / 3
        let uninterrupted = Engine(configuration: c)
        try S.run(uninterrupted, events[..<cut])
        #expect(uninterrupted.statistics.cardEvictions > 0)
        #expect(uninterrupted.statistics.pendingEvictions > 0)
        let restored = try Engine(checkpoint: uninterrupted.checkpoint())
        let expected = try S.run(uninterrupted, events[cut...])
        let actual = try S.run(restored, events[cut...])
        #expect(actual == expected)
        #expect(restored.statistics == uninterrupted.statistics)
    }

    @Test func evictionKeepsEntitiesBoundedAndIsDeterministic() throws {
        var c = S.smallConfiguration()
        c.maxCards = 40
        c.maxTerminals = 25
        c.maxMerchants = 10
        let events = S.events(days: 5)
        let e1 = Engine(configuration: c)
        let a = try S.run(e1, events[...])
        let e2 = Engine(configuration: c)
        let b = try S.run(e2, events[...])
        #expect(a == b)
        let s = e1.statistics
        #expect(s.activeCards == 40 && s.activeTerminals == 25 && s.activeMerchants == 10)
        #expect(s.cardEvictions > 100)
        #expect((0..<e1.cards.count).map { e1.cards.keys[$0] } == (0..<e2.cards.count).map { e2.cards.keys[$0] })
    }

    @Test func corruptTruncatedAndOldCheckpointsGiveClearErrors() throws {
        let e = Engine(configuration: S.smallConfiguration())
        try S.run(e, S.events(days: 2)[...])
        let good = e.checkpoint()
        // Damaged byte in the payload.
        var damaged = good
        damaged[good.count / 2] ^= 0x40
        #expect(throws: StateError.self) { try Engine(checkpoint: damaged) }
        do {
            _ = try Engine(checkpoint: damaged)
        } catch {
            guard case .checksumMismatch = error else { Issue.record("expected checksum mismatch, got \(error)"); return }
            #expect(error.description.contains("corrupt"))
        }
        // Truncated.
        do {
            _ = try Engine(checkpoint: Array(good.prefix(good.count - 100)))
            Issue.record("truncated checkpoint accepted")
        } catch {
            guard case .truncated = error else { Issue.record("expected truncated, got \(error)"); return }
        }
        // Not a checkpoint at all.
        do {
            _ = try Engine(checkpoint: Array("{\"hello\": 1}".utf8))
            Issue.record("garbage accepted")
        } catch {
            #expect(error == .badMagic)
        }
        // Another format version (re-sealed so the checksum is valid).
        let (_, payload) = try StateEnvelope.open(good, kind: Engine.checkpointKind, supportedVersions: Engine.supportedCheckpointVersions)
        let old = StateEnvelope.seal(payload: Array(payload), kind: Engine.checkpointKind, formatVersion: 0)
        do {
            _ = try Engine(checkpoint: old)
            Issue.record("old version accepted")
        } catch {
            #expect(error == .unsupportedVersion(found: 0, supported: Engine.supportedCheckpointVersions))
            #expect(error.description.contains("version 0"))
        }
        // Wrong kind of state file.
        let other = StateEnvelope.seal(payload: Array(payload), kind: 0x1234, formatVersion: 1)
        #expect(throws: StateError.self) { try Engine(checkpoint: other) }
        // Valid envelope, payload cut short inside: truncated/corrupt, never a crash.
        let short = StateEnvelope.seal(payload: Array(payload.prefix(payload.count / 2)), kind: Engine.checkpointKind, formatVersion: 1)
        #expect(throws: StateError.self) { try Engine(checkpoint: short) }
    }

    @Test func checkpointIsCompact() throws {
        let e = Engine(configuration: S.smallConfiguration())
        try S.run(e, S.events(days: 4)[...])
        let s = e.statistics
        let bytes = e.checkpoint().count
        let perPending = 49 + 4 * (FeatureSchema.denseCount + FeatureSchema.sparseCount)
        let expectedData = s.activeCards * (8 + Engine.cardEncodedSize)
            + (s.activeTerminals + s.activeMerchants) * (8 + Engine.counterpartyEncodedSize)
            + s.pendingCount * perPending
        // Data plus the models (16-bit hashed LR at 14 bits ≤ 256 KiB, trees, scalers).
        #expect(bytes < expectedData + 300_000)
    }
}

@Suite struct EngineEventTimeTests {
    typealias S = TestStream

    @Test func slightlyLateIsScoredTooLateIsRefused() throws {
        let e = Engine(configuration: S.smallConfiguration())
        _ = try e.score(S.tx("a", at: S.t0 + 2 * S.hour))
        // 30 minutes late: accepted, counted; the clock does not go back.
        _ = try e.score(S.tx("b", at: S.t0 + 90 * 60_000))
        #expect(e.statistics.lateTransactionsAccepted == 1)
        #expect(e.currentTime == S.t0 + 2 * S.hour)
        // Two hours late: refused with the lateness.
        #expect(throws: EngineError.tooLate(latenessMillis: 2 * S.hour, allowedMillis: S.hour)) {
            try e.score(S.tx("c", at: S.t0))
        }
        #expect(e.statistics.transactionsTooLate == 1)
        #expect(e.statistics.transactionsScored == 2)
    }

    @Test func farFutureIsRefusedUntilTheClockIsAdvanced() throws {
        let e = Engine(configuration: S.smallConfiguration())
        _ = try e.score(S.tx("a", at: S.t0))
        let future = S.t0 + 30 * S.day
        #expect(throws: EngineError.tooFarInFuture(leadMillis: 30 * S.day, allowedMillis: 7 * S.day)) {
            try e.score(S.tx("b", at: future))
        }
        #expect(e.currentTime == S.t0)
        // A restart after a long downtime: the operator advances the clock deliberately.
        e.advanceClock(to: future - S.hour)
        _ = try e.score(S.tx("c", at: future))
        #expect(e.currentTime == future)
        // Within the allowed jump: fine.
        _ = try e.score(S.tx("d", at: future + 6 * S.day))
        #expect(e.statistics.transactionsTooFarInFuture == 1)
    }

    @Test func nonPositiveAmountIsRefused() throws {
        let e = Engine(configuration: S.smallConfiguration())
        var tx = S.tx("a", at: S.t0)
        tx.amount = Money(units: 0)
        #expect(throws: EngineError.nonPositiveAmount(Money(units: 0))) { try e.score(tx) }
        #expect(e.statistics.transactionsInvalid == 1)
        #expect(e.statistics.eventsProcessed == 0)
    }

    @Test func extremeTimesAndCoordinatesNeverCrash() throws {
        let e = Engine(configuration: S.smallConfiguration())
        _ = try e.score(S.tx("a", at: Int64.min + 10, latitude: .nan, longitude: .infinity))
        #expect(throws: EngineError.self) { try e.score(S.tx("b", at: Int64.max)) }
        e.advanceClock(to: Int64.max - 10)
        let d = try e.score(S.tx("c", at: Int64.max - 5, latitude: 91, longitude: 500))
        #expect(d.score.isFinite && d.modelProbability.isFinite && d.anomaly.isFinite)
        #expect(throws: EngineError.self) { try e.score(S.tx("d", at: Int64.min)) }
        e.learn(Label(transactionID: "c", isFraud: true, cardID: "card-1", reportedAt: Int64.max))
        e.learn(Label(transactionID: "a", isFraud: true, reportedAt: Int64.min))
        let d2 = try e.score(S.tx("e", at: Int64.max))
        #expect(d2.score.isFinite)
    }

    @Test func labelsAdvanceTheClockAndStateVersionsCountEvents() throws {
        let e = Engine(configuration: S.smallConfiguration())
        let d1 = try e.score(S.tx("a", at: S.t0))
        e.learn(Label(transactionID: "a", isFraud: true, reportedAt: S.t0 + S.day))
        #expect(e.currentTime == S.t0 + S.day)
        // A label far in the future is applied but does not move the clock.
        e.learn(Label(transactionID: "zzz", isFraud: true, reportedAt: S.t0 + 400 * S.day))
        #expect(e.currentTime == S.t0 + S.day)
        #expect(e.statistics.labelsWithFutureTime == 1)
        let d2 = try e.score(S.tx("b", at: S.t0 + S.day))
        #expect(d1.stateVersion == 0)
        #expect(d2.stateVersion == 3)
    }
}
