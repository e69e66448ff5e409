import FraudModels

/// Everything the engine remembers about one card: 128 bytes (two cache lines; the table
/// aligns states to 64 bytes), no references.
///
/// Windows are exponentially decayed, not bucketed: a counter with time constant τ is
/// multiplied by e^(−Δt/τ) when the clock has moved by Δt and then incremented, so a card
/// paying at a steady rate r holds about r·τ, the same as a sliding window of length τ
/// on average, with 4 bytes per window instead of one counter per bucket. Windows: 1 h,
/// 24 h, 7 d, 30 d for counts; 24 h, 7 d, 30 d for amount sums. All counters of one card
/// share one decay reference time (`lastUpdate`, the engine clock at the card's last event).
///
/// First-time-at-merchant / terminal / country use small FIFO rings of 16-bit fingerprints
/// of the ids (8 terminals, 4 merchants, 4 countries). "New" means "not among the card's
/// last N distinct values". False "seen" answers (a new terminal whose fingerprint equals
/// one in the ring) happen with probability about N/65,535 (≈ 0.012 % for terminals); a
/// card that rotates among more than N distinct values sees returning ones as new.
struct CardState {
    /// Engine clock at the last update of the decayed counters.
    var lastUpdate: Int64
    /// Timestamp of the card's previous transaction (`Int64.min`: none yet).
    var lastTxTime: Int64
    /// Engine clock at the card's last fraud report (`Int64.min`: none).
    var lastFraudReport: Int64
    /// Event time of the earliest reported fraud of the card's current fraud episode
    /// (`Int64.min`: none; see ``FraudEpisode``).
    var firstKnownFraudTx: Int64
    /// Event time of the most recent reported fraud on the card (`Int64.min`: none).
    var lastKnownFraudTx: Int64
    var count1h: Float
    var count24h: Float
    var count7d: Float
    var count30d: Float
    var sum24h: Float
    var sum7d: Float
    var sum30d: Float
    /// Robust exponentially weighted location and scale of ln(amount) (12 bytes).
    var logAmount: RobustStatistics
    /// Decayed count of fraud reports on this card (τ = 30 d).
    var fraudReports: Float
    /// Location of the previous transaction (NaN when unknown).
    var lastLatitude: Float
    var lastLongitude: Float
    /// Next lane to overwrite in each ring (terminal 0..<8, merchant and country 0..<4).
    /// (Declared before the rings so that they fill the padding: the struct is 128 bytes.)
    var terminalCursor: UInt8
    var merchantCursor: UInt8
    var countryCursor: UInt8
    var reserved: UInt8
    /// Fingerprint rings: 4 × 16-bit lanes per word, 0 = empty lane.
    var terminalRing0: UInt64
    var terminalRing1: UInt64
    var merchantRing: UInt64
    var countryRing: UInt64

    static let empty = CardState(
        lastUpdate: 0, lastTxTime: .min, lastFraudReport: .min, firstKnownFraudTx: .min, lastKnownFraudTx: .min,
        count1h: 0, count24h: 0, count7d: 0, count30d: 0, sum24h: 0, sum7d: 0, sum30d: 0,
        logAmount: RobustStatistics(), fraudReports: 0,
        lastLatitude: .nan, lastLongitude: .nan,
        terminalCursor: 0, merchantCursor: 0, countryCursor: 0, reserved: 0,
        terminalRing0: 0, terminalRing1: 0, merchantRing: 0, countryRing: 0)
}

/// Everything the engine remembers about one terminal or merchant ("counterparty"): 64 bytes, one cache line.
///
/// Volume and fraud counters are exponentially decayed with time constants 1 d, 7 d, 28 d
/// (see ``CardState`` for the semantics). Fraud counters are incremented when a fraud
/// *label* is applied, at the engine clock of the label, never at the time of the fraud:
/// the engine knows only what has been reported so far, as in reality.
struct CounterpartyState {
    /// Engine clock at the last update of the decayed counters.
    var lastUpdate: Int64
    /// Event time of the most recent transaction here that has been reported as fraud
    /// (`Int64.min`: none known).
    var lastKnownFraudTx: Int64
    /// Event time of the earliest reported fraud of the current episode (see ``FraudEpisode``).
    var firstKnownFraudTx: Int64
    var tx1d: Float
    var tx7d: Float
    var tx28d: Float
    var fraud1d: Float
    var fraud7d: Float
    var fraud28d: Float
    /// Transactions seen (saturating).
    var transactions: UInt32
    var reserved: UInt32
    /// Pads the struct to 64 bytes: one cache line per terminal or merchant.
    var padding: UInt64

    static let empty = CounterpartyState(
        lastUpdate: 0, lastKnownFraudTx: .min, firstKnownFraudTx: .min, tx1d: 0, tx7d: 0, tx28d: 0,
        fraud1d: 0, fraud7d: 0, fraud28d: 0, transactions: 0, reserved: 0, padding: 0)
}

/// Fingerprint-ring helpers (SWAR over 16-bit lanes).
enum FingerprintRing {
    /// A non-zero 16-bit fingerprint of an entity key.
    @inline(__always)
    static func fingerprint(_ key: UInt64) -> UInt64 {
        let f = (key >> 48) ^ (key & 0xFFFF)
        return f == 0 ? 1 : f
    }

    /// True if any 16-bit lane of `word` equals `fingerprint`.
    @inline(__always)
    static func contains(_ word: UInt64, _ fingerprint: UInt64) -> Bool {
        let x = word ^ (fingerprint &* 0x0001_0001_0001_0001)
        return (x &- 0x0001_0001_0001_0001) & ~x & 0x8000_8000_8000_8000 != 0
    }

    /// Writes `fingerprint` into lane `lane` (0..<4) of `word`.
    @inline(__always)
    static func set(_ word: inout UInt64, lane: UInt8, _ fingerprint: UInt64) {
        let shift = UInt64(lane) * 16
        word = (word & ~(0xFFFF << shift)) | (fingerprint << shift)
    }
}

/// Fraud episodes: a run of reported frauds on one entity whose event times are less than
/// ``gap`` apart. A report whose fraud happened more than `gap` after the last known one
/// starts a new episode. The episode's age (now − its earliest known fraud) tells "just
/// compromised" from "compromised long ago, probably fixed since", which the report counts
/// alone cannot: reports keep arriving for days after a compromise has ended.
enum FraudEpisode {
    static let gap: Int64 = 28 * 86_400_000

    /// Records a reported fraud that happened at `eventTime`.
    @inline(__always)
    static func record(_ eventTime: Int64, first: inout Int64, last: inout Int64) {
        if last == .min || (eventTime > last && Engine.gap(eventTime, last) > gap) {
            first = eventTime
            last = eventTime
            return
        }
        if eventTime > last { last = eventTime }
        if eventTime < first { first = eventTime }
    }
}
