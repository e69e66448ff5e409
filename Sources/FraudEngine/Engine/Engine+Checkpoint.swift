import FraudModels

/// Checkpoints: the whole engine state in one sealed, versioned, checksummed byte array.
///
/// Envelope: ``StateEnvelope`` with kind ``Engine/checkpointKind`` (`ENGN`) and format
/// version ``Engine/checkpointFormatVersion`` (CRC-32C over everything). Payload, in order:
/// feature-schema version; the configuration; clock; statistics; the logistic regression
/// (weights and FTRL accumulators), the standardiser, the min-max scaler and the Half-Space
/// Trees (their own `StateCodable` encodings); cards, terminals and merchants in slot order
/// (key, CLOCK bit, fields; no padding, no per-entity framing) with each table's eviction
/// hand; the pending buffer from oldest to newest, as columns read and written in bulk
/// (format 2; format 1, which interleaved them per entry, is no longer read): ids' hashes,
/// times, flags, amounts, features as scored. Restoring puts every entity back in its slot and rebuilds the hash
/// indexes, so every later lookup and eviction is the same as in the engine that wrote the
/// checkpoint.
extension Engine {
    /// Envelope kind: ASCII `ENGN`.
    public static let checkpointKind: UInt32 = 0x454E_474E
    /// Current payload layout version.
    public static let checkpointFormatVersion: UInt32 = 2
    /// Versions this build restores.
    public static let supportedCheckpointVersions: [UInt32] = [2]

    /// The whole engine state, sealed (see the extension's documentation).
    public func checkpoint() -> [UInt8] {
        var w = StateEnvelope.payloadWriter(
            reservingCapacity: 1 << 20 + cards.count * 130 + (terminals.count + merchants.count) * 60
                + pending.count * (60 + 4 * (denseCount + sparseCount)))
        w.writeUInt32(FeatureSchema.version)
        Engine.write(configuration, to: &w)
        w.writeBool(hasClock)
        w.writeInt64(clock)
        Engine.write(stats, to: &w)
        w.writeUInt64(cards.evictions)
        w.writeUInt64(terminals.evictions)
        w.writeUInt64(merchants.evictions)
        w.write(model)
        w.write(standardizer)
        w.write(scaler)
        w.write(trees)
        // Cards, then terminals and merchants, in slot order (with the CLOCK bits and hand).
        w.writeUInt64(UInt64(cards.count))
        w.writeUInt64(UInt64(cards.hand))
        for slot in 0..<cards.count {
            w.writeUInt64(cards.keys[slot])
            w.writeUInt8(cards.referenced[slot])
            Engine.write(cards.states[slot], to: &w)
        }
        for table in [terminals, merchants] {
            w.writeUInt64(UInt64(table.count))
            w.writeUInt64(UInt64(table.hand))
            for slot in 0..<table.count {
                w.writeUInt64(table.keys[slot])
                w.writeUInt8(table.referenced[slot])
                Engine.write(table.states[slot], to: &w)
            }
        }
        // Pending buffer, oldest first, column by column (the ring's one or two runs each).
        w.writeUInt64(UInt64(pending.count))
        w.writeUInt64(UInt64(pending.maturedPrefix))
        let runs = pending.liveRuns
        func column<T>(_ base: UnsafeMutablePointer<T>, width: Int = 1) -> [UnsafeBufferPointer<T>] {
            runs.map { UnsafeBufferPointer(start: base + $0.start * width, count: $0.count * width) }
        }
        func bits<T, U>(_ parts: [UnsafeBufferPointer<T>], as type: U.Type) -> [UnsafeBufferPointer<U>] {
            parts.map { UnsafeRawBufferPointer($0).bindMemory(to: U.self) }
        }
        w.writeUInt64Column(column(pending.txKeys))
        w.writeUInt64Column(bits(column(pending.times), as: UInt64.self))
        w.writeUInt64Column(bits(column(pending.eventTimes), as: UInt64.self))
        w.writeUInt64Column(column(pending.cardKeys))
        w.writeUInt64Column(column(pending.terminalKeys))
        w.writeUInt64Column(column(pending.merchantKeys))
        w.writeByteColumn(column(pending.flags))
        w.writeUInt32Column(bits(column(pending.amounts), as: UInt32.self))
        w.writeUInt32Column(bits(column(pending.dense, width: denseCount), as: UInt32.self))
        w.writeUInt32Column(column(pending.sparse, width: sparseCount))
        StateEnvelope.seal(&w, kind: Engine.checkpointKind, formatVersion: Engine.checkpointFormatVersion)
        return w.bytes
    }

    /// Restores an engine from ``checkpoint()``; it continues bit-identically.
    ///
    /// - Throws: ``StateError`` with an operator-readable description:
    ///   `badMagic` (not a checkpoint), `truncated`, `checksumMismatch` (damaged),
    ///   `unsupportedVersion` (written by another release), `corrupt` (structurally invalid,
    ///   or a feature schema this build does not have).
    /// - Parameter verifiedByEnclosingChecksum: true when these bytes sit inside a file whose
    ///   own checksum was just verified (a processor checkpoint): the engine's checksum is then
    ///   not computed a second time over the same bytes.
    public convenience init(checkpoint bytes: [UInt8], verifiedByEnclosingChecksum: Bool = false) throws(StateError) {
        try self.init(checkpoint: bytes[...], verifiedByEnclosingChecksum: verifiedByEnclosingChecksum)
    }

    /// ``init(checkpoint:verifiedByEnclosingChecksum:)`` for a checkpoint inside a larger
    /// array (a checkpoint file), without copying it out.
    public convenience init(checkpoint bytes: ArraySlice<UInt8>, verifiedByEnclosingChecksum: Bool = false) throws(StateError) {
        let (_, payload) = try StateEnvelope.open(
            bytes, kind: Engine.checkpointKind, supportedVersions: Engine.supportedCheckpointVersions,
            verifyChecksum: !verifiedByEnclosingChecksum)
        var r = StateReader(payload)
        let schema = try r.readUInt32()
        guard schema == FeatureSchema.version else {
            throw StateError.corrupt(
                "checkpoint uses feature schema \(schema), this build has \(FeatureSchema.version); start from a fresh state")
        }
        let configuration = try Engine.readConfiguration(&r)
        if let problem = configuration.validate() {
            throw StateError.corrupt("configuration out of range (\(problem))")
        }
        self.init(configuration: configuration)
        try restoreState(&r)
        try r.expectEnd()
        clearChanges()
    }

    private func restoreState(_ r: inout StateReader) throws(StateError) {
        hasClock = try r.readBool()
        clock = try r.readInt64()
        stats = try Engine.readStatistics(&r)
        let cardEvictions = try r.readUInt64()
        let terminalEvictions = try r.readUInt64()
        let merchantEvictions = try r.readUInt64()
        let restoredModel = try r.read(LogisticRegression.self)
        guard restoredModel.configuration == Engine.modelConfiguration(configuration) else {
            throw StateError.corrupt("model shape does not match the configuration")
        }
        model = restoredModel
        let restoredStandardizer = try r.read(OnlineStandardizer.self)
        guard restoredStandardizer.dimension == denseCount else {
            throw StateError.corrupt("standardiser dimension does not match the feature schema")
        }
        standardizer = restoredStandardizer
        let restoredScaler = try r.read(OnlineMinMaxScaler.self)
        guard restoredScaler.dimension == anomalyIndices.count else {
            throw StateError.corrupt("scaler dimension does not match the anomaly inputs")
        }
        scaler = restoredScaler
        let restoredTrees = try r.read(HalfSpaceTrees.self)
        guard restoredTrees.configuration == Engine.treeConfiguration(configuration) else {
            throw StateError.corrupt("Half-Space Trees shape does not match the configuration")
        }
        trees = restoredTrees

        let cardCount = try r.readCount(elementSize: 9 + Engine.cardEncodedSize)
        let cardHand = try r.readUInt64()
        guard cardCount <= cards.maxCount else { throw StateError.corrupt("more cards than the configured cap") }
        cards.reserveCapacity(cardCount)
        for _ in 0..<cardCount {
            let key = try r.readUInt64()
            let isReferenced = try r.readUInt8() != 0
            let state = try Engine.readCard(&r)
            guard cards.append(key: key, state: state, referenced: isReferenced) else {
                throw StateError.corrupt("card key listed twice")
            }
        }
        guard cards.setHand(Int(truncatingIfNeeded: cardHand)) else { throw StateError.corrupt("card eviction hand out of range") }
        for table in [terminals, merchants] {
            let count = try r.readCount(elementSize: 9 + Engine.counterpartyEncodedSize)
            let hand = try r.readUInt64()
            guard count <= table.maxCount else { throw StateError.corrupt("more entities than the configured cap") }
            table.reserveCapacity(count)
            for _ in 0..<count {
                let key = try r.readUInt64()
                let isReferenced = try r.readUInt8() != 0
                let state = try Engine.readCounterparty(&r)
                guard table.append(key: key, state: state, referenced: isReferenced) else {
                    throw StateError.corrupt("entity key listed twice")
                }
            }
            guard table.setHand(Int(truncatingIfNeeded: hand)) else { throw StateError.corrupt("eviction hand out of range") }
        }
        cards.evictions = cardEvictions
        terminals.evictions = terminalEvictions
        merchants.evictions = merchantEvictions

        let pendingCount = Int(try r.readUInt64())
        let matured = try r.readUInt64()
        guard pendingCount <= pending.capacity, matured <= UInt64(pendingCount) else {
            throw StateError.corrupt("pending buffer larger than its capacity")
        }
        // Laid out from ring position 0, oldest first; the index is rebuilt at the end.
        pending.prepareRestore(count: pendingCount)
        let n = pendingCount
        func raw<T, U>(_ p: UnsafeMutablePointer<T>, as type: U.Type) -> UnsafeMutablePointer<U> {
            UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
        }
        try r.readUInt64Column(into: pending.txKeys, count: n)
        try r.readUInt64Column(into: raw(pending.times, as: UInt64.self), count: n)
        try r.readUInt64Column(into: raw(pending.eventTimes, as: UInt64.self), count: n)
        try r.readUInt64Column(into: pending.cardKeys, count: n)
        try r.readUInt64Column(into: pending.terminalKeys, count: n)
        try r.readUInt64Column(into: pending.merchantKeys, count: n)
        try r.readByteColumn(into: pending.flags, count: n)
        try r.readUInt32Column(into: raw(pending.amounts, as: UInt32.self), count: n)
        try r.readUInt32Column(into: raw(pending.dense, as: UInt32.self), count: n * denseCount)
        try r.readUInt32Column(into: pending.sparse, count: n * sparseCount)
        pending.maturedPrefix = Int(matured)
        guard pending.rebuildIndex() else { throw StateError.corrupt("pending transaction listed twice without its duplicate mark") }
    }

    // MARK: - Field encodings

    static func write(_ c: EngineConfiguration, to w: inout StateWriter) {
        w.writeUInt64(c.seed)
        switch c.labelPolicy {
        case .presumeLegitimateAtOnce:
            w.writeUInt8(0)
            w.writeInt64(0)
        case .matureAfter(let days):
            w.writeUInt8(1)
            w.writeInt64(Int64(days))
        }
        w.writeBool(c.compensatePresumedNegatives)
        w.writeUInt64(UInt64(c.maxCards))
        w.writeUInt64(UInt64(c.maxTerminals))
        w.writeUInt64(UInt64(c.maxMerchants))
        w.writeUInt64(UInt64(c.pendingCapacity))
        w.writeInt64(c.allowedLatenessMillis)
        w.writeInt64(c.maxForwardJumpMillis)
        w.writeUInt8(UInt8(c.hashBits))
        w.writeDouble(c.alpha)
        w.writeDouble(c.beta)
        w.writeDouble(c.l1)
        w.writeDouble(c.l2)
        w.writeDouble(c.positiveWeight)
        w.writeDouble(c.negativeWeight)
        w.writeDouble(c.presumedNegativeSampleRate)
        w.writeDouble(c.standardizedClip)
        w.writeUInt32(UInt32(c.anomalyTrees))
        w.writeUInt32(UInt32(c.anomalyTreeHeight))
        w.writeUInt32(UInt32(c.anomalyWindow))
        w.writeUInt64(UInt64(c.coldStartPositives))
        w.writeDouble(c.coldStartAnomalyWeight)
        w.writeUInt32(UInt32(c.topReasons))
    }

    static func readConfiguration(_ r: inout StateReader) throws(StateError) -> EngineConfiguration {
        var c = EngineConfiguration()
        c.seed = try r.readUInt64()
        let policy = try r.readUInt8()
        let days = try r.readInt64()
        switch policy {
        case 0: c.labelPolicy = .presumeLegitimateAtOnce
        case 1:
            guard (0...3650).contains(days) else { throw StateError.corrupt("maturity of \(days) days out of range") }
            c.labelPolicy = .matureAfter(days: Int(days))
        default: throw StateError.corrupt("unknown label policy \(policy)")
        }
        c.compensatePresumedNegatives = try r.readBool()
        func int(_ v: UInt64) throws(StateError) -> Int {
            guard v < UInt64(UInt32.max) else { throw StateError.corrupt("capacity \(v) out of range") }
            return Int(v)
        }
        c.maxCards = try int(r.readUInt64())
        c.maxTerminals = try int(r.readUInt64())
        c.maxMerchants = try int(r.readUInt64())
        c.pendingCapacity = try int(r.readUInt64())
        c.allowedLatenessMillis = try r.readInt64()
        c.maxForwardJumpMillis = try r.readInt64()
        c.hashBits = Int(try r.readUInt8())
        c.alpha = try r.readDouble()
        c.beta = try r.readDouble()
        c.l1 = try r.readDouble()
        c.l2 = try r.readDouble()
        c.positiveWeight = try r.readDouble()
        c.negativeWeight = try r.readDouble()
        c.presumedNegativeSampleRate = try r.readDouble()
        c.standardizedClip = try r.readDouble()
        c.anomalyTrees = Int(try r.readUInt32())
        c.anomalyTreeHeight = Int(try r.readUInt32())
        c.anomalyWindow = Int(try r.readUInt32())
        c.coldStartPositives = try int(r.readUInt64())
        c.coldStartAnomalyWeight = try r.readDouble()
        c.topReasons = Int(try r.readUInt32())
        return c
    }

    static func write(_ s: EngineStatistics, to w: inout StateWriter) {
        for v in [
            s.transactionsScored, s.lateTransactionsAccepted, s.transactionsTooLate, s.transactionsTooFarInFuture,
            s.transactionsInvalid, s.duplicateTransactionIDs, s.labelsLearnedFraud, s.labelsLearnedLegitimate,
            s.labelsConfirmedLegitimate, s.labelsCorrected, s.labelsDuplicate, s.labelsUnknownTransaction,
            s.labelsWithFutureTime, s.negativesLearned, s.positivesLearned, s.pendingEvictions, s.eventsProcessed,
        ] {
            w.writeUInt64(v)
        }
    }

    static func readStatistics(_ r: inout StateReader) throws(StateError) -> EngineStatistics {
        var s = EngineStatistics()
        s.transactionsScored = try r.readUInt64()
        s.lateTransactionsAccepted = try r.readUInt64()
        s.transactionsTooLate = try r.readUInt64()
        s.transactionsTooFarInFuture = try r.readUInt64()
        s.transactionsInvalid = try r.readUInt64()
        s.duplicateTransactionIDs = try r.readUInt64()
        s.labelsLearnedFraud = try r.readUInt64()
        s.labelsLearnedLegitimate = try r.readUInt64()
        s.labelsConfirmedLegitimate = try r.readUInt64()
        s.labelsCorrected = try r.readUInt64()
        s.labelsDuplicate = try r.readUInt64()
        s.labelsUnknownTransaction = try r.readUInt64()
        s.labelsWithFutureTime = try r.readUInt64()
        s.negativesLearned = try r.readUInt64()
        s.positivesLearned = try r.readUInt64()
        s.pendingEvictions = try r.readUInt64()
        s.eventsProcessed = try r.readUInt64()
        return s
    }

    /// Encoded bytes per card (without its key).
    static let cardEncodedSize = 5 * 8 + 7 * 4 + 12 + 3 * 4 + 4 * 8 + 4

    static func write(_ c: CardState, to w: inout StateWriter) {
        w.writeInt64(c.lastUpdate)
        w.writeInt64(c.lastTxTime)
        w.writeInt64(c.lastFraudReport)
        w.writeInt64(c.firstKnownFraudTx)
        w.writeInt64(c.lastKnownFraudTx)
        w.writeFloat(c.count1h)
        w.writeFloat(c.count24h)
        w.writeFloat(c.count7d)
        w.writeFloat(c.count30d)
        w.writeFloat(c.sum24h)
        w.writeFloat(c.sum7d)
        w.writeFloat(c.sum30d)
        c.logAmount.encode(to: &w)
        w.writeFloat(c.fraudReports)
        w.writeFloat(c.lastLatitude)
        w.writeFloat(c.lastLongitude)
        w.writeUInt64(c.terminalRing0)
        w.writeUInt64(c.terminalRing1)
        w.writeUInt64(c.merchantRing)
        w.writeUInt64(c.countryRing)
        w.writeUInt8(c.terminalCursor)
        w.writeUInt8(c.merchantCursor)
        w.writeUInt8(c.countryCursor)
        w.writeUInt8(c.reserved)
    }

    static func readCard(_ r: inout StateReader) throws(StateError) -> CardState {
        var c = CardState.empty
        c.lastUpdate = try r.readInt64()
        c.lastTxTime = try r.readInt64()
        c.lastFraudReport = try r.readInt64()
        c.firstKnownFraudTx = try r.readInt64()
        c.lastKnownFraudTx = try r.readInt64()
        c.count1h = try r.readFloat()
        c.count24h = try r.readFloat()
        c.count7d = try r.readFloat()
        c.count30d = try r.readFloat()
        c.sum24h = try r.readFloat()
        c.sum7d = try r.readFloat()
        c.sum30d = try r.readFloat()
        c.logAmount = try RobustStatistics(from: &r)
        c.fraudReports = try r.readFloat()
        c.lastLatitude = try r.readFloat()
        c.lastLongitude = try r.readFloat()
        c.terminalRing0 = try r.readUInt64()
        c.terminalRing1 = try r.readUInt64()
        c.merchantRing = try r.readUInt64()
        c.countryRing = try r.readUInt64()
        c.terminalCursor = try r.readUInt8()
        c.merchantCursor = try r.readUInt8()
        c.countryCursor = try r.readUInt8()
        c.reserved = try r.readUInt8()
        guard c.terminalCursor < 8, c.merchantCursor < 4, c.countryCursor < 4 else {
            throw StateError.corrupt("card fingerprint ring cursor out of range")
        }
        return c
    }

    /// Encoded bytes per terminal or merchant (without its key).
    static let counterpartyEncodedSize = 3 * 8 + 6 * 4 + 2 * 4

    static func write(_ s: CounterpartyState, to w: inout StateWriter) {
        w.writeInt64(s.lastUpdate)
        w.writeInt64(s.lastKnownFraudTx)
        w.writeInt64(s.firstKnownFraudTx)
        w.writeFloat(s.tx1d)
        w.writeFloat(s.tx7d)
        w.writeFloat(s.tx28d)
        w.writeFloat(s.fraud1d)
        w.writeFloat(s.fraud7d)
        w.writeFloat(s.fraud28d)
        w.writeUInt32(s.transactions)
        w.writeUInt32(s.reserved)
    }

    static func readCounterparty(_ r: inout StateReader) throws(StateError) -> CounterpartyState {
        var s = CounterpartyState.empty
        s.lastUpdate = try r.readInt64()
        s.lastKnownFraudTx = try r.readInt64()
        s.firstKnownFraudTx = try r.readInt64()
        s.tx1d = try r.readFloat()
        s.tx7d = try r.readFloat()
        s.tx28d = try r.readFloat()
        s.fraud1d = try r.readFloat()
        s.fraud7d = try r.readFloat()
        s.fraud28d = try r.readFloat()
        s.transactions = try r.readUInt32()
        s.reserved = try r.readUInt32()
        return s
    }
}
