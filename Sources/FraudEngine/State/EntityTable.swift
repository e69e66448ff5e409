/// A bounded map from 64-bit entity keys to fixed-size entity states, with deterministic
/// eviction of the least recently used entity.
///
/// Layout (struct of arrays, allocated once per growth step, never per event):
/// - `keys`, `states`, `prev`, `next`: one entry per slot; slots `0..<count` are live.
/// - `index`: open addressing with linear probing, power-of-two size at least twice the
///   slot capacity; each cell holds `slot + 1` (0 = empty). Deletion is by backward shift,
///   so no tombstones accumulate.
/// - an intrusive doubly linked list through `prev`/`next` in *touch order*: every lookup
///   that finds or creates an entity moves it to the head. The engine touches entities in
///   event order, so the tail is the entity idle for the longest time in event time, and
///   ties cannot occur (two touches are always ordered). When `count == maxCount` and a new
///   key arrives, the tail is evicted and its slot reused.
///
/// Nothing ever iterates the hash index to produce a result: lookups are by key, eviction
/// follows the list, and checkpoints write slots in list order. Memory per entity is
/// `8 (key) + 8 (links) + MemoryLayout<State>.stride + 8…16 (index)` bytes.
///
/// Keys are 64-bit stable hashes of entity ids. Two ids that collide share one state; with
/// n live entities the chance of any collision is about n²/2⁶⁵ (≈ 3·10⁻⁸ for a million cards).
/// Key 0 is reserved internally (mapped to 1).
final class EntityTable<State> {
    /// Most entities kept; the least recently used is evicted beyond this.
    let maxCount: Int
    /// Live entities.
    private(set) var count = 0
    /// Entities evicted so far.
    var evictions: UInt64 = 0
    private(set) var capacity = 0
    private(set) var keys: UnsafeMutablePointer<UInt64>
    private(set) var states: UnsafeMutablePointer<State>
    private var prev: UnsafeMutablePointer<UInt32>
    private var next: UnsafeMutablePointer<UInt32>
    private var index: UnsafeMutablePointer<UInt32>
    private var indexMask: Int = 0
    /// Most recently used slot, or `none`.
    private(set) var head: UInt32 = EntityTable.none
    /// Least recently used slot, or `none`.
    private(set) var tail: UInt32 = EntityTable.none

    static var none: UInt32 { UInt32.max }

    /// Creates an empty table that grows on demand up to `maxCount` entities.
    init(maxCount: Int, initialCapacity: Int = 1024) {
        precondition(maxCount > 0 && maxCount < Int(UInt32.max - 1), "entity cap out of range")
        self.maxCount = maxCount
        let cap = min(max(initialCapacity, 16), maxCount)
        capacity = cap
        keys = .allocate(capacity: cap)
        states = .allocate(capacity: cap)
        prev = .allocate(capacity: cap)
        next = .allocate(capacity: cap)
        let indexSize = EntityTable.indexSize(for: cap)
        index = .allocate(capacity: indexSize)
        index.initialize(repeating: 0, count: indexSize)
        indexMask = indexSize - 1
    }

    deinit {
        keys.deallocate()
        states.deallocate()
        prev.deallocate()
        next.deallocate()
        index.deallocate()
    }

    private static func indexSize(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        return size
    }

    /// Bytes allocated for this table (all arrays), for memory accounting.
    var allocatedBytes: Int {
        capacity * (8 + 8 + MemoryLayout<State>.stride) + (indexMask + 1) * 4
    }

    @inline(__always)
    static func normalise(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: ((key ^ (key >> 29)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & indexMask
    }

    /// Loads the first index cell of `key`'s probe sequence: issued early for several tables
    /// at once, the cache misses overlap instead of queueing one behind the other.
    @inline(__always)
    func peek(_ key: UInt64) -> UInt32 { index[home(EntityTable.normalise(key))] }

    /// The slot of `key`, or nil; does not touch the LRU order.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        let key = EntityTable.normalise(key)
        var i = home(key)
        while true {
            let cell = index[i]
            if cell == 0 { return nil }
            let slot = Int(cell - 1)
            if keys[slot] == key { return slot }
            i = (i + 1) & indexMask
        }
    }

    /// The slot of `key`, created with `initial` state if absent (evicting the least
    /// recently used entity when full); the entity becomes the most recently used.
    @inline(__always)
    func findOrInsert(_ key: UInt64, initial: State) -> (slot: Int, inserted: Bool) {
        let key = EntityTable.normalise(key)
        var i = home(key)
        while true {
            let cell = index[i]
            if cell == 0 { break }
            let slot = Int(cell - 1)
            if keys[slot] == key {
                moveToHead(UInt32(slot))
                return (slot, false)
            }
            i = (i + 1) & indexMask
        }
        // Absent: take a slot.
        let slot: Int
        if count == maxCount {
            slot = Int(tail)
            removeFromIndex(keys[slot])
            unlink(UInt32(slot))
            evictions &+= 1
            // The probe position may have moved by the deletion: search the empty cell again.
            i = home(key)
            while index[i] != 0 { i = (i + 1) & indexMask }
        } else {
            if count == capacity {
                grow()
                i = home(key)
                while index[i] != 0 { i = (i + 1) & indexMask }
            }
            slot = count
            count += 1
        }
        keys[slot] = key
        (states + slot).initialize(to: initial)
        index[i] = UInt32(slot + 1)
        linkAtHead(UInt32(slot))
        return (slot, true)
    }

    /// Moves an existing slot to the head of the LRU list.
    @inline(__always)
    func touch(_ slot: Int) { moveToHead(UInt32(slot)) }

    /// Slots from least to most recently used (checkpoints write them in this order, so
    /// re-inserting them restores the same recency order).
    func slotsFromLeastRecent() -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        var s = tail
        while s != EntityTable.none {
            result.append(Int(s))
            s = prev[Int(s)]
        }
        return result
    }

    // MARK: - Internals

    @inline(__always)
    private func moveToHead(_ slot: UInt32) {
        if head == slot { return }
        unlink(slot)
        linkAtHead(slot)
    }

    @inline(__always)
    private func unlink(_ slot: UInt32) {
        let p = prev[Int(slot)]
        let n = next[Int(slot)]
        if p != EntityTable.none { next[Int(p)] = n } else { head = n }
        if n != EntityTable.none { prev[Int(n)] = p } else { tail = p }
    }

    @inline(__always)
    private func linkAtHead(_ slot: UInt32) {
        prev[Int(slot)] = EntityTable.none
        next[Int(slot)] = head
        if head != EntityTable.none { prev[Int(head)] = slot } else { tail = slot }
        head = slot
    }

    /// Backward-shift deletion of `key` from the probe sequence.
    private func removeFromIndex(_ key: UInt64) {
        var i = home(key)
        while true {
            let cell = index[i]
            precondition(cell != 0, "entity key missing from index")
            if keys[Int(cell - 1)] == key { break }
            i = (i + 1) & indexMask
        }
        var hole = i
        var j = (hole + 1) & indexMask
        while index[j] != 0 {
            let k = home(keys[Int(index[j] - 1)])
            // Move j into the hole unless its home lies cyclically in (hole, j].
            let inRange = hole <= j ? (k > hole && k <= j) : (k > hole || k <= j)
            if !inRange {
                index[hole] = index[j]
                hole = j
            }
            j = (j + 1) & indexMask
        }
        index[hole] = 0
    }

    private func grow() {
        let newCapacity = min(maxCount, max(capacity * 2, 16))
        func regrow<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            q.moveInitialize(from: p, count: count)
            p.deallocate()
            return q
        }
        keys = regrow(keys)
        states = regrow(states)
        prev = regrow(prev)
        next = regrow(next)
        capacity = newCapacity
        let newIndexSize = EntityTable.indexSize(for: newCapacity)
        if newIndexSize != indexMask + 1 {
            index.deallocate()
            index = .allocate(capacity: newIndexSize)
            index.initialize(repeating: 0, count: newIndexSize)
            indexMask = newIndexSize - 1
            for slot in 0..<count {  // slot order: deterministic
                var i = home(keys[slot])
                while index[i] != 0 { i = (i + 1) & indexMask }
                index[i] = UInt32(slot + 1)
            }
        }
    }
}
