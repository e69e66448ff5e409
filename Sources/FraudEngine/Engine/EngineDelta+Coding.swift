import FraudModels

/// The sealed byte form of an ``EngineDelta``.
///
/// Payload, in order: feature-schema version; the configuration; base state version; clock;
/// statistics; the four models (their own `StateCodable` encodings); for cards, terminals
/// and merchants: count, hand, evictions, then the changed slots (ascending) as columns —
/// slots, keys, CLOCK bytes — followed by each slot's state; the pending buffer: ring start,
/// count, matured prefix, appends, then the appended entries as columns (id hashes, times,
/// amounts, dense rows, sparse rows) and the flags of every buffered entry, oldest first.
/// Columns are count-prefixed little-endian arrays, read and written in bulk.
extension EngineDelta {
    /// The sealed bytes.
    public func encoded() -> [UInt8] {
        let entityBytes =
            cards.slots.count * (13 + Engine.cardEncodedSize)
            + (terminals.slots.count + merchants.slots.count) * (13 + Engine.counterpartyEncodedSize)
        var w = StateEnvelope.payloadWriter(
            reservingCapacity: 1 << 16 + (1 << configuration.hashBits) * 24 + entityBytes + pending.count
                + pending.included * (53 + 4 * (FeatureSchema.denseCount + FeatureSchema.sparseCount)))
        w.writeUInt32(FeatureSchema.version)
        Engine.write(configuration, to: &w)
        w.writeUInt64(baseStateVersion)
        w.writeBool(hasClock)
        w.writeInt64(clock)
        Engine.write(stats, to: &w)
        w.write(model)
        w.write(standardizer)
        w.write(scaler)
        w.write(trees)
        Self.write(cards, to: &w, Engine.write)
        Self.write(terminals, to: &w, Engine.write)
        Self.write(merchants, to: &w, Engine.write)
        let p = pending
        for v in [p.start, p.count, p.maturedPrefix, p.appended] { w.writeUInt64(UInt64(v)) }
        w.writeUInt64s(p.txKeys)
        w.writeUInt64s(p.times.map { UInt64(bitPattern: $0) })
        w.writeUInt64s(p.eventTimes.map { UInt64(bitPattern: $0) })
        w.writeUInt64s(p.cardKeys)
        w.writeUInt64s(p.terminalKeys)
        w.writeUInt64s(p.merchantKeys)
        w.writeFloats(p.amounts)
        w.writeFloats(p.dense)
        w.writeUInt32s(p.sparse)
        w.writeBytes(p.flags)
        StateEnvelope.seal(&w, kind: Self.kind, formatVersion: Self.formatVersion)
        return w.bytes
    }

    /// Decodes sealed bytes written by ``encoded()``.
    ///
    /// - Parameter verifiedByEnclosingChecksum: true when the bytes sit inside a file whose
    ///   own checksum was just verified (the delta's is then not computed again).
    /// - Throws: ``FraudModels/StateError`` naming what is wrong.
    public init(decoding bytes: [UInt8], verifiedByEnclosingChecksum: Bool = false) throws(StateError) {
        try self.init(decoding: bytes[...], verifiedByEnclosingChecksum: verifiedByEnclosingChecksum)
    }

    /// ``init(decoding:verifiedByEnclosingChecksum:)`` for a delta inside a larger array.
    public init(decoding bytes: ArraySlice<UInt8>, verifiedByEnclosingChecksum: Bool = false) throws(StateError) {
        let (_, payload) = try StateEnvelope.open(
            bytes, kind: Self.kind, supportedVersions: [Self.formatVersion], verifyChecksum: !verifiedByEnclosingChecksum)
        var r = StateReader(payload)
        let schema = try r.readUInt32()
        guard schema == FeatureSchema.version else {
            throw StateError.corrupt("delta uses feature schema \(schema), this build has \(FeatureSchema.version)")
        }
        let configuration = try Engine.readConfiguration(&r)
        let base = try r.readUInt64()
        let hasClock = try r.readBool()
        let clock = try r.readInt64()
        let stats = try Engine.readStatistics(&r)
        let model = try r.read(LogisticRegression.self)
        let standardizer = try r.read(OnlineStandardizer.self)
        let scaler = try r.read(OnlineMinMaxScaler.self)
        let trees = try r.read(HalfSpaceTrees.self)
        let cards = try Self.read(CardState.self, from: &r, Engine.readCard)
        let terminals = try Self.read(CounterpartyState.self, from: &r, Engine.readCounterparty)
        let merchants = try Self.read(CounterpartyState.self, from: &r, Engine.readCounterparty)
        func int(_ v: UInt64) throws(StateError) -> Int {
            guard v <= UInt64(Int32.max) else { throw StateError.corrupt("pending bookkeeping \(v) out of range") }
            return Int(v)
        }
        var p = PendingChanges(
            start: try int(r.readUInt64()), count: try int(r.readUInt64()), maturedPrefix: try int(r.readUInt64()),
            appended: try int(r.readUInt64()))
        p.txKeys = try r.readUInt64s()
        let n = p.txKeys.count
        p.times = try r.readUInt64s(expectedCount: n).map { Int64(bitPattern: $0) }
        p.eventTimes = try r.readUInt64s(expectedCount: n).map { Int64(bitPattern: $0) }
        p.cardKeys = try r.readUInt64s(expectedCount: n)
        p.terminalKeys = try r.readUInt64s(expectedCount: n)
        p.merchantKeys = try r.readUInt64s(expectedCount: n)
        p.amounts = try r.readFloats(expectedCount: n)
        p.dense = try r.readFloats(expectedCount: n * FeatureSchema.denseCount)
        p.sparse = try r.readUInt32s(expectedCount: n * FeatureSchema.sparseCount)
        p.flags = try r.readBytes()
        try r.expectEnd()
        self.init(
            configuration: configuration, baseStateVersion: base, hasClock: hasClock, clock: clock, stats: stats,
            model: model, standardizer: standardizer, scaler: scaler, trees: trees, cards: cards,
            terminals: terminals, merchants: merchants, pending: p)
    }

    private static func write<State: Sendable>(
        _ c: EntityTableChanges<State>, to w: inout StateWriter, _ writeState: (State, inout StateWriter) -> Void
    ) {
        w.writeUInt64(UInt64(c.count))
        w.writeUInt64(UInt64(c.hand))
        w.writeUInt64(c.evictions)
        w.writeUInt32s(c.slots)
        w.writeUInt64s(c.keys)
        w.writeBytes(c.referenced)
        for state in c.states { writeState(state, &w) }
    }

    private static func read<State: Sendable>(
        _ type: State.Type, from r: inout StateReader,
        _ readState: (inout StateReader) throws(StateError) -> State
    ) throws(StateError) -> EntityTableChanges<State> {
        let count = try r.readUInt64()
        let hand = try r.readUInt64()
        guard count <= UInt64(UInt32.max), hand <= count else { throw StateError.corrupt("entity count or hand out of range") }
        var c = EntityTableChanges<State>(count: Int(count), hand: Int(hand), evictions: try r.readUInt64())
        c.slots = try r.readUInt32s()
        c.keys = try r.readUInt64s(expectedCount: c.slots.count)
        c.referenced = try r.readBytes()
        guard c.referenced.count == c.slots.count else { throw StateError.corrupt("entity changes of different lengths") }
        c.states.reserveCapacity(c.slots.count)
        for _ in 0..<c.slots.count { c.states.append(try readState(&r)) }
        return c
    }
}
