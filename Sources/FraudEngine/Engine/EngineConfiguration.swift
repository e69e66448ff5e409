/// Everything that shapes an ``Engine``: seed, label policy, capacities, event-time policy,
/// model and anomaly parameters, fusion and explanations. Written into every checkpoint.
///
/// Defaults and why (measured with `fraudstream generate` defaults, simulator seed 1, and
/// `fraudstream evaluate`, 30-day burn-in, engine seed 42; ROC AUC / AP / card precision@100):
/// - ``labelPolicy`` `.presumeLegitimateAtOnce`: 0.929 / 0.714 / 0.609 against
///   0.922 / 0.418 / 0.569 when negatives mature after 30 days (see ``LabelPolicy``).
/// - FTRL `alpha` 0.2 (0.05: AP 0.630, 0.02: 0.560, 0.5: 0.630, 1: 0.601 with the first
///   feature set; 0.2 was best), `beta` 1, `l1` 0, `l2` 0.01 (1: no change). L1 sparsity
///   is not needed with a few dozen dense features and ~15 hashed slots per transaction.
/// - `positiveWeight` 5 (1: AP −0.002, 20: −0.019): frauds are ~0.8 % of transactions.
/// - `presumedNegativeSampleRate` 0.25: a quarter of the presumed negatives are learned,
///   with weight 4: AP 0.7137 against 0.7212 when learning all of them, for a quarter of
///   the model updates on the hot path.
/// - `compensatePresumedNegatives` on: no measurable effect either way (AP ±0.001).
/// - `hashBits` 16 (65,536 slots, 1 MiB of weights): the engine hashes about a thousand
///   distinct values here (18 bits gave identical figures at four times the cache footprint).
/// - Capacities grow on demand, so large caps cost nothing until used.
public struct EngineConfiguration: Sendable, Equatable, Hashable {
    /// Seeds every random choice (Half-Space Trees' random splits). Same seed + same
    /// ordered input ⇒ bit-identical decisions.
    public var seed: UInt64
    /// When unreported transactions count as legitimate (see ``LabelPolicy``).
    public var labelPolicy: LabelPolicy
    /// With ``LabelPolicy/presumeLegitimateAtOnce``: when a fraud report arrives for a
    /// transaction already learned as legitimate, also learn it as fraud once more with
    /// weight `negativeWeight`, approximately cancelling the presumed negative.
    public var compensatePresumedNegatives: Bool

    // MARK: Capacities (idle entities are evicted first, CLOCK order; see EntityTable)

    /// Most cards kept (default 4,000,000 ≈ 0.7 GB when all used: ~175 bytes per card).
    public var maxCards: Int
    /// Most terminals kept (default 2,000,000).
    public var maxTerminals: Int
    /// Most merchants kept (default 2,000,000).
    public var maxMerchants: Int
    /// Most scored transactions whose features wait for a label (FIFO eviction). Default
    /// 1,048,576 (≈ 300 MB when full, ~290 bytes per entry including its index cells).
    ///
    /// Sizing rule: capacity ≥ peak transaction rate × longest label delay (plus the
    /// maturity period under `.matureAfter`), with a margin: a label whose transaction has
    /// been evicted can no longer teach the model. The default covers a 14-day label delay
    /// at up to 75,000 transactions per day (the generated demo data runs at about 10,000
    /// per day); at 1,000 transactions per second, 14 days need 1.2 billion entries, which
    /// calls for sampling what is buffered rather than a larger ring. Resident memory grows
    /// with use (pages are committed on first write); the hash index (16 bytes per entry)
    /// is touched up front, and a smaller index also keeps more of it in cache.
    public var pendingCapacity: Int

    // MARK: Event time

    /// A transaction behind the clock by at most this is scored (with features computed at
    /// the clock: windows are not rewound); beyond it, ``EngineError/tooLate(latenessMillis:allowedMillis:)``.
    /// Default 1 hour.
    public var allowedLatenessMillis: Int64
    /// A transaction ahead of the clock by more than this is refused
    /// (``EngineError/tooFarInFuture(leadMillis:allowedMillis:)``) so one corrupt timestamp
    /// cannot move the clock; ``Engine/advanceClock(to:)`` moves it deliberately after a
    /// longer downtime. Default 7 days.
    public var maxForwardJumpMillis: Int64

    // MARK: Online logistic regression (FTRL-Proximal)

    /// Sparse features hash into `2^hashBits` weights. Default 16.
    public var hashBits: Int
    /// FTRL α (learning-rate scale). Default 0.2.
    public var alpha: Double
    /// FTRL β. Default 1.
    public var beta: Double
    /// L1 strength. Default 0.
    public var l1: Double
    /// L2 strength. Default 0.01.
    public var l2: Double
    /// Gradient multiplier for fraud examples (class imbalance). Default 5.
    public var positiveWeight: Double
    /// Sample weight of legitimate examples (presumed, matured or explicit). Default 1.
    public var negativeWeight: Double
    /// Share of *presumed* negatives (policy, not explicit labels) the model actually learns,
    /// each with weight `negativeWeight / presumedNegativeSampleRate` so the expected
    /// gradient is unchanged (negative subsampling with importance weights, as in
    /// McMahan et al. 2013). The choice is a stable hash of the transaction id: the same
    /// transactions are sampled on every run. Default 0.25 (a quarter of the model updates,
    /// no measurable loss of quality on the generated stream).
    public var presumedNegativeSampleRate: Double
    /// Standardised dense features are clipped to ±this. Default 5.
    public var standardizedClip: Double

    // MARK: Anomaly detection

    /// Half-Space Trees: number of trees (default 10), height (default 8) and window
    /// (reference mass refresh period, default 250 transactions), as in River.
    public var anomalyTrees: Int
    public var anomalyTreeHeight: Int
    public var anomalyWindow: Int

    // MARK: Score

    /// Until the model has learned this many frauds, the score blends in the anomaly
    /// evidence: `score = (1 − λ)·p + λ·anomaly` with `λ = coldStartAnomalyWeight ·
    /// max(0, 1 − positivesLearned / coldStartPositives)`. Afterwards `score = p`: the
    /// anomaly scores are model features, so the model has learned how much they matter.
    /// Defaults 100 and 0.5.
    public var coldStartPositives: Int
    public var coldStartAnomalyWeight: Double
    /// Reason codes per decision (largest positive contributions first). Default 3.
    public var topReasons: Int

    /// Creates a configuration; every parameter defaults to the documented value.
    public init(
        seed: UInt64 = 42,
        labelPolicy: LabelPolicy = .presumeLegitimateAtOnce,
        compensatePresumedNegatives: Bool = true,
        maxCards: Int = 4_000_000,
        maxTerminals: Int = 2_000_000,
        maxMerchants: Int = 2_000_000,
        pendingCapacity: Int = 1_048_576,
        allowedLatenessMillis: Int64 = 3_600_000,
        maxForwardJumpMillis: Int64 = 7 * 86_400_000,
        hashBits: Int = 16,
        alpha: Double = 0.2,
        beta: Double = 1,
        l1: Double = 0,
        l2: Double = 0.01,
        positiveWeight: Double = 5,
        negativeWeight: Double = 1,
        presumedNegativeSampleRate: Double = 0.25,
        standardizedClip: Double = 5,
        anomalyTrees: Int = 10,
        anomalyTreeHeight: Int = 8,
        anomalyWindow: Int = 250,
        coldStartPositives: Int = 100,
        coldStartAnomalyWeight: Double = 0.5,
        topReasons: Int = 3
    ) {
        self.seed = seed
        self.labelPolicy = labelPolicy
        self.compensatePresumedNegatives = compensatePresumedNegatives
        self.maxCards = maxCards
        self.maxTerminals = maxTerminals
        self.maxMerchants = maxMerchants
        self.pendingCapacity = pendingCapacity
        self.allowedLatenessMillis = allowedLatenessMillis
        self.maxForwardJumpMillis = maxForwardJumpMillis
        self.hashBits = hashBits
        self.alpha = alpha
        self.beta = beta
        self.l1 = l1
        self.l2 = l2
        self.positiveWeight = positiveWeight
        self.negativeWeight = negativeWeight
        self.presumedNegativeSampleRate = presumedNegativeSampleRate
        self.standardizedClip = standardizedClip
        self.anomalyTrees = anomalyTrees
        self.anomalyTreeHeight = anomalyTreeHeight
        self.anomalyWindow = anomalyWindow
        self.coldStartPositives = coldStartPositives
        self.coldStartAnomalyWeight = coldStartAnomalyWeight
        self.topReasons = topReasons
    }

    /// The documented defaults.
    public static var `default`: EngineConfiguration { EngineConfiguration() }

    /// Checks ranges; the engine refuses a configuration that fails (precondition).
    public func validate() -> String? {
        if maxCards < 1 || maxTerminals < 1 || maxMerchants < 1 { return "entity caps must be >= 1" }
        if maxCards >= Int(UInt32.max - 2) || maxTerminals >= Int(UInt32.max - 2) || maxMerchants >= Int(UInt32.max - 2) {
            return "entity caps must be < 2^32 - 2"
        }
        if pendingCapacity < 1 || pendingCapacity > 1 << 30 { return "pendingCapacity must be in 1...2^30" }
        if allowedLatenessMillis < 0 || maxForwardJumpMillis < 0 { return "time bounds must be >= 0" }
        if !(1...30).contains(hashBits) { return "hashBits must be in 1...30" }
        if !(alpha > 0) || !(beta >= 0) || !(l1 >= 0) || !(l2 >= 0) { return "FTRL parameters out of range" }
        if !(positiveWeight > 0) || !(negativeWeight > 0) { return "class weights must be > 0" }
        if !(presumedNegativeSampleRate > 0 && presumedNegativeSampleRate <= 1) {
            return "presumedNegativeSampleRate must be in (0, 1]"
        }
        if !(standardizedClip > 0) { return "standardizedClip must be > 0" }
        if anomalyTrees < 1 || !(1...20).contains(anomalyTreeHeight) || anomalyWindow < 1 {
            return "Half-Space Trees parameters out of range"
        }
        if coldStartPositives < 0 || !(0...1).contains(coldStartAnomalyWeight) { return "cold-start parameters out of range" }
        if topReasons < 0 || topReasons > 64 { return "topReasons must be in 0...64" }
        if case .matureAfter(let days) = labelPolicy, days < 0 || days > 3650 { return "maturity days out of range" }
        return nil
    }
}
