import FraudModels

/// Time constants (milliseconds).
enum Millis {
    static let second: Int64 = 1_000
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
}

/// Exponential decay factors e^(−Δt/τ) for the engine's windows. Δt is in milliseconds
/// and never negative (entities are updated at the engine clock, which never goes back).
@usableFromInline
enum Decay {
    @usableFromInline static let inv1h = -1.0 / Double(Millis.hour)
    @usableFromInline static let inv1d = -1.0 / Double(Millis.day)
    @usableFromInline static let inv7d = -1.0 / Double(7 * Millis.day)
    @usableFromInline static let inv14d = -1.0 / Double(14 * Millis.day)
    @usableFromInline static let inv28d = -1.0 / Double(28 * Millis.day)
    @usableFromInline static let inv30d = -1.0 / Double(30 * Millis.day)

    @inline(__always)
    static func factor(_ dt: Int64, _ negInvTau: Double) -> Float {
        dt == 0 ? 1 : Float(EngineMath.exp(Double(dt) * negInvTau))
    }
}

/// Computes the engine's features from a transaction and its entities' state, and updates
/// that state afterwards (score first, then learn). All arithmetic is fixed-order IEEE
/// 754 (deterministic); nothing here allocates.
enum FeatureExtractor {
    /// Indices into the raw dense buffer of the anomaly detector's inputs (before min-max scaling).
    static let anomalyInputs: [DenseFeature] = [
        .amountLog, .amountVsCardMean30d, .cardTxCount24h, .secondsSinceCardPrevTx, .hourCos,
        .distanceFromCardPrevTx,
    ]

    /// Per-card robust statistics of ln(amount): half-life 20 transactions, Huber clip at 3
    /// scales (a burst of ×5 frauds moves the location only slowly), prior scale 0.5 with
    /// the weight of 2 observations.
    static let robustParameters = RobustStatistics.Parameters(
        halfLife: 20, huberK: 3, minimumScale: 0.05, priorScale: 0.5, priorWeight: 2)

    /// Decays a card's counters to `now` in place (shared reference time).
    @inline(__always)
    static func decay(_ c: inout CardState, to now: Int64) {
        let dt = Engine.gap(now, c.lastUpdate)
        if dt <= 0 { return }
        let f1h = Decay.factor(dt, Decay.inv1h)
        let f1d = Decay.factor(dt, Decay.inv1d)
        let f7d = Decay.factor(dt, Decay.inv7d)
        let f30d = Decay.factor(dt, Decay.inv30d)
        c.count1h *= f1h
        c.count24h *= f1d
        c.count7d *= f7d
        c.count30d *= f30d
        c.sum24h *= f1d
        c.sum7d *= f7d
        c.sum30d *= f30d
        c.fraudReports *= f30d
        c.lastUpdate = now
    }

    /// Decays a terminal's or merchant's counters to `now` in place.
    @inline(__always)
    static func decay(_ s: inout CounterpartyState, to now: Int64) {
        let dt = Engine.gap(now, s.lastUpdate)
        if dt <= 0 { return }
        let f1d = Decay.factor(dt, Decay.inv1d)
        let f7d = Decay.factor(dt, Decay.inv7d)
        let f28d = Decay.factor(dt, Decay.inv28d)
        s.tx1d *= f1d
        s.tx7d *= f7d
        s.tx28d *= f28d
        s.fraud1d *= f1d
        s.fraud7d *= f7d
        s.fraud28d *= f28d
        s.lastUpdate = now
    }

    /// Keys and fingerprints of the categorical ids of one transaction.
    struct Keys {
        var card: UInt64
        var terminal: UInt64
        var merchant: UInt64
        var country: UInt64  // 0 when absent
    }

    @inline(__always)
    static func log1p(_ x: Float) -> Double { EngineMath.log1p(Double(x)) }

    /// Writes the card-, time- and counterparty-based dense features (everything but the
    /// anomaly scores) into `x`, from state already decayed to `now` and not yet updated
    /// with this transaction. Returns the card's robust z-score of ln(amount).
    @inline(__always)
    static func writeDense(
        _ x: UnsafeMutablePointer<Double>, transaction tx: Transaction, amount: Double, logAmount: Double,
        now: Int64, keys: Keys, card c: CardState, terminal t: CounterpartyState, merchant m: CounterpartyState
    ) -> Double {
        x[DenseFeature.amountLog.rawValue] = logAmount
        // Amount against the card's decayed means (sum/count: the decay cancels).
        x[DenseFeature.amountVsCardMean24h.rawValue] =
            c.count24h > 0.05 ? logAmount - EngineMath.log(Double(c.sum24h / c.count24h)) : 0
        x[DenseFeature.amountVsCardMean7d.rawValue] =
            c.count7d > 0.05 ? logAmount - EngineMath.log(Double(c.sum7d / c.count7d)) : 0
        x[DenseFeature.amountVsCardMean30d.rawValue] =
            c.count30d > 0.05 ? logAmount - EngineMath.log(Double(c.sum30d / c.count30d)) : 0
        // Robust z of ln(amount) against the card's own history (prior scale 0.5 while the
        // card has few transactions), clipped to ±10.
        var z = 0.0
        if c.logAmount.count >= 2 {
            z = min(max(c.logAmount.zScore(logAmount, parameters: robustParameters), -10), 10)
        }
        x[DenseFeature.cardAmountZScore.rawValue] = z
        x[DenseFeature.cardTxCount1h.rawValue] = log1p(c.count1h)
        x[DenseFeature.cardTxCount24h.rawValue] = log1p(c.count24h)
        x[DenseFeature.cardTxCount7d.rawValue] = log1p(c.count7d)
        x[DenseFeature.cardTxCount30d.rawValue] = log1p(c.count30d)
        x[DenseFeature.cardAmountSum24h.rawValue] = log1p(c.sum24h)
        let first = c.lastTxTime == .min
        var seconds = 0.0
        if !first {
            seconds = Double(Engine.gap(max(tx.timestamp, c.lastTxTime), c.lastTxTime)) / 1000
        }
        x[DenseFeature.secondsSinceCardPrevTx.rawValue] = first ? 0 : EngineMath.log1p(seconds)
        x[DenseFeature.cardFirstTx.rawValue] = first ? 1 : 0
        let terminalFP = FingerprintRing.fingerprint(keys.terminal)
        let merchantFP = FingerprintRing.fingerprint(keys.merchant)
        let newTerminal =
            !(FingerprintRing.contains(c.terminalRing0, terminalFP) || FingerprintRing.contains(c.terminalRing1, terminalFP))
        x[DenseFeature.cardNewTerminal.rawValue] = newTerminal ? 1 : 0
        x[DenseFeature.cardNewMerchant.rawValue] = FingerprintRing.contains(c.merchantRing, merchantFP) ? 0 : 1
        if keys.country != 0 {
            let countryFP = FingerprintRing.fingerprint(keys.country)
            x[DenseFeature.cardNewCountry.rawValue] = FingerprintRing.contains(c.countryRing, countryFP) ? 0 : 1
        } else {
            x[DenseFeature.cardNewCountry.rawValue] = 0
        }
        var km = 0.0
        var speed = 0.0
        if let lat = tx.latitude, let lon = tx.longitude, !c.lastLatitude.isNaN, !first {
            km = EngineMath.distanceKm(
                lat1: Double(c.lastLatitude), lon1: Double(c.lastLongitude), lat2: lat, lon2: lon)
            let hours = max(seconds, 60) / 3600
            speed = km / hours
            if !(km.isFinite && speed.isFinite) {  // hand-built coordinates: never NaN features
                km = 0
                speed = 0
            }
        }
        x[DenseFeature.distanceFromCardPrevTx.rawValue] = EngineMath.log1p(km)
        x[DenseFeature.speedFromCardPrevTx.rawValue] = EngineMath.log1p(speed)
        x[DenseFeature.cardFraudReports30d.rawValue] = log1p(c.fraudReports)
        x[DenseFeature.cardRecentFraudReport.rawValue] =
            c.lastFraudReport == .min ? 0 : EngineMath.exp(Double(Engine.gap(now, c.lastFraudReport)) * Decay.inv7d)
        // Time of day and week, UTC, from the transaction's own timestamp.
        let ts = tx.timestamp
        let msOfDay = ((ts % Millis.day) + Millis.day) % Millis.day
        let minute = Int(msOfDay / Millis.minute)
        let cycle = EngineMath.dayCycle[minute]
        x[DenseFeature.hourSin.rawValue] = Double(cycle.sin)
        x[DenseFeature.hourCos.rawValue] = Double(cycle.cos)
        let days = ts >= 0 ? ts / Millis.day : (ts + 1) / Millis.day - 1  // floor division
        let weekday = ((days + 3) % 7 + 7) % 7  // 0 = Monday (1970-01-01 was a Thursday)
        x[DenseFeature.isWeekend.rawValue] = weekday >= 5 ? 1 : 0
        x[DenseFeature.isNight.rawValue] = msOfDay < 6 * Millis.hour ? 1 : 0
        writeCounterparty(x, t, now: now, base: DenseFeature.terminalTxCount1d.rawValue)
        writeCounterparty(x, m, now: now, base: DenseFeature.merchantTxCount1d.rawValue)
        return z
    }

    @inline(__always)
    static func writeCounterparty(_ x: UnsafeMutablePointer<Double>, _ s: CounterpartyState, now: Int64, base: Int) {
        x[base] = log1p(s.tx1d)
        x[base + 1] = log1p(s.tx7d)
        x[base + 2] = log1p(s.tx28d)
        x[base + 3] = log1p(s.fraud7d)
        x[base + 4] = log1p(s.fraud28d)
        x[base + 5] = Double(s.fraud7d / (s.tx7d + 1))
        x[base + 6] = Double(s.fraud28d / (s.tx28d + 1))
        x[base + 7] =
            s.lastKnownFraudTx == .min ? 0 : EngineMath.exp(Double(Engine.gap(max(now, s.lastKnownFraudTx), s.lastKnownFraudTx)) * Decay.inv14d)
    }

    // MARK: Sparse slots

    // Seeds of the hashed slots: `StableHash.hash64` of each feature's name, written as
    // literals so that reading them in the hot path is a constant, not a lazy global
    // initialisation check (`swift_once`); a test checks them against the names.

    static let seedAmountBand: UInt64 = 0xD833_FABE_C150_E183  // StableHash.hash64("amount_band")
    static let seedAmountBandChannel: UInt64 = 0xAD1E_10CA_00EB_BD81  // StableHash.hash64("amount_band_x_channel")
    static let seedMCC: UInt64 = 0x89BE_C400_DB2B_0237  // StableHash.hash64("mcc")
    static let seedCountry: UInt64 = 0x5660_1DDA_04E4_AE18  // StableHash.hash64("country")
    static let seedChannel: UInt64 = 0xE38A_FD26_4BD9_717D  // StableHash.hash64("channel")
    static let seedCurrency: UInt64 = 0xD6C8_7F22_0E22_7841  // StableHash.hash64("currency")
    static let seedRatioBand: UInt64 = 0x4DBB_A78A_7D79_BC6E  // StableHash.hash64("amount_vs_card_mean_band")
    static let seedTerminalHistory: UInt64 = 0x2CC7_6021_0484_7DD0  // StableHash.hash64("terminal_fraud_history")
    static let seedMerchantHistory: UInt64 = 0x1A40_0A2B_57C9_27E0  // StableHash.hash64("merchant_fraud_history")
    static let seedCardHistory: UInt64 = 0x817F_7926_FD48_05EE  // StableHash.hash64("card_fraud_history")
    static let seedHour: UInt64 = 0xCA53_26A3_6222_AF9A  // StableHash.hash64("hour_of_day")
    static let seedTerminalEpisode: UInt64 = 0x7015_8BD3_ADF0_F367  // StableHash.hash64("terminal_fraud_episode")
    static let seedCardEpisodeAmount: UInt64 = 0x521B_7997_1ED5_7CAA  // StableHash.hash64("card_fraud_episode_x_amount")
    static let missing: UInt64 = 0x5EED_0000_0000_0001

    @inline(__always)
    static func slot(_ seed: UInt64, _ value: UInt64, bits: Int) -> UInt32 {
        StableHash.slot(StableHash.combine(seed, value), bits: bits)
    }

    /// Bucket of days since `time` (or `older` when never).
    @inline(__always)
    static func recencyBucket(_ now: Int64, _ time: Int64, limits: (Int64, Int64, Int64, Int64, Int64)) -> UInt64 {
        if time == .min { return 5 }
        let d = Engine.gap(max(now, time), time)
        if d < limits.0 * Millis.day { return 0 }
        if d < limits.1 * Millis.day { return 1 }
        if d < limits.2 * Millis.day { return 2 }
        if d < limits.3 * Millis.day { return 3 }
        if d < limits.4 * Millis.day { return 4 }
        return 5
    }

    @inline(__always)
    static func countBucket(_ count: Float) -> UInt64 {
        if count < 0.5 { return 0 }
        if count < 1.5 { return 1 }
        if count < 2.5 { return 2 }
        if count < 5.5 { return 3 }
        return 4
    }

    /// Writes one hashed slot per ``SparseFeature`` into `slots`.
    @inline(__always)
    static func writeSparse(
        _ slots: UnsafeMutablePointer<UInt32>, transaction tx: Transaction, amount: Double, logAmount: Double,
        channelHash: UInt64, countryHash: UInt64, ratio30d: Double, now: Int64,
        card c: CardState, terminal t: CounterpartyState, merchant m: CounterpartyState, bits: Int
    ) {
        // log2(amount) · 8, floored; amounts below 1/256 share one band.
        let log2Amount = logAmount * 1.4426950408889634
        let band = Int64((max(log2Amount, -8) * 8).rounded(.down))
        slots[SparseFeature.amountBand.rawValue] = slot(seedAmountBand, UInt64(bitPattern: band), bits: bits)
        let coarse = Int64((max(log2Amount, -8) * 4).rounded(.down))
        slots[SparseFeature.amountBandByChannel.rawValue] =
            slot(seedAmountBandChannel, StableHash.combine(UInt64(bitPattern: coarse), channelHash), bits: bits)
        slots[SparseFeature.mcc.rawValue] = slot(seedMCC, tx.mcc.map { UInt64(bitPattern: Int64($0)) } ?? missing, bits: bits)
        slots[SparseFeature.country.rawValue] = slot(seedCountry, countryHash, bits: bits)
        slots[SparseFeature.channel.rawValue] = slot(seedChannel, channelHash, bits: bits)
        slots[SparseFeature.currency.rawValue] = slot(seedCurrency, UInt64(tx.currency.packed), bits: bits)
        let ratioBand: Int64 = c.logAmount.count >= 3 ? Int64(min(max(ratio30d * 2.8853900817779268, -10), 10).rounded(.down)) : 99
        slots[SparseFeature.amountVsCardMeanBand.rawValue] = slot(seedRatioBand, UInt64(bitPattern: ratioBand), bits: bits)
        slots[SparseFeature.terminalFraudHistory.rawValue] = slot(
            seedTerminalHistory,
            countBucket(t.fraud28d) << 8 | recencyBucket(now, t.lastKnownFraudTx, limits: (1, 3, 7, 14, 28)), bits: bits)
        slots[SparseFeature.merchantFraudHistory.rawValue] = slot(
            seedMerchantHistory,
            countBucket(m.fraud28d) << 8 | recencyBucket(now, m.lastKnownFraudTx, limits: (1, 3, 7, 14, 28)), bits: bits)
        slots[SparseFeature.cardFraudHistory.rawValue] = slot(
            seedCardHistory,
            min(countBucket(c.fraudReports), 2) << 8 | recencyBucket(now, c.lastFraudReport, limits: (1, 3, 7, 14, 30)),
            bits: bits)
        let msOfDay = ((tx.timestamp % Millis.day) + Millis.day) % Millis.day
        slots[SparseFeature.hourOfDay.rawValue] = slot(seedHour, UInt64(msOfDay / Millis.hour), bits: bits)
        slots[SparseFeature.terminalFraudEpisode.rawValue] = slot(
            seedTerminalEpisode,
            recencyBucket(now, t.firstKnownFraudTx, limits: (7, 14, 21, 28, 35)) << 8
                | recencyBucket(now, t.lastKnownFraudTx, limits: (1, 3, 7, 14, 28)), bits: bits)
        let coarseRatio: Int64 =
            c.logAmount.count >= 3 ? Int64(min(max(ratio30d * 1.4426950408889634, -2), 3).rounded(.down)) : 9
        slots[SparseFeature.cardFraudEpisodeByAmount.rawValue] = slot(
            seedCardEpisodeAmount,
            recencyBucket(now, c.firstKnownFraudTx, limits: (3, 7, 14, 21, 28)) << 8 | UInt64(bitPattern: coarseRatio),
            bits: bits)
    }

    // MARK: State updates (after scoring)

    /// Adds the transaction to the card's state (already decayed to `now`).
    @inline(__always)
    static func update(
        _ c: inout CardState, transaction tx: Transaction, amount: Double, logAmount: Double, keys: Keys, now: Int64
    ) {
        let a = Float(amount)
        c.count1h += 1
        c.count24h += 1
        c.count7d += 1
        c.count30d += 1
        c.sum24h += a
        c.sum7d += a
        c.sum30d += a
        c.lastUpdate = now
        if c.lastTxTime == .min || tx.timestamp > c.lastTxTime { c.lastTxTime = tx.timestamp }
        c.logAmount.update(logAmount, parameters: robustParameters)
        let terminalFP = FingerprintRing.fingerprint(keys.terminal)
        if !(FingerprintRing.contains(c.terminalRing0, terminalFP) || FingerprintRing.contains(c.terminalRing1, terminalFP)) {
            if c.terminalCursor < 4 {
                FingerprintRing.set(&c.terminalRing0, lane: c.terminalCursor, terminalFP)
            } else {
                FingerprintRing.set(&c.terminalRing1, lane: c.terminalCursor - 4, terminalFP)
            }
            c.terminalCursor = (c.terminalCursor + 1) & 7
        }
        let merchantFP = FingerprintRing.fingerprint(keys.merchant)
        if !FingerprintRing.contains(c.merchantRing, merchantFP) {
            FingerprintRing.set(&c.merchantRing, lane: c.merchantCursor, merchantFP)
            c.merchantCursor = (c.merchantCursor + 1) & 3
        }
        if keys.country != 0 {
            let countryFP = FingerprintRing.fingerprint(keys.country)
            if !FingerprintRing.contains(c.countryRing, countryFP) {
                FingerprintRing.set(&c.countryRing, lane: c.countryCursor, countryFP)
                c.countryCursor = (c.countryCursor + 1) & 3
            }
        }
        if let lat = tx.latitude, let lon = tx.longitude, lat.isFinite, lon.isFinite {
            c.lastLatitude = Float(lat)
            c.lastLongitude = Float(lon)
        }
    }

    /// Adds one transaction to a terminal's or merchant's state (already decayed to `now`).
    @inline(__always)
    static func update(_ s: inout CounterpartyState, now: Int64) {
        s.tx1d += 1
        s.tx7d += 1
        s.tx28d += 1
        s.lastUpdate = now
        if s.transactions < UInt32.max { s.transactions += 1 }
    }
}
