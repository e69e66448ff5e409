/// A bounded map from 64-bit entity keys to fixed-size entity states, with deterministic
/// eviction of idle entities (CLOCK, "second chance").
///
/// Layout (allocated once per growth step, never per event):
/// - `states`, `keys`, `referenced`: one entry per slot; slots `0..<count` are live.
/// - `cells`: open addressing with linear probing, power-of-two size at least twice the
///   slot capacity; each 16-byte cell holds the full key and `slot + 1` (0 = empty), so a
///   lookup touches one index cell and then the state, nothing else. Deletion is by
///   backward shift (no tombstones).
///
/// Eviction (CLOCK): every lookup that finds or creates an entity sets its `referenced`
/// byte. When `count == maxCount` and a new key arrives, a hand sweeps the slots in slot
/// order from where it stopped last time: a referenced slot gets a second chance (its byte
/// is cleared), the first unreferenced slot is evicted and its slot reused for the new
/// entity. An entity that keeps transacting is never evicted; the one evicted is one that
/// was not touched during the hand's last full sweep. This approximates "least recently
/// used in event time" without linked-list updates on every event (which cost two or three
/// extra cache misses per entity). Everything depends only on the order of events: the
/// choice is deterministic, and checkpoints restore slots, bytes and hand exactly.
///
/// Nothing ever iterates the hash index to produce a result. Memory per entity:
/// `MemoryLayout<State>.stride + 8 (key) + 1 (referenced)` plus 32–64 bytes of index.
///
/// Keys are 64-bit stable hashes of entity ids. Two ids that collide share one state; with
/// n live entities the chance of any collision is about n²/2⁶⁵ (≈ 3·10⁻⁸ for a million
/// cards). Key 0 is reserved internally (mapped to 1).
final class EntityTable<State> {
    struct Cell {
        var key: UInt64
        var slot: UInt64  // slot + 1; 0 = empty
    }

    /// Most entities kept; beyond this an idle one is evicted.
    let maxCount: Int
    // `@exclusivity(unchecked)` on hot mutable state: single owner, no reentrant access; the
    // dynamic checks were a measured hot-path cost (see Engine).
    /// Live entities.
    @exclusivity(unchecked) var count = 0
    /// Entities evicted so far.
    @exclusivity(unchecked) var evictions: UInt64 = 0
    private(set) var capacity = 0
    private(set) var keys: UnsafeMutablePointer<UInt64>
    private(set) var states: UnsafeMutablePointer<State>
    private(set) var referenced: UnsafeMutablePointer<UInt8>
    /// Next slot the eviction hand examines.
    @exclusivity(unchecked) var hand = 0
    var cells: UnsafeMutablePointer<Cell>
    private(set) var indexMask: Int = 0
    /// One bit per slot: set when the slot's key, state or CLOCK byte may have changed since
    /// the last ``takeChanges()`` (incremental checkpoints). Every state write follows a
    /// `findOrInsert`, which sets the bit.
    private(set) var changed: UnsafeMutablePointer<UInt64>

    /// Creates an empty table that grows on demand up to `maxCount` entities.
    init(maxCount: Int, initialCapacity: Int = 1024) {
        precondition(maxCount > 0 && maxCount < Int(UInt32.max - 1), "entity cap out of range")
        self.maxCount = maxCount
        let cap = min(max(initialCapacity, 16), maxCount)
        capacity = cap
        keys = .allocate(capacity: cap)
        states = EntityTable.allocateStates(cap)
        referenced = .allocate(capacity: cap)
        changed = EntityTable.allocateChangeBits(cap)
        let indexSize = EntityTable.indexSize(for: cap)
        cells = .allocate(capacity: indexSize)
        cells.initialize(repeating: Cell(key: 0, slot: 0), count: indexSize)
        indexMask = indexSize - 1
    }

    /// A copy of `other`'s storage (see ``copy()``).
    init(copying other: EntityTable) {
        maxCount = other.maxCount
        capacity = other.capacity
        indexMask = other.indexMask
        keys = .allocate(capacity: other.capacity)
        states = EntityTable.allocateStates(other.capacity)
        referenced = .allocate(capacity: other.capacity)
        changed = EntityTable.allocateChangeBits(other.capacity)
        cells = .allocate(capacity: other.indexMask + 1)
        let copied = overwrite(from: other)
        precondition(copied, "same sizes by construction")
    }

    /// Entries of the hash index.
    var indexSize: Int { indexMask + 1 }

    /// Copies `other`'s hash index (same size).
    func copyIndex(from other: EntityTable) {
        cells.update(from: other.cells, count: indexSize)
    }

    deinit {
        states.deinitialize(count: count)
        keys.deallocate()
        UnsafeMutableRawPointer(states).deallocate()
        referenced.deallocate()
        changed.deallocate()
        cells.deallocate()
    }

    /// Words of the change bitmap for `capacity` slots.
    static func changeWords(_ capacity: Int) -> Int { (capacity + 63) / 64 }

    private static func allocateChangeBits(_ capacity: Int) -> UnsafeMutablePointer<UInt64> {
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: changeWords(capacity))
        words.initialize(repeating: 0, count: changeWords(capacity))
        return words
    }

    /// Notes that `slot` changed (see ``changed``).
    @inline(__always)
    func markChanged(_ slot: Int) { changed[slot &>> 6] |= 1 &<< UInt64(slot & 63) }

    /// States are allocated on 64-byte boundaries, so a 64- or 128-byte state spans exactly
    /// one or two cache lines.
    private static func allocateStates(_ count: Int) -> UnsafeMutablePointer<State> {
        UnsafeMutableRawPointer.allocate(
            byteCount: max(1, count) * MemoryLayout<State>.stride, alignment: max(64, MemoryLayout<State>.alignment)
        ).bindMemory(to: State.self, capacity: count)
    }

    private static func indexSize(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        return size
    }

    /// Bytes allocated for this table (all arrays), for memory accounting.
    var allocatedBytes: Int {
        capacity * (8 + 1 + MemoryLayout<State>.stride) + (indexMask + 1) * MemoryLayout<Cell>.stride
    }

    @inline(__always)
    static func normalise(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    @inline(__always)
    func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: ((key ^ (key >> 29)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & indexMask
    }

    /// Loads the first index cell of `key`'s probe sequence: issued early for several tables
    /// at once, the cache misses overlap instead of queueing one behind the other.
    @inline(__always)
    func peek(_ key: UInt64) -> UInt64 { cells[home(EntityTable.normalise(key))].slot }

    /// Starts loading `key`'s first index cell (``CachePrefetch``), for a later
    /// ``prefetchState(_:)`` or lookup.
    @inline(__always)
    func prefetchCell(_ key: UInt64) { CachePrefetch.read(cells + home(EntityTable.normalise(key))) }

    /// When `key` is in its first index cell (best loaded by ``prefetchCell(_:)`` some time
    /// before), starts loading its state.
    @inline(__always)
    func prefetchState(_ key: UInt64) {
        let key = EntityTable.normalise(key)
        let cell = cells[home(key)]
        guard cell.key == key, cell.slot != 0 else { return }
        let state = UnsafeRawPointer(states + Int(cell.slot - 1))
        CachePrefetch.write(state)
        if MemoryLayout<State>.stride > 64 { CachePrefetch.write(state + 64) }
    }

    /// The slot of `key`, or nil; does not mark it referenced.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        let key = EntityTable.normalise(key)
        var i = home(key)
        while true {
            let cell = cells[i]
            if cell.slot == 0 { return nil }
            if cell.key == key { return Int(cell.slot - 1) }
            i = (i + 1) & indexMask
        }
    }

    /// The slot of `key`, created with `initial` state if absent (evicting an idle entity
    /// when full); the entity is marked referenced.
    @inline(__always)
    func findOrInsert(_ key: UInt64, initial: State) -> (slot: Int, inserted: Bool) {
        let key = EntityTable.normalise(key)
        var i = home(key)
        while true {
            let cell = cells[i]
            if cell.slot == 0 { break }
            if cell.key == key {
                let slot = Int(cell.slot - 1)
                referenced[slot] = 1
                markChanged(slot)
                return (slot, false)
            }
            i = (i + 1) & indexMask
        }
        return insert(key, initial: initial, emptyCell: i)
    }

    private func insert(_ key: UInt64, initial: State, emptyCell: Int) -> (slot: Int, inserted: Bool) {
        var i = emptyCell
        let slot: Int
        if count == maxCount {
            slot = victim()
            removeFromIndex(keys[slot])
            (states + slot).deinitialize(count: 1)
            evictions &+= 1
            // The deletion may have moved cells: find the empty cell again.
            i = home(key)
            while cells[i].slot != 0 { i = (i + 1) & indexMask }
        } else {
            if count == capacity {
                grow()
                i = home(key)
                while cells[i].slot != 0 { i = (i + 1) & indexMask }
            }
            slot = count
            count += 1
        }
        keys[slot] = key
        (states + slot).initialize(to: initial)
        referenced[slot] = 1
        markChanged(slot)
        cells[i] = Cell(key: key, slot: UInt64(slot + 1))
        return (slot, true)
    }

    /// CLOCK: the first unreferenced slot from the hand on, clearing referenced ones.
    private func victim() -> Int {
        while true {
            let s = hand
            hand = hand + 1 == count ? 0 : hand + 1
            if referenced[s] == 0 { return s }
            referenced[s] = 0
            markChanged(s)
        }
    }

    /// Marks an existing slot referenced.
    @inline(__always)
    func touch(_ slot: Int) {
        referenced[slot] = 1
        markChanged(slot)
    }

    /// Empties the table (restoring a checkpoint: then `append` every slot in order).
    func removeAll() {
        states.deinitialize(count: count)
        count = 0
        hand = 0
        cells.update(repeating: Cell(key: 0, slot: 0), count: indexMask + 1)
    }

    /// Appends an entity at the next slot (restoring a checkpoint, slots in order); false if
    /// the key is already present or the table is full.
    func append(key: UInt64, state: State, referenced isReferenced: Bool) -> Bool {
        guard count < maxCount, find(key) == nil else { return false }
        let (slot, _) = findOrInsert(key, initial: state)
        referenced[slot] = isReferenced ? 1 : 0
        return true
    }

    /// Sets the eviction hand (restoring a checkpoint).
    func setHand(_ position: Int) -> Bool {
        guard position >= 0, position < max(count, 1) else { return false }
        hand = position
        return true
    }

    // MARK: - Internals

    /// Backward-shift deletion of `key` from the probe sequence.
    func removeFromIndex(_ key: UInt64) {
        var i = home(key)
        while true {
            let cell = cells[i]
            precondition(cell.slot != 0, "entity key missing from index")
            if cell.key == key { break }
            i = (i + 1) & indexMask
        }
        var hole = i
        var j = (hole + 1) & indexMask
        while cells[j].slot != 0 {
            let k = home(cells[j].key)
            // Move j into the hole unless its home lies cyclically in (hole, j].
            let inRange = hole <= j ? (k > hole && k <= j) : (k > hole || k <= j)
            if !inRange {
                cells[hole] = cells[j]
                hole = j
            }
            j = (j + 1) & indexMask
        }
        cells[hole] = Cell(key: 0, slot: 0)
    }

    func grow() { grow(to: min(maxCount, max(capacity * 2, 16))) }

    /// Grows (by the same doubling steps as ``grow()``, in one reallocation) until `n`
    /// entities fit: restoring a checkpoint then copies each table once, not log₂(n) times.
    func reserveCapacity(_ n: Int) {
        var target = capacity
        while target < min(n, maxCount) { target = min(maxCount, max(target * 2, 16)) }
        if target > capacity { grow(to: target) }
    }

    private func grow(to newCapacity: Int) {
        func regrow<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            q.moveInitialize(from: p, count: count)
            p.deallocate()
            return q
        }
        keys = regrow(keys)
        let newStates = EntityTable.allocateStates(newCapacity)
        newStates.moveInitialize(from: states, count: count)
        UnsafeMutableRawPointer(states).deallocate()
        states = newStates
        referenced = regrow(referenced)
        let newChanged = EntityTable.allocateChangeBits(newCapacity)
        newChanged.update(from: changed, count: EntityTable.changeWords(capacity))
        changed.deallocate()
        changed = newChanged
        capacity = newCapacity
        let newIndexSize = EntityTable.indexSize(for: newCapacity)
        if newIndexSize != indexMask + 1 {
            cells.deallocate()
            cells = .allocate(capacity: newIndexSize)
            cells.initialize(repeating: Cell(key: 0, slot: 0), count: newIndexSize)
            indexMask = newIndexSize - 1
            for slot in 0..<count {  // slot order: deterministic
                var i = home(keys[slot])
                while cells[i].slot != 0 { i = (i + 1) & indexMask }
                cells[i] = Cell(key: keys[slot], slot: UInt64(slot + 1))
            }
        }
    }
}
