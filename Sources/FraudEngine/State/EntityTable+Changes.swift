import FraudModels

/// The slots of an ``EntityTable`` that changed over some stretch of events, with their new
/// contents, and the table's bookkeeping after it: one part of an ``EngineDelta``.
struct EntityTableChanges<State: Sendable>: Sendable {
    /// Live entities afterwards (a table never shrinks while it runs).
    var count: Int
    /// The eviction hand afterwards.
    var hand: Int
    /// Entities evicted so far.
    var evictions: UInt64
    /// Changed slots, ascending; every slot added since is among them.
    var slots: [UInt32] = []
    var keys: [UInt64] = []
    var referenced: [UInt8] = []
    var states: [State] = []
}

extension EntityTable where State: Sendable {
    /// The slots changed since the last call (or ``clearChanges()``), with their contents;
    /// clears the marks. Cost: a scan of one bit per slot, plus a copy of each changed slot.
    func takeChanges() -> EntityTableChanges<State> {
        var result = EntityTableChanges<State>(count: 0, hand: 0, evictions: 0)
        takeChanges(into: &result)
        return result
    }

    /// ``takeChanges()`` into `result`, whose arrays (of changes already written out, their
    /// memory mapped) are reused.
    func takeChanges(into result: inout EntityTableChanges<State>) {
        result.count = count
        result.hand = hand
        result.evictions = evictions
        result.slots.removeAll(keepingCapacity: true)
        result.keys.removeAll(keepingCapacity: true)
        result.referenced.removeAll(keepingCapacity: true)
        result.states.removeAll(keepingCapacity: true)
        let words = EntityTable.changeWords(count)
        for w in 0..<words {
            var bits = changed[w]
            if bits == 0 { continue }
            changed[w] = 0
            while bits != 0 {
                let slot = w &* 64 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                result.slots.append(UInt32(truncatingIfNeeded: slot))
            }
        }
        result.keys.reserveCapacity(result.slots.count)
        result.referenced.reserveCapacity(result.slots.count)
        result.states.reserveCapacity(result.slots.count)
        for slot in result.slots {
            let s = Int(slot)
            result.keys.append(keys[s])
            result.referenced.append(referenced[s])
            result.states.append(states[s])
        }
    }

    /// Forgets every change mark (the state is now the base of the next delta).
    func clearChanges() {
        changed.update(repeating: 0, count: EntityTable.changeWords(capacity))
    }

    /// Applies changes taken from a table that was equal to this one when its marks were
    /// last cleared: afterwards both have the same slots, keys, states, CLOCK bytes, hand and
    /// eviction count (the hash index is updated to match).
    ///
    /// - Throws: ``FraudModels/StateError/corrupt(_:)`` when the changes cannot come from
    ///   such a table (slots out of order or range, a new slot missing, a key listed twice).
    func apply(_ c: EntityTableChanges<State>) throws(StateError) {
        let n = c.slots.count
        guard c.keys.count == n, c.referenced.count == n, c.states.count == n else {
            throw StateError.corrupt("entity changes of different lengths")
        }
        guard c.count >= count, c.count <= maxCount, c.hand >= 0, c.hand < max(c.count, 1) else {
            throw StateError.corrupt("entity count \(c.count) or hand \(c.hand) out of range (table has \(count))")
        }
        var previous = -1
        var added = 0
        for slot in c.slots {
            let s = Int(slot)
            guard s > previous, s < c.count else { throw StateError.corrupt("entity slot \(s) out of order or range") }
            previous = s
            if s >= count { added += 1 }
        }
        guard added == c.count - count else {
            throw StateError.corrupt("\(c.count - count - added) new entity slots missing from the changes")
        }
        // Grow first: growing rebuilds the index from the keys as they are.
        reserveCapacity(c.count)
        // Keys leaving their slots first, so that a key moving to another slot is free again.
        for i in 0..<n {
            let s = Int(c.slots[i])
            if s < count && keys[s] != c.keys[i] { removeFromIndex(keys[s]) }
        }
        for i in 0..<n {
            let s = Int(c.slots[i])
            let key = c.keys[i]
            if s >= count || keys[s] != key {
                guard key != 0, find(key) == nil else { throw StateError.corrupt("entity key listed twice") }
                var cell = home(key)
                while cells[cell].slot != 0 { cell = (cell + 1) & indexMask }
                cells[cell] = Cell(key: key, slot: UInt64(s + 1))
                keys[s] = key
            }
            if s >= count { (states + s).initialize(to: c.states[i]) } else { states[s] = c.states[i] }
            referenced[s] = c.referenced[i]
        }
        count = c.count
        hand = c.hand
        evictions = c.evictions
    }
}
