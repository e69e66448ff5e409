import FraudModels

/// What changed in an ``Engine`` between two moments: the base of an incremental
/// checkpoint.
///
/// Taken with ``Engine/takeDelta()``, which costs a copy of what changed (the entities the
/// events touched, the pending entries they appended, every pending flag) plus a
/// copy-on-write reference to the models; applied with ``Engine/apply(_:)`` to an engine
/// equal to the one it was taken from at its previous delta (or at its creation or
/// restoration). Afterwards the two are equal: same ``Engine/checkpoint()`` bytes, same
/// decisions from then on.
///
/// The models (logistic regression with its FTRL accumulators, the scalers, the Half-Space
/// Trees) are carried whole: a learning step touches them everywhere, and together they are
/// a few megabytes. Entities are carried by slot (key, CLOCK byte, state), pending entries
/// by ring position, so that restoring a delta reproduces the tables slot for slot.
///
/// Encoded (``encoded()``) in a ``FraudModels/StateEnvelope`` of kind ``kind`` (`ENGD`),
/// CRC-32C over everything.
public struct EngineDelta: Sendable {
    /// Envelope kind: ASCII `ENGD`.
    public static let kind: UInt32 = 0x454E_4744
    /// Current payload layout version.
    public static let formatVersion: UInt32 = 1

    /// The engine's configuration (a delta applies only to an engine with the same one).
    public let configuration: EngineConfiguration
    /// Events the engine had applied when the previous delta was taken.
    public let baseStateVersion: UInt64
    /// Events the engine had applied when this delta was taken.
    public var stateVersion: UInt64 { stats.eventsProcessed }
    let hasClock: Bool
    let clock: Int64
    let stats: EngineStatistics
    let model: LogisticRegression
    let standardizer: OnlineStandardizer
    let scaler: OnlineMinMaxScaler
    let trees: HalfSpaceTrees
    let cards: EntityTableChanges<CardState>
    let terminals: EntityTableChanges<CounterpartyState>
    let merchants: EntityTableChanges<CounterpartyState>
    let pending: PendingChanges

    /// Entities whose state the delta carries (cards, terminals, merchants).
    public var changedEntities: Int { cards.slots.count + terminals.slots.count + merchants.slots.count }
    /// Pending entries the delta carries in full.
    public var appendedPendingEntries: Int { pending.included }

    /// The delta's arrays, for the next ``Engine/takeDelta(reusing:)`` once this one is
    /// written out (the models are not kept).
    public var buffers: Buffers { Buffers(cards: cards, terminals: terminals, merchants: merchants, pending: pending) }

    /// Arrays of a spent delta, lent to the next one (or empty ones).
    public struct Buffers: Sendable {
        var cards = EntityTableChanges<CardState>(count: 0, hand: 0, evictions: 0)
        var terminals = EntityTableChanges<CounterpartyState>(count: 0, hand: 0, evictions: 0)
        var merchants = EntityTableChanges<CounterpartyState>(count: 0, hand: 0, evictions: 0)
        var pending = PendingChanges(start: 0, count: 0, maturedPrefix: 0, appended: 0)

        /// Empty buffers.
        public init() {}

        init(
            cards: EntityTableChanges<CardState>, terminals: EntityTableChanges<CounterpartyState>,
            merchants: EntityTableChanges<CounterpartyState>, pending: PendingChanges
        ) {
            self.cards = cards
            self.terminals = terminals
            self.merchants = merchants
            self.pending = pending
        }
    }

    init(
        configuration: EngineConfiguration, baseStateVersion: UInt64, hasClock: Bool, clock: Int64,
        stats: EngineStatistics, model: LogisticRegression, standardizer: OnlineStandardizer,
        scaler: OnlineMinMaxScaler, trees: HalfSpaceTrees, cards: EntityTableChanges<CardState>,
        terminals: EntityTableChanges<CounterpartyState>, merchants: EntityTableChanges<CounterpartyState>,
        pending: PendingChanges
    ) {
        self.configuration = configuration
        self.baseStateVersion = baseStateVersion
        self.hasClock = hasClock
        self.clock = clock
        self.stats = stats
        self.model = model
        self.standardizer = standardizer
        self.scaler = scaler
        self.trees = trees
        self.cards = cards
        self.terminals = terminals
        self.merchants = merchants
        self.pending = pending
    }
}

extension Engine {
    /// Everything that changed since the last delta (or since this engine was created or
    /// restored), then starts the next stretch. The caller owns the result; the engine
    /// shares nothing mutable with it. `spare`: the ``EngineDelta/buffers`` of a delta
    /// already written out, whose memory the copy reuses (pass them on, keep no other
    /// reference to them: a shared array would be copied instead of reused).
    public func takeDelta(reusing spare: consuming EngineDelta.Buffers = EngineDelta.Buffers()) -> EngineDelta {
        var b = consume spare
        cards.takeChanges(into: &b.cards)
        terminals.takeChanges(into: &b.terminals)
        merchants.takeChanges(into: &b.merchants)
        pending.takeChanges(into: &b.pending)
        let delta = EngineDelta(
            configuration: configuration, baseStateVersion: deltaBaseVersion, hasClock: hasClock, clock: clock,
            stats: stats, model: model, standardizer: standardizer, scaler: scaler, trees: trees,
            cards: b.cards, terminals: b.terminals, merchants: b.merchants, pending: b.pending)
        deltaBaseVersion = stats.eventsProcessed
        return delta
    }

    /// Starts a new stretch of changes here without taking them (after restoring: the
    /// restored state is the base of the next delta).
    public func clearChanges() {
        cards.clearChanges()
        terminals.clearChanges()
        merchants.clearChanges()
        pending.clearChanges()
        deltaBaseVersion = stats.eventsProcessed
    }

    /// Applies `delta`, taken from an engine that was equal to this one when its previous
    /// delta was taken. Afterwards this engine equals that one at the moment of `delta`.
    ///
    /// - Throws: ``FraudModels/StateError/corrupt(_:)`` when the delta belongs to another
    ///   configuration or another base state, or does not fit the tables; the engine may
    ///   then be partly changed and must not be used.
    public func apply(_ delta: EngineDelta) throws(StateError) {
        guard delta.configuration == configuration else {
            throw StateError.corrupt("the delta was taken from an engine with another configuration")
        }
        guard delta.baseStateVersion == stats.eventsProcessed else {
            throw StateError.corrupt(
                "the delta follows state version \(delta.baseStateVersion), this engine is at \(stats.eventsProcessed)")
        }
        guard delta.model.configuration == model.configuration, delta.trees.configuration == trees.configuration,
            delta.standardizer.dimension == standardizer.dimension, delta.scaler.dimension == scaler.dimension
        else { throw StateError.corrupt("the delta's model shapes do not match the configuration") }
        try cards.apply(delta.cards)
        try terminals.apply(delta.terminals)
        try merchants.apply(delta.merchants)
        try pending.apply(delta.pending)
        hasClock = delta.hasClock
        clock = delta.clock
        stats = delta.stats
        model = delta.model
        standardizer = delta.standardizer
        scaler = delta.scaler
        trees = delta.trees
        clearChanges()
    }
}
