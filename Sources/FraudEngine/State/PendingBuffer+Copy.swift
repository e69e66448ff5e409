extension PendingBuffer {
    /// An independent copy (the same ring, flags, features and index), made with `memcpy`s.
    func copy() -> PendingBuffer {
        PendingBuffer(copying: self)
    }
}
