/// The engine's dense features, in model order. Each has a stable snake_case name that is
/// also the reason code shown to analysts. Values are transformed (logs of counts and
/// durations, log ratios) before online standardisation.
///
/// Changing this list changes the model layout: bump ``FeatureSchema/version`` (checkpoints
/// of another schema are refused).
enum DenseFeature: Int, CaseIterable {
    /// ln(amount).
    case amountLog
    /// ln(amount / card's mean amount), decayed windows 24 h, 7 d, 30 d (0 without history).
    case amountVsCardMean24h
    case amountVsCardMean7d
    case amountVsCardMean30d
    /// Robust z-score of ln(amount) against the card's exponentially weighted location/scale.
    case cardAmountZScore
    /// ln(1 + decayed number of the card's previous transactions), windows 1 h … 30 d.
    case cardTxCount1h
    case cardTxCount24h
    case cardTxCount7d
    case cardTxCount30d
    /// ln(1 + decayed amount spent by the card over 24 h).
    case cardAmountSum24h
    /// ln(1 + seconds since the card's previous transaction) (0 for a first transaction).
    case secondsSinceCardPrevTx
    /// 1 for the first transaction seen for the card.
    case cardFirstTx
    /// 1 when the terminal / merchant / country is not among the card's recent ones.
    case cardNewTerminal
    case cardNewMerchant
    case cardNewCountry
    /// ln(1 + km) from the card's previous transaction, and ln(1 + km/h) implied speed.
    case distanceFromCardPrevTx
    case speedFromCardPrevTx
    /// ln(1 + decayed fraud reports on the card, τ = 30 d).
    case cardFraudReports30d
    /// e^(−time since the card's last fraud report / 7 d): 1 just after a report, 0 without.
    case cardRecentFraudReport
    /// Hour of day (UTC) on the unit circle, weekend (Saturday, Sunday UTC), night (0–6 h UTC).
    case hourSin
    case hourCos
    case isWeekend
    case isNight
    /// Terminal volume: ln(1 + decayed transactions), windows 1 d, 7 d, 28 d.
    case terminalTxCount1d
    case terminalTxCount7d
    case terminalTxCount28d
    /// Terminal fraud reports received: ln(1 + decayed count), windows 7 d, 28 d.
    case terminalFraudCount7d
    case terminalFraudCount28d
    /// Terminal fraud rate: decayed reports / (decayed transactions + 1), windows 7 d, 28 d.
    case terminalFraudRate7d
    case terminalFraudRate28d
    /// e^(−(now − event time of the most recent reported fraud here) / 14 d), 0 without.
    case terminalRecentFraud
    /// The same seven for the merchant.
    case merchantTxCount1d
    case merchantTxCount7d
    case merchantTxCount28d
    case merchantFraudCount7d
    case merchantFraudCount28d
    case merchantFraudRate7d
    case merchantFraudRate28d
    case merchantRecentFraud
    /// Half-Space Trees anomaly score in [0, 1] (learned fusion: the model weighs it).
    case hstAnomaly
    /// Per-card robust deviation |z| / (|z| + 3) in [0, 1].
    case cardAmountDeviation

    /// Stable snake_case name (reason code).
    var name: String {
        switch self {
        case .amountLog: "amount"
        case .amountVsCardMean24h: "amount_vs_card_mean_24h"
        case .amountVsCardMean7d: "amount_vs_card_mean_7d"
        case .amountVsCardMean30d: "amount_vs_card_mean_30d"
        case .cardAmountZScore: "card_amount_zscore"
        case .cardTxCount1h: "card_tx_count_1h"
        case .cardTxCount24h: "card_tx_count_24h"
        case .cardTxCount7d: "card_tx_count_7d"
        case .cardTxCount30d: "card_tx_count_30d"
        case .cardAmountSum24h: "card_amount_sum_24h"
        case .secondsSinceCardPrevTx: "seconds_since_card_prev_tx"
        case .cardFirstTx: "card_first_tx"
        case .cardNewTerminal: "card_new_terminal"
        case .cardNewMerchant: "card_new_merchant"
        case .cardNewCountry: "card_new_country"
        case .distanceFromCardPrevTx: "distance_from_card_prev_tx"
        case .speedFromCardPrevTx: "speed_from_card_prev_tx"
        case .cardFraudReports30d: "card_fraud_reports_30d"
        case .cardRecentFraudReport: "card_recent_fraud_report"
        case .hourSin: "hour_of_day_sin"
        case .hourCos: "hour_of_day_cos"
        case .isWeekend: "is_weekend"
        case .isNight: "is_night"
        case .terminalTxCount1d: "terminal_tx_count_1d"
        case .terminalTxCount7d: "terminal_tx_count_7d"
        case .terminalTxCount28d: "terminal_tx_count_28d"
        case .terminalFraudCount7d: "terminal_fraud_count_7d"
        case .terminalFraudCount28d: "terminal_fraud_count_28d"
        case .terminalFraudRate7d: "terminal_fraud_rate_7d"
        case .terminalFraudRate28d: "terminal_fraud_rate_28d"
        case .terminalRecentFraud: "terminal_recent_fraud"
        case .merchantTxCount1d: "merchant_tx_count_1d"
        case .merchantTxCount7d: "merchant_tx_count_7d"
        case .merchantTxCount28d: "merchant_tx_count_28d"
        case .merchantFraudCount7d: "merchant_fraud_count_7d"
        case .merchantFraudCount28d: "merchant_fraud_count_28d"
        case .merchantFraudRate7d: "merchant_fraud_rate_7d"
        case .merchantFraudRate28d: "merchant_fraud_rate_28d"
        case .merchantRecentFraud: "merchant_recent_fraud"
        case .hstAnomaly: "hst_anomaly"
        case .cardAmountDeviation: "card_amount_deviation"
        }
    }
}

/// The engine's hashed categorical features: one slot per family per transaction, in
/// model order, hashed into `2^hashBits` weights with ``StableHash``. Collisions between
/// values share a weight (the usual feature-hashing trade-off).
enum SparseFeature: Int, CaseIterable {
    /// Amount band: ⌊8·log2(amount)⌋ (eight bands per doubling), so the model can learn
    /// steps in amount (e.g. "everything above 220 is fraud") that a linear term cannot.
    case amountBand
    /// Amount band (four per doubling) × channel.
    case amountBandByChannel
    /// Merchant category code, country, channel, currency (missing values hash as their own value).
    case mcc
    case country
    case channel
    case currency
    /// ⌊2·log2(amount / card mean 30 d)⌋ clipped to ±10, × whether the card has ≥ 3 transactions.
    case amountVsCardMeanBand
    /// Fraud history of the terminal: reports in 28 d (0, 1, 2, 3–5, 6+) × days since the most
    /// recent reported fraud there (<1, <3, <7, <14, <28, older/none).
    case terminalFraudHistory
    case merchantFraudHistory
    /// Fraud reports on the card (0, 1, 2+) × days since the last (<1, <3, <7, <14, <30, older).
    case cardFraudHistory
    /// Hour of day (UTC), 24 values.
    case hourOfDay
    /// Terminal fraud episode: age of the episode (days since its earliest known fraud:
    /// <7, <14, <21, <28, <35, older/none) × recency of its latest known fraud.
    case terminalFraudEpisode
    /// Card fraud episode age (<3, <7, <14, <21 days, older/none) × ⌊log2(amount / card
    /// mean 30 d)⌋ clipped to −2…3: a reported card paying far above its usual amount.
    case cardFraudEpisodeByAmount

    var name: String {
        switch self {
        case .amountBand: "amount_band"
        case .amountBandByChannel: "amount_band_x_channel"
        case .mcc: "mcc"
        case .country: "country"
        case .channel: "channel"
        case .currency: "currency"
        case .amountVsCardMeanBand: "amount_vs_card_mean_band"
        case .terminalFraudHistory: "terminal_fraud_history"
        case .merchantFraudHistory: "merchant_fraud_history"
        case .cardFraudHistory: "card_fraud_history"
        case .hourOfDay: "hour_of_day"
        case .terminalFraudEpisode: "terminal_fraud_episode"
        case .cardFraudEpisodeByAmount: "card_fraud_episode_x_amount"
        }
    }
}

/// Feature layout constants.
enum FeatureSchema {
    /// Layout version written into checkpoints.
    static let version: UInt32 = 2
    static let denseCount = DenseFeature.allCases.count
    static let sparseCount = SparseFeature.allCases.count
    /// Reason-code names indexed by dense feature, then by sparse family.
    static let denseNames: [String] = DenseFeature.allCases.map(\.name)
    static let sparseNames: [String] = SparseFeature.allCases.map(\.name)
}
