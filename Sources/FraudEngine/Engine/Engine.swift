import FraudModels

/// The scoring engine: a deterministic state machine in event time.
///
/// `(state, transaction) → (state', decision)` and `(state, label) → (state', outcome)`.
/// The same configuration (seed included) and the same ordered events give bit-identical
/// decisions on every run; a checkpoint restores an engine that continues bit-identically.
/// No wall clock, no unseeded randomness, no iteration over unordered hash maps.
///
/// Per transaction (``score(_:)``), in this order:
/// 1. event-time policy (clock = largest event time seen; see ``EngineError``), and
///    maturity processing under ``LabelPolicy/matureAfter(days:)``;
/// 2. features from the card, terminal and merchant state *before* this transaction
///    (see `DenseFeature`/`SparseFeature` for the list), anomaly scores (Half-Space Trees
///    on six min-max-scaled features, and the per-card robust deviation), online
///    standardisation;
/// 3. the model's probability, the fused score and the top reason codes;
/// 4. then state updates: entity windows, the pending buffer (features as scored), the
///    presumed negative under ``LabelPolicy/presumeLegitimateAtOnce``.
///
/// A label (``learn(_:)``) joins the buffered features of its transaction and teaches the
/// model; a fraud report also counts against the card, terminal and merchant at the
/// engine clock of the report (delayed feedback, as in reality), and takes the fraud's
/// amount out of the card's "usual amount" windows.
///
/// Score and components (every ``Decision``):
/// - `modelProbability`: the online logistic regression (FTRL-Proximal) over the
///   standardised dense features and the hashed categorical slots. The anomaly scores are
///   two of its dense features (`hst_anomaly`, `card_amount_deviation`), so their weight in
///   the score is *learned* from the labels rather than fixed.
/// - `anomaly`: `0.5 · HST + 0.5 · deviation`, both in [0, 1]: the Half-Space Trees score
///   (10 trees of height 8, window 250, River's defaults; inputs: ln amount, amount vs the
///   card's 30-day mean, card transactions in 24 h, time since the card's previous payment,
///   time of day, distance from the previous payment, each min-max scaled online) and the
///   card's robust deviation `|z| / (|z| + 3)` of ln(amount).
/// - `score`: `modelProbability`, except while the model has learned fewer than
///   `coldStartPositives` frauds, when it is blended with the anomaly evidence (see
///   ``EngineConfiguration/coldStartPositives``): a fresh engine is not blind.
/// - `reasons`: the `topReasons` largest positive contributions to the model's log-odds
///   (dense `w·x`, sparse slot weights), largest first, named by their feature's code.
///
/// Measured on `fraudstream generate` defaults (seed 1) with `fraudstream evaluate` (30-day
/// burn-in, engine seed 42): ROC AUC 0.929, average precision 0.714, card precision@100
/// 0.609 (simulator seeds 2 and 3: 0.933 / 0.720 / 0.610 and 0.926 / 0.719 / 0.604).
///
/// Single owner: not `Sendable`; the processor drives it from one task or thread.
public final class Engine {
    /// The configuration (part of every checkpoint).
    public let configuration: EngineConfiguration

    // `@exclusivity(unchecked)`: a single owner that never reaches these properties
    // reentrantly, so the runtime's dynamic exclusivity checks (a thread-local access set per
    // mutation) buy nothing here; on the replay they cost about 4 % of the CPU (perf,
    // 2026-12-07), with HistoryBatch, ReplayCore, the tables and the NDJSON writer.
    // Event time.
    @exclusivity(unchecked) var clock: Int64 = 0
    @exclusivity(unchecked) var hasClock = false
    @exclusivity(unchecked) var stats = EngineStatistics()
    /// `eventsProcessed` when the change marks were last cleared (see ``takeDelta()``).
    @exclusivity(unchecked) var deltaBaseVersion: UInt64 = 0

    // State.
    let cards: EntityTable<CardState>
    let terminals: EntityTable<CounterpartyState>
    let merchants: EntityTable<CounterpartyState>
    let pending: PendingBuffer
    @exclusivity(unchecked) var model: LogisticRegression
    @exclusivity(unchecked) var standardizer: OnlineStandardizer
    @exclusivity(unchecked) var scaler: OnlineMinMaxScaler
    @exclusivity(unchecked) var trees: HalfSpaceTrees

    // Scratch (allocated once; never escapes a call).
    let denseCount = FeatureSchema.denseCount
    let sparseCount = FeatureSchema.sparseCount
    let features: UnsafeMutablePointer<Double>
    let slots: UnsafeMutablePointer<UInt32>
    let anomalyInput: UnsafeMutablePointer<Double>
    let contributions: UnsafeMutablePointer<Double>
    let learnDense: UnsafeMutablePointer<Double>
    let maturityMillis: Int64?
    /// Presumed negatives whose mixed id hash is below this are learned (`.max`: all).
    let sampleThreshold: UInt64
    /// Weight of a learned presumed negative: `negativeWeight / presumedNegativeSampleRate`.
    let presumedWeight: Double
    let anomalyIndices: [Int] = FeatureExtractor.anomalyInputs.map(\.rawValue)
    /// Tests and audits: when set, `score` copies the raw (unstandardised) dense features
    /// into `capturedRawFeatures`.
    var captureRawFeatures = false
    /// Receives the early index loads of `score` (keeps them from being optimised away).
    @exclusivity(unchecked) var prefetchSink: UInt64 = 0
    @exclusivity(unchecked) var capturedRawFeatures: [Double] = []

    /// Creates an engine with no history.
    public init(configuration: EngineConfiguration = .default) {
        if let problem = configuration.validate() { preconditionFailure("EngineConfiguration: \(problem)") }
        self.configuration = configuration
        cards = EntityTable(maxCount: configuration.maxCards)
        terminals = EntityTable(maxCount: configuration.maxTerminals)
        merchants = EntityTable(maxCount: configuration.maxMerchants)
        pending = PendingBuffer(
            capacity: configuration.pendingCapacity, denseCount: FeatureSchema.denseCount,
            sparseCount: FeatureSchema.sparseCount)
        model = LogisticRegression(configuration: Engine.modelConfiguration(configuration))
        standardizer = OnlineStandardizer(dimension: FeatureSchema.denseCount, clip: configuration.standardizedClip)
        scaler = OnlineMinMaxScaler(dimension: FeatureExtractor.anomalyInputs.count)
        trees = HalfSpaceTrees(configuration: Engine.treeConfiguration(configuration))
        features = Engine.zeroed(FeatureSchema.denseCount)
        learnDense = Engine.zeroed(FeatureSchema.denseCount)
        slots = Engine.zeroed(FeatureSchema.sparseCount)
        anomalyInput = Engine.zeroed(FeatureExtractor.anomalyInputs.count)
        contributions = Engine.zeroed(FeatureSchema.denseCount + FeatureSchema.sparseCount + 2)
        let rate = configuration.presumedNegativeSampleRate
        sampleThreshold = rate >= 1 ? .max : UInt64(rate * 18_446_744_073_709_551_615.0)
        presumedWeight = configuration.negativeWeight / rate
        if case .matureAfter(let days) = configuration.labelPolicy {
            maturityMillis = Int64(days) * Millis.day
        } else {
            maturityMillis = nil
        }
    }

    /// An independent copy of the whole state, for checkpointing off the processing thread:
    /// copying the tables is a few large `memcpy`s, much cheaper than serialising them, and
    /// the copy's ``checkpoint()`` equals what this engine's would have been at the moment
    /// of the copy. The copy may then be used from another thread (it shares nothing with
    /// this engine: the models are copy-on-write values, the tables are copied).
    public func snapshot() -> Engine { Engine(copying: self) }

    private init(copying other: Engine) {
        configuration = other.configuration
        clock = other.clock
        hasClock = other.hasClock
        stats = other.stats
        cards = other.cards.copy()
        terminals = other.terminals.copy()
        merchants = other.merchants.copy()
        pending = other.pending.copy()
        model = other.model
        standardizer = other.standardizer
        scaler = other.scaler
        trees = other.trees
        features = Engine.zeroed(FeatureSchema.denseCount)
        learnDense = Engine.zeroed(FeatureSchema.denseCount)
        slots = Engine.zeroed(FeatureSchema.sparseCount)
        anomalyInput = Engine.zeroed(FeatureExtractor.anomalyInputs.count)
        contributions = Engine.zeroed(FeatureSchema.denseCount + FeatureSchema.sparseCount + 2)
        sampleThreshold = other.sampleThreshold
        presumedWeight = other.presumedWeight
        maturityMillis = other.maturityMillis
    }

    /// A scratch buffer of `count` zeros (freed in `deinit`).
    private static func zeroed<T: Numeric>(_ count: Int) -> UnsafeMutablePointer<T> {
        let buffer = UnsafeMutablePointer<T>.allocate(capacity: count)
        buffer.initialize(repeating: 0, count: count)
        return buffer
    }

    deinit {
        features.deallocate()
        learnDense.deallocate()
        slots.deallocate()
        anomalyInput.deallocate()
        contributions.deallocate()
    }

    static func modelConfiguration(_ c: EngineConfiguration) -> LogisticRegression.Configuration {
        LogisticRegression.Configuration(
            denseCount: FeatureSchema.denseCount, hashBits: c.hashBits, alpha: c.alpha, beta: c.beta, l1: c.l1,
            l2: c.l2, positiveWeight: c.positiveWeight, fitIntercept: true)
    }

    static func treeConfiguration(_ c: EngineConfiguration) -> HalfSpaceTrees.Configuration {
        HalfSpaceTrees.Configuration(
            dimensions: FeatureExtractor.anomalyInputs.count, treeCount: c.anomalyTrees, height: c.anomalyTreeHeight,
            windowSize: c.anomalyWindow, seed: StableHash.combine(c.seed, 0x4853_5452_4545_5331))
    }

    /// Counters (see ``EngineStatistics``).
    public var statistics: EngineStatistics {
        var s = stats
        s.pendingCount = pending.count
        s.activeCards = cards.count
        s.activeTerminals = terminals.count
        s.activeMerchants = merchants.count
        s.cardEvictions = cards.evictions
        s.terminalEvictions = terminals.evictions
        s.merchantEvictions = merchants.evictions
        s.clock = hasClock ? clock : nil
        return s
    }

    /// The event-time clock: the largest accepted event time, nil before the first event.
    public var currentTime: EpochMillis? { hasClock ? clock : nil }

    /// Bytes allocated for entity state (cards, terminals, merchants) and for the pending
    /// buffer, for memory accounting.
    public var allocatedStateBytes: (cards: Int, terminals: Int, merchants: Int, pending: Int) {
        (cards.allocatedBytes, terminals.allocatedBytes, merchants.allocatedBytes, pending.allocatedBytes)
    }

    // MARK: - Keys

    static let cardSeed: UInt64 = 0x4341_5244  // "CARD"
    static let terminalSeed: UInt64 = 0x5445_524D  // "TERM"
    static let merchantSeed: UInt64 = 0x4D45_5243  // "MERC"
    static let transactionSeed: UInt64 = 0x5458_4944  // "TXID"

    /// The key of transaction id `id` (``TransactionKeys/transaction``): a label for it
    /// finds the transaction's buffered features by this key.
    @inline(__always)
    public static func transactionKey(_ id: String) -> UInt64 { StableHash.hash64(id, seed: transactionSeed) }
    @inline(__always)
    static func cardKey(_ id: String) -> UInt64 { StableHash.hash64(id, seed: cardSeed) }

    // MARK: - Scoring

    /// Scores one transaction, then learns from it (features, anomaly model, pending buffer,
    /// presumed negative). See the type's documentation for the order of steps.
    ///
    /// - Throws: ``EngineError`` for a transaction outside the event-time policy or with a
    ///   non-positive amount; the engine state is then unchanged except for the counters.
    public func score(_ transaction: Transaction) throws(EngineError) -> Decision {
        try score(transaction, keys: TransactionKeys(transaction))
    }

    /// Starts loading the hash-index cells that scoring the transaction with `keys` will
    /// probe (card, terminal, merchant, pending buffer), without waiting for them.
    ///
    /// The engine's tables are read at random, and on this kind of machine a cache miss costs
    /// hundreds of nanoseconds; lookups chain (index cell, then state), so their misses add
    /// up. A driver that knows the coming transactions (a batch) calls this for the one two
    /// places ahead and ``prefetchStates(_:)`` for the next one: their loads then overlap
    /// with the scoring in between. Only a hint: no state, score or statistic changes.
    public func prefetchIndexes(_ keys: TransactionKeys) {
        cards.prefetchCell(keys.card)
        terminals.prefetchCell(keys.terminal)
        merchants.prefetchCell(keys.merchant)
        pending.prefetch(keys.transaction)
    }

    /// Starts loading the entity states of the transaction with `keys`, where its index
    /// cells (best loaded by ``prefetchIndexes(_:)`` a transaction earlier) already hold them.
    public func prefetchStates(_ keys: TransactionKeys) {
        cards.prefetchState(keys.card)
        terminals.prefetchState(keys.terminal)
        merchants.prefetchState(keys.merchant)
    }

    /// The prefetch schedule of a loop that scores a chunk of `count` messages in order:
    /// call it before handling message `index`. It loads the index cells of the message two
    /// places ahead and the states of the next one (at index 0 also those of the first two),
    /// through `keys`, which gives a message's ``TransactionKeys`` (nil for a label or a
    /// rejected message).
    @inlinable @inline(__always)
    public func prefetchAhead(of index: Int, count: Int, keys: (Int) -> TransactionKeys?) {
        if index == 0 {
            if count > 0, let k = keys(0) { prefetchIndexes(k); prefetchStates(k) }
            if count > 1, let k = keys(1) { prefetchIndexes(k) }
        }
        if index + 2 < count, let k = keys(index + 2) { prefetchIndexes(k) }
        if index + 1 < count, let k = keys(index + 1) { prefetchStates(k) }
    }

    /// ``score(_:)`` with the transaction's keys already computed (see ``TransactionKeys``).
    public func score(_ transaction: Transaction, keys precomputed: TransactionKeys) throws(EngineError) -> Decision {
        var reasons: [ReasonCode] = []
        var decision = try score(transaction, keys: precomputed, appendingReasonsTo: &reasons)
        decision.reasons = reasons
        return decision
    }

    /// ``score(_:keys:)``, but the reasons are appended to `reasons` and the decision's own
    /// ``Decision/reasons`` is left empty: a driver scoring many transactions keeps them all
    /// in one reused array instead of allocating one per decision (on another thread than
    /// the one that frees it, that allocation was a tenth of the replay's engine thread).
    public func score(
        _ transaction: Transaction, keys precomputed: TransactionKeys, appendingReasonsTo reasons: inout [ReasonCode]
    ) throws(EngineError) -> Decision {
        let tx = transaction
        guard tx.amount.units > 0 else {
            stats.transactionsInvalid += 1
            throw .nonPositiveAmount(tx.amount)
        }
        let ts = tx.timestamp
        if hasClock {
            if ts < clock {
                let lateness = Engine.gap(clock, ts)
                if lateness > configuration.allowedLatenessMillis {
                    stats.transactionsTooLate += 1
                    throw .tooLate(latenessMillis: lateness, allowedMillis: configuration.allowedLatenessMillis)
                }
                stats.lateTransactionsAccepted += 1
            } else if ts > clock {
                let lead = Engine.gap(ts, clock)
                if lead > configuration.maxForwardJumpMillis {
                    stats.transactionsTooFarInFuture += 1
                    throw .tooFarInFuture(leadMillis: lead, allowedMillis: configuration.maxForwardJumpMillis)
                }
                clock = ts
                processMaturity()
            }
        } else {
            clock = ts
            hasClock = true
        }
        let now = clock
        let version = stats.eventsProcessed

        // Entities (created on first sight; an idle one is evicted when a table is full).
        let txKey = precomputed.transaction
        let cardKey = precomputed.card
        let merchantKey = precomputed.merchant
        let terminalKey = precomputed.terminal
        let countryHash = precomputed.country
        let channelHash = precomputed.channel
        let keys = FeatureExtractor.Keys(card: cardKey, terminal: terminalKey, merchant: merchantKey, country: countryHash)
        // Touch the four hash indexes (and, when the pending ring is full, the index cell of
        // the entry about to be evicted) together so their cache misses overlap.
        prefetchSink = cards.peek(cardKey) &+ terminals.peek(terminalKey) &+ merchants.peek(merchantKey)
            &+ pending.peek(txKey) &+ pending.peekOldestIfFull()

        var emptyCard = CardState.empty
        emptyCard.lastUpdate = now
        var emptyCounterparty = CounterpartyState.empty
        emptyCounterparty.lastUpdate = now
        let cardSlot = cards.findOrInsert(cardKey, initial: emptyCard).slot
        let terminalSlot = terminals.findOrInsert(terminalKey, initial: emptyCounterparty).slot
        let merchantSlot = merchants.findOrInsert(merchantKey, initial: emptyCounterparty).slot
        var card = cards.states[cardSlot]
        var terminal = terminals.states[terminalSlot]
        var merchant = merchants.states[merchantSlot]
        FeatureExtractor.decay(&card, to: now)
        FeatureExtractor.decay(&terminal, to: now)
        FeatureExtractor.decay(&merchant, to: now)

        // Features (before this transaction updates anything).
        let amount = tx.amount.doubleValue
        let logAmount = EngineMath.log(amount)
        let x = features
        let z = FeatureExtractor.writeDense(
            x, transaction: tx, amount: amount, logAmount: logAmount, now: now, keys: keys, card: card,
            terminal: terminal, merchant: merchant)
        FeatureExtractor.writeSparse(
            slots, transaction: tx, amount: amount, logAmount: logAmount, channelHash: channelHash,
            countryHash: countryHash, ratio30d: x[DenseFeature.amountVsCardMean30d.rawValue], now: now, card: card,
            terminal: terminal, merchant: merchant, bits: configuration.hashBits)

        // Anomaly evidence: Half-Space Trees on min-max scaled inputs (score, then learn),
        // and the card's robust deviation.
        let anomalyCount = anomalyIndices.count
        for k in 0..<anomalyCount { anomalyInput[k] = x[anomalyIndices[k]] }
        let anomalyBuffer = UnsafeMutableBufferPointer(start: anomalyInput, count: anomalyCount)
        scaler.updateThenTransform(anomalyBuffer)
        let hst = trees.scoreThenLearn(UnsafeBufferPointer(anomalyBuffer))
        let deviation = z.magnitude / (z.magnitude + 3)
        x[DenseFeature.hstAnomaly.rawValue] = hst
        x[DenseFeature.cardAmountDeviation.rawValue] = deviation
        let anomaly = 0.5 * hst + 0.5 * deviation
        if captureRawFeatures { capturedRawFeatures = Array(UnsafeBufferPointer(start: x, count: denseCount)) }

        // Standardise (statistics before this transaction, then update), rounded to Float:
        // the model scores exactly the vector the pending buffer keeps for learning.
        let denseBuffer = UnsafeMutableBufferPointer(start: x, count: denseCount)
        standardizer.transformThenUpdate(denseBuffer)
        for i in 0..<denseCount { x[i] = Double(Float(x[i])) }

        // Model, fusion, reasons.
        let dense = UnsafeBufferPointer(denseBuffer)
        let sparse = UnsafeBufferPointer(start: slots, count: sparseCount)
        // One pass over the weights: contributions (dense w·x, the summed sparse weights, the
        // intercept) give the logit as their left-to-right sum, and the reasons.
        // The sparse slots' weights go after the intercept, for the reasons.
        model.contributions(
            dense: dense, sparse: sparse, into: UnsafeMutableBufferPointer(start: contributions, count: denseCount + 2),
            sparseWeights: UnsafeMutableBufferPointer(start: contributions + denseCount + 2, count: sparseCount))
        var logit = 0.0
        for i in 0..<(denseCount + 2) { logit += contributions[i] }
        let probability = EngineMath.sigmoid(logit)
        var score = probability
        if configuration.coldStartPositives > 0 && stats.positivesLearned < UInt64(configuration.coldStartPositives) {
            let lambda =
                configuration.coldStartAnomalyWeight
                * (1 - Double(stats.positivesLearned) / Double(configuration.coldStartPositives))
            score = (1 - lambda) * probability + lambda * anomaly
        }
        topReasons(dense: dense, sparse: sparse, into: &reasons)

        // Update entity state with this transaction.
        FeatureExtractor.update(&card, transaction: tx, amount: amount, logAmount: logAmount, keys: keys, now: now)
        FeatureExtractor.update(&terminal, now: now)
        FeatureExtractor.update(&merchant, now: now)
        cards.states[cardSlot] = card
        terminals.states[terminalSlot] = terminal
        merchants.states[merchantSlot] = merchant

        // Buffer the scored features for the label, then the presumed negative.
        if pending.isFull { evictOldestPending() }
        let (position, replaced) = pending.append(
            txKey: txKey, time: now, eventTime: ts, cardKey: cardKey,
            terminalKey: terminalKey, merchantKey: merchantKey)
        if replaced { stats.duplicateTransactionIDs += 1 }
        pending.amounts[position] = Float(amount)
        let row = pending.denseRow(position)
        for i in 0..<denseCount { row[i] = Float(x[i]) }
        pending.sparseRow(position).update(from: slots, count: sparseCount)
        if maturityMillis == nil {
            if isSampled(txKey) {
                model.learn(dense: dense, sparse: sparse, label: false, weight: presumedWeight)
                stats.negativesLearned += 1
                pending.flags[position] |= PendingBuffer.learnedNegative | PendingBuffer.presumed
            } else {
                pending.flags[position] |= PendingBuffer.presumed
            }
        }

        stats.transactionsScored += 1
        stats.eventsProcessed += 1
        return Decision(
            transactionID: tx.transactionID, cardID: tx.cardID, eventTime: ts, score: score,
            modelProbability: probability, anomaly: anomaly, reasons: [], stateVersion: version)
    }

    /// The `topReasons` largest positive contributions to the logit (dense `w·x`, sparse
    /// slot weights), largest first; ties keep feature order. No allocation beyond the result.
    @inline(__always)
    func topReasons(dense: UnsafeBufferPointer<Double>, sparse: UnsafeBufferPointer<UInt32>, into result: inout [ReasonCode]) {
        let k = configuration.topReasons
        if k == 0 { return }
        let n = denseCount
        let c = contributions  // dense contributions and sparse weights already computed by `score`
        // Sparse weights next to the dense contributions (over the sum and the intercept).
        for k in 0..<sparseCount { c[n + k] = c[n + 2 + k] }  // forward copy: overlap-safe
        // Partial selection into a small sorted prefix (k is small).
        let total = n + sparseCount
        withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { best in
            var found = 0
            // What a value must exceed to enter: 0 until k are found, then the k-th best
            // (positive). One comparison, rarely true once the prefix fills, so the branch
            // is well predicted; a NaN never enters.
            var threshold = 0.0
            for i in 0..<total {
                let v = c[i]
                if !(v > threshold) { continue }
                var j = found < k ? found : k - 1
                while j > 0 && c[best[j - 1]] < v {
                    best[j] = best[j - 1]
                    j -= 1
                }
                best[j] = i
                if found < k { found += 1 }
                if found == k { threshold = c[best[k - 1]] }
            }
            if result.isEmpty { result.reserveCapacity(found) }
            for r in 0..<found {
                let i = best[r]
                let name = i < n ? FeatureSchema.denseNames[i] : FeatureSchema.sparseNames[i - n]
                result.append(ReasonCode(code: name, contribution: c[i]))
            }
        }
    }

    // MARK: - Labels

    /// Applies one label: joins the buffered features of its transaction and teaches the
    /// model; a fraud report also counts against the card, terminal and merchant.
    ///
    /// The label's `reportedAt` advances the clock like any event (within the allowed
    /// forward jump; a later one is applied at the clock and counted in
    /// ``EngineStatistics/labelsWithFutureTime``). A label behind the clock is applied at
    /// the clock: late feedback is still information.
    @discardableResult
    public func learn(_ label: Label) -> LabelOutcome {
        let t = label.reportedAt
        if !hasClock {
            clock = t
            hasClock = true
        } else if t > clock {
            if Engine.gap(t, clock) > configuration.maxForwardJumpMillis {
                stats.labelsWithFutureTime += 1
            } else {
                clock = t
                processMaturity()
            }
        }
        stats.eventsProcessed += 1
        let now = clock
        let txKey = Engine.transactionKey(label.transactionID)
        guard let p = pending.find(txKey) else {
            stats.labelsUnknownTransaction += 1
            if label.isFraud, let cardID = label.cardID {
                reportFraud(cardKey: Engine.cardKey(cardID), now: now)
            }
            return .unknownTransaction
        }
        let flags = pending.flags[p]
        let outcome: LabelOutcome
        if label.isFraud {
            if flags & PendingBuffer.labeledFraud != 0 {
                stats.labelsDuplicate += 1
                return .duplicate
            }
            outcome = flags & PendingBuffer.labeledLegitimate != 0 ? .corrected : .learnedFraud
            var weight = 1.0
            if flags & PendingBuffer.learnedNegative != 0 && configuration.compensatePresumedNegatives {
                // One step with the combined weight stands for "fraud" plus "undo the presumed
                // negative step" (positiveWeight applies to the whole step).
                weight += presumedWeight / configuration.positiveWeight
            }
            learnPending(p, label: true, weight: weight)
            stats.positivesLearned += 1
            pending.flags[p] = (flags | PendingBuffer.labeledFraud | PendingBuffer.learnedPositive)
                & ~PendingBuffer.labeledLegitimate
            reportFraud(
                cardKey: pending.cardKeys[p], now: now, eventTime: pending.eventTimes[p], scoredAt: pending.times[p],
                amount: pending.amounts[p])
            reportFraud(counterparty: terminals, key: pending.terminalKeys[p], eventTime: pending.eventTimes[p], now: now)
            reportFraud(counterparty: merchants, key: pending.merchantKeys[p], eventTime: pending.eventTimes[p], now: now)
        } else {
            if flags & PendingBuffer.labeledLegitimate != 0 {
                stats.labelsDuplicate += 1
                return .duplicate
            }
            if flags & PendingBuffer.labeledFraud != 0 {
                outcome = .corrected
                learnPending(p, label: false, weight: configuration.negativeWeight)
                stats.negativesLearned += 1
                pending.flags[p] = (flags | PendingBuffer.labeledLegitimate | PendingBuffer.learnedNegative)
                    & ~PendingBuffer.labeledFraud
            } else if flags & PendingBuffer.learnedNegative != 0 {
                outcome = .confirmedLegitimate
                pending.flags[p] = flags | PendingBuffer.labeledLegitimate
            } else {
                outcome = .learnedLegitimate
                learnPending(p, label: false, weight: configuration.negativeWeight)
                stats.negativesLearned += 1
                pending.flags[p] = flags | PendingBuffer.labeledLegitimate | PendingBuffer.learnedNegative
            }
        }
        switch outcome {
        case .learnedFraud: stats.labelsLearnedFraud += 1
        case .learnedLegitimate: stats.labelsLearnedLegitimate += 1
        case .confirmedLegitimate: stats.labelsConfirmedLegitimate += 1
        case .corrected: stats.labelsCorrected += 1
        case .duplicate: stats.labelsDuplicate += 1
        case .unknownTransaction: stats.labelsUnknownTransaction += 1
        }
        return outcome
    }

    /// Moves the event-time clock forward (never back) and applies matured negatives.
    /// Use it on idle streams, and after a downtime longer than the allowed forward jump.
    public func advanceClock(to time: EpochMillis) {
        if !hasClock {
            clock = time
            hasClock = true
        } else if time > clock {
            clock = time
        } else {
            return
        }
        processMaturity()
    }

    // MARK: - Internals

    /// `later − earlier` for `later >= earlier`, saturating at `Int64.max` (timestamps from
    /// hand-built transactions can be anything; the decoder bounds them to 2000–2100).
    @inline(__always)
    static func gap(_ later: Int64, _ earlier: Int64) -> Int64 {
        let (d, overflow) = later.subtractingReportingOverflow(earlier)
        return overflow ? .max : d
    }

    /// One model step on the buffered features at ring position `p`.
    func learnPending(_ p: Int, label: Bool, weight: Double) {
        let row = pending.denseRow(p)
        for i in 0..<denseCount { learnDense[i] = Double(row[i]) }
        model.learn(
            dense: UnsafeBufferPointer(start: learnDense, count: denseCount),
            sparse: UnsafeBufferPointer(start: pending.sparseRow(p), count: sparseCount), label: label,
            weight: weight)
    }

    /// A fraud report on a card: decayed report count, time of the last report, the fraud
    /// episode; and, when the transaction is known, its amount is taken out of the card's
    /// windows (its decayed contribution e^(−age/τ) is subtracted exactly), so that the
    /// card's "usual amount" is not inflated by the frauds themselves.
    func reportFraud(cardKey: UInt64, now: Int64, eventTime: Int64? = nil, scoredAt: Int64 = 0, amount: Float = 0) {
        var empty = CardState.empty
        empty.lastUpdate = now
        let slot = cards.findOrInsert(cardKey, initial: empty).slot
        var c = cards.states[slot]
        FeatureExtractor.decay(&c, to: now)
        c.fraudReports += 1
        c.lastFraudReport = now
        if let eventTime {
            FraudEpisode.record(eventTime, first: &c.firstKnownFraudTx, last: &c.lastKnownFraudTx)
            let age = Engine.gap(max(now, scoredAt), scoredAt)
            let w24 = Decay.factor(age, Decay.inv1d)
            let w7 = Decay.factor(age, Decay.inv7d)
            let w30 = Decay.factor(age, Decay.inv30d)
            c.count24h = max(0, c.count24h - w24)
            c.count7d = max(0, c.count7d - w7)
            c.count30d = max(0, c.count30d - w30)
            c.sum24h = max(0, c.sum24h - amount * w24)
            c.sum7d = max(0, c.sum7d - amount * w7)
            c.sum30d = max(0, c.sum30d - amount * w30)
        }
        cards.states[slot] = c
    }

    /// A fraud report at a terminal or merchant: decayed fraud counters and the event time
    /// of the most recent known fraud there.
    func reportFraud(counterparty table: EntityTable<CounterpartyState>, key: UInt64, eventTime: Int64, now: Int64) {
        var empty = CounterpartyState.empty
        empty.lastUpdate = now
        let slot = table.findOrInsert(key, initial: empty).slot
        var s = table.states[slot]
        FeatureExtractor.decay(&s, to: now)
        s.fraud1d += 1
        s.fraud7d += 1
        s.fraud28d += 1
        FraudEpisode.record(eventTime, first: &s.firstKnownFraudTx, last: &s.lastKnownFraudTx)
        table.states[slot] = s
    }

    /// Under `.matureAfter`: learns as legitimate every buffered transaction whose scoring
    /// time is at least the maturity period behind the clock and that has no fraud label.
    func processMaturity() {
        guard let maturity = maturityMillis else { return }
        while pending.maturedPrefix < pending.count {
            let p = pending.position(ofAge: pending.maturedPrefix)
            if Engine.gap(clock, pending.times[p]) < maturity { break }
            matureNegative(p)
            pending.maturedPrefix += 1
        }
    }

    @inline(__always)
    func matureNegative(_ p: Int) {
        let flags = pending.flags[p]
        let handled = PendingBuffer.learnedNegative | PendingBuffer.labeledFraud | PendingBuffer.labeledLegitimate
            | PendingBuffer.presumed
        if flags & handled == 0 {
            if isSampled(pending.txKeys[p]) {
                learnPending(p, label: false, weight: presumedWeight)
                stats.negativesLearned += 1
                pending.flags[p] = flags | PendingBuffer.learnedNegative | PendingBuffer.presumed
            } else {
                pending.flags[p] = flags | PendingBuffer.presumed
            }
        }
    }

    /// Whether a presumed negative is learned (stable per transaction id; see
    /// ``EngineConfiguration/presumedNegativeSampleRate``).
    @inline(__always)
    func isSampled(_ txKey: UInt64) -> Bool {
        sampleThreshold == .max || StableHash.mix64(txKey ^ configuration.seed) < sampleThreshold
    }

    /// Evicts the oldest pending entry; under `.matureAfter` it is learned as legitimate
    /// first if it never was (and has no fraud label).
    func evictOldestPending() {
        if maturityMillis != nil && pending.maturedPrefix == 0 {
            matureNegative(pending.position(ofAge: 0))
        }
        _ = pending.removeOldest()
        stats.pendingEvictions += 1
    }
}
