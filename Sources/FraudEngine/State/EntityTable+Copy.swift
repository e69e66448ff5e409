extension EntityTable {
    /// An independent copy (the same slots, index, CLOCK bits and hand), made with a few
    /// `memcpy`s: states are plain values.
    func copy() -> EntityTable {
        EntityTable(copying: self)
    }
}
