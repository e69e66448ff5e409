import FraudModels

/// What changed in a ``PendingBuffer`` over some stretch of events: the entries appended
/// that are still buffered (all fields, oldest first), the flags of every buffered entry
/// (labels and maturity change older entries' flags) and the ring's bookkeeping. One part of
/// an ``EngineDelta``. Evictions need no record: they are the oldest entries, and the new
/// count says how many remain.
struct PendingChanges: Sendable {
    var start: Int
    var count: Int
    var maturedPrefix: Int
    /// Entries appended in the stretch (some may have been evicted again since).
    var appended: Int
    var txKeys: [UInt64] = []
    var times: [Int64] = []
    var eventTimes: [Int64] = []
    var cardKeys: [UInt64] = []
    var terminalKeys: [UInt64] = []
    var merchantKeys: [UInt64] = []
    var amounts: [Float] = []
    /// Dense rows of the appended entries, back to back.
    var dense: [Float] = []
    /// Sparse rows of the appended entries, back to back.
    var sparse: [UInt32] = []
    /// Flags of every buffered entry, oldest first.
    var flags: [UInt8] = []

    /// Appended entries included (the newest ones still buffered).
    var included: Int { txKeys.count }
}

extension PendingBuffer {
    /// The changes since the last call (or ``clearChanges()``); resets the count of appends.
    func takeChanges() -> PendingChanges {
        var c = PendingChanges(start: 0, count: 0, maturedPrefix: 0, appended: 0)
        takeChanges(into: &c)
        return c
    }

    /// ``takeChanges()`` into `c`, whose arrays (of changes already written out, their memory
    /// mapped) are reused: copying tens of megabytes into fresh pages would triple the
    /// processing stall.
    func takeChanges(into c: inout PendingChanges) {
        let included = min(appendsSinceMark, count)
        c.start = start
        c.count = count
        c.maturedPrefix = maturedPrefix
        c.appended = appendsSinceMark
        appendsSinceMark = 0
        c.txKeys.removeAll(keepingCapacity: true)
        c.times.removeAll(keepingCapacity: true)
        c.eventTimes.removeAll(keepingCapacity: true)
        c.cardKeys.removeAll(keepingCapacity: true)
        c.terminalKeys.removeAll(keepingCapacity: true)
        c.merchantKeys.removeAll(keepingCapacity: true)
        c.amounts.removeAll(keepingCapacity: true)
        c.dense.removeAll(keepingCapacity: true)
        c.sparse.removeAll(keepingCapacity: true)
        c.txKeys.reserveCapacity(included)
        c.times.reserveCapacity(included)
        c.eventTimes.reserveCapacity(included)
        c.cardKeys.reserveCapacity(included)
        c.terminalKeys.reserveCapacity(included)
        c.merchantKeys.reserveCapacity(included)
        c.amounts.reserveCapacity(included)
        c.dense.reserveCapacity(included * denseCount)
        c.sparse.reserveCapacity(included * sparseCount)
        for age in (count - included)..<count {
            let p = position(ofAge: age)
            c.txKeys.append(txKeys[p])
            c.times.append(times[p])
            c.eventTimes.append(eventTimes[p])
            c.cardKeys.append(cardKeys[p])
            c.terminalKeys.append(terminalKeys[p])
            c.merchantKeys.append(merchantKeys[p])
            c.amounts.append(amounts[p])
            c.dense.append(contentsOf: UnsafeBufferPointer(start: denseRow(p), count: denseCount))
            c.sparse.append(contentsOf: UnsafeBufferPointer(start: sparseRow(p), count: sparseCount))
        }
        c.flags.removeAll(keepingCapacity: true)
        for run in liveRuns { c.flags.append(contentsOf: UnsafeBufferPointer(start: flags + run.start, count: run.count)) }
    }

    /// Forgets the count of appends (the state is now the base of the next delta).
    func clearChanges() { appendsSinceMark = 0 }

    /// Applies changes taken from a buffer that was equal to this one when its marks were
    /// last cleared: evicts the entries that left, appends the new ones at the same ring
    /// positions (re-pointing the index for a repeated id, as the original did), then sets
    /// every entry's flags.
    ///
    /// - Throws: ``FraudModels/StateError/corrupt(_:)`` when the changes do not fit this buffer.
    func apply(_ c: PendingChanges) throws(StateError) {
        let n = c.included
        guard c.times.count == n, c.eventTimes.count == n, c.cardKeys.count == n, c.terminalKeys.count == n,
            c.merchantKeys.count == n, c.amounts.count == n, c.dense.count == n * denseCount,
            c.sparse.count == n * sparseCount, c.flags.count == c.count
        else { throw StateError.corrupt("pending changes of different lengths") }
        guard c.count <= capacity, c.start >= 0, c.start < capacity, n == min(c.appended, c.count),
            c.maturedPrefix >= 0, c.maturedPrefix <= c.count
        else { throw StateError.corrupt("pending changes out of range") }
        let kept = c.count - n
        guard kept <= count else {
            throw StateError.corrupt("pending changes keep \(kept) older entries of \(count)")
        }
        while count > kept { _ = removeOldest() }
        let firstNew = (c.start + kept) % capacity
        if count == 0 {
            start = c.start
        } else {
            guard start == c.start, position(ofAge: count) == firstNew else {
                throw StateError.corrupt("pending ring positions do not match the changes")
            }
        }
        for i in 0..<n {
            let (p, _) = append(
                txKey: c.txKeys[i], time: c.times[i], eventTime: c.eventTimes[i], cardKey: c.cardKeys[i],
                terminalKey: c.terminalKeys[i], merchantKey: c.merchantKeys[i])
            amounts[p] = c.amounts[i]
            c.dense.withUnsafeBufferPointer { denseRow(p).update(from: $0.baseAddress! + i * denseCount, count: denseCount) }
            c.sparse.withUnsafeBufferPointer {
                sparseRow(p).update(from: $0.baseAddress! + i * sparseCount, count: sparseCount)
            }
        }
        for age in 0..<count {
            let p = position(ofAge: age)
            // The superseded-duplicate mark decides what the index holds: it must agree.
            guard (flags[p] ^ c.flags[age]) & 0x80 == 0 else {
                throw StateError.corrupt("pending duplicate-id marks do not match the changes")
            }
            flags[p] = c.flags[age]
        }
        maturedPrefix = c.maturedPrefix
    }
}
