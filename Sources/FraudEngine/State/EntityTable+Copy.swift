extension EntityTable {
    /// An independent copy (the same slots, index, CLOCK bits and hand), made with a few
    /// `memcpy`s: states are plain values.
    func copy() -> EntityTable {
        EntityTable(copying: self)
    }

    /// Makes this table a copy of `other` in the memory it already has (whose pages are
    /// already mapped, so the copy runs at memory speed); false, and nothing changed, when
    /// the capacities differ.
    func overwrite(from other: EntityTable) -> Bool {
        guard capacity == other.capacity, indexSize == other.indexSize else { return false }
        precondition(_isPOD(State.self), "entity states are plain values")
        count = other.count
        evictions = other.evictions
        hand = other.hand
        keys.update(from: other.keys, count: other.count)
        UnsafeMutableRawPointer(states).copyMemory(
            from: UnsafeRawPointer(other.states), byteCount: other.count * MemoryLayout<State>.stride)
        referenced.update(from: other.referenced, count: other.count)
        copyIndex(from: other)
        return true
    }
}
