/// Feature vectors of scored transactions, kept until their labels arrive.
///
/// A ring buffer in scoring order (which is event-time order: transactions are buffered
/// at the engine clock, which never goes back) plus an open-addressing index from the
/// 64-bit stable hash of the transaction id to the ring position. When the ring is full
/// the oldest entry is evicted (FIFO, deterministic). Storage per entry: dense features
/// as `Float` (the standardised values the model saw), sparse slots as `UInt32`, the ids'
/// hashes of card / terminal / merchant, the buffering and event times, the amount and 1 byte
/// of flags: about `53 + 4·(dense + sparse)` bytes, plus 16–32 bytes of index.
///
/// Storage for the whole capacity is reserved at creation: the operating system commits
/// pages only when the ring first writes them, so resident memory grows with use, and no
/// growth step ever copies the buffer (a doubling copy of hundreds of megabytes stalled one
/// transaction for 0.1–0.2 s). Only the hash index (16–32 bytes per entry) is touched up front.
final class PendingBuffer {
    /// Flag bits.
    static let learnedNegative: UInt8 = 1  // the model has learned this entry as legitimate (policy or label)
    static let labeledFraud: UInt8 = 2  // an explicit fraud label was applied
    static let labeledLegitimate: UInt8 = 4  // an explicit legitimate label was applied
    static let learnedPositive: UInt8 = 8  // the model has learned this entry as fraud
    static let presumed: UInt8 = 16  // the label policy has presumed it legitimate (learned or not sampled)

    let capacity: Int
    let denseCount: Int
    let sparseCount: Int
    // `@exclusivity(unchecked)` on hot mutable state: single owner, no reentrant access; the
    // dynamic checks were a measured hot-path cost (see Engine).
    /// Entries currently buffered.
    @exclusivity(unchecked) private(set) var count = 0
    /// Ring position of the oldest entry.
    @exclusivity(unchecked) var start = 0
    /// Number of leading entries (from the oldest) whose maturity has been processed.
    @exclusivity(unchecked) var maturedPrefix = 0
    /// Entries appended since the change marks were last cleared (incremental checkpoints).
    @exclusivity(unchecked) var appendsSinceMark = 0

    private(set) var txKeys: UnsafeMutablePointer<UInt64>
    private(set) var times: UnsafeMutablePointer<Int64>
    private(set) var cardKeys: UnsafeMutablePointer<UInt64>
    private(set) var terminalKeys: UnsafeMutablePointer<UInt64>
    private(set) var merchantKeys: UnsafeMutablePointer<UInt64>
    private(set) var eventTimes: UnsafeMutablePointer<Int64>
    var flags: UnsafeMutablePointer<UInt8>
    /// Amount of each transaction (to take a reported fraud out of its card's baseline).
    var amounts: UnsafeMutablePointer<Float>
    private(set) var dense: UnsafeMutablePointer<Float>
    private(set) var sparse: UnsafeMutablePointer<UInt32>
    /// Cells: high 32 bits = the key's hash tag (its low bits are the home cell), low 32 bits =
    /// ring position + 1; 0 = empty. Probes and backward shifts never touch `txKeys`; a tag
    /// match is confirmed against `txKeys` once.
    private var index: UnsafeMutablePointer<UInt64>
    private var indexMask = 0

    init(capacity: Int, denseCount: Int, sparseCount: Int) {
        precondition(capacity > 0 && capacity <= 1 << 30)
        self.capacity = capacity
        self.denseCount = denseCount
        self.sparseCount = sparseCount
        let initial = capacity
        txKeys = .allocate(capacity: initial)
        times = .allocate(capacity: initial)
        cardKeys = .allocate(capacity: initial)
        terminalKeys = .allocate(capacity: initial)
        merchantKeys = .allocate(capacity: initial)
        eventTimes = .allocate(capacity: initial)
        flags = .allocate(capacity: initial)
        amounts = .allocate(capacity: initial)
        dense = .allocate(capacity: initial * denseCount)
        sparse = .allocate(capacity: initial * sparseCount)
        let size = PendingBuffer.indexSize(for: initial)
        index = .allocate(capacity: size)
        index.initialize(repeating: 0, count: size)
        indexMask = size - 1
    }

    /// A copy of `other`'s storage (see ``copy()``): the live entries, at the same ring
    /// positions, as raw bytes (every field is a plain number), and the index. Positions
    /// outside the live ring are capacity but not touched, so their pages are not
    /// committed.
    convenience init(copying other: PendingBuffer) {
        self.init(capacity: other.capacity, denseCount: other.denseCount, sparseCount: other.sparseCount)
        let copied = overwrite(from: other)
        precondition(copied, "same sizes by construction")
    }

    /// Makes this buffer a copy of `other` in the memory it already has: the live ring (one
    /// or two runs of positions) and the index, as raw bytes (every field is a plain
    /// number); false, and nothing changed, when the sizes differ.
    func overwrite(from other: PendingBuffer) -> Bool {
        guard capacity == other.capacity, indexMask == other.indexMask,
            denseCount == other.denseCount, sparseCount == other.sparseCount
        else { return false }
        count = other.count
        start = other.start
        maturedPrefix = other.maturedPrefix
        let n = other.capacity
        let firstEnd = min(other.start + other.count, n)
        let runs = [(other.start, firstEnd - other.start), (0, other.count - (firstEnd - other.start))]
        func copy<T>(_ target: UnsafeMutablePointer<T>, _ source: UnsafeMutablePointer<T>, perEntry: Int = 1) {
            for (from, length) in runs where length > 0 {
                UnsafeMutableRawPointer(target + from * perEntry).copyMemory(
                    from: UnsafeRawPointer(source + from * perEntry), byteCount: length * perEntry * MemoryLayout<T>.stride)
            }
        }
        copy(txKeys, other.txKeys)
        copy(times, other.times)
        copy(cardKeys, other.cardKeys)
        copy(terminalKeys, other.terminalKeys)
        copy(merchantKeys, other.merchantKeys)
        copy(eventTimes, other.eventTimes)
        copy(flags, other.flags)
        copy(amounts, other.amounts)
        copy(dense, other.dense, perEntry: denseCount)
        copy(sparse, other.sparse, perEntry: sparseCount)
        UnsafeMutableRawPointer(index).copyMemory(
            from: UnsafeRawPointer(other.index), byteCount: (indexMask + 1) * MemoryLayout<UInt64>.stride)
        return true
    }

    deinit {
        txKeys.deallocate()
        times.deallocate()
        cardKeys.deallocate()
        terminalKeys.deallocate()
        merchantKeys.deallocate()
        eventTimes.deallocate()
        flags.deallocate()
        amounts.deallocate()
        dense.deallocate()
        sparse.deallocate()
        index.deallocate()
    }

    private static func indexSize(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        return size
    }

    /// Bytes capacity (memory accounting).
    var allocatedBytes: Int {
        capacity * (8 * 6 + 1 + 4 + 4 * denseCount + 4 * sparseCount) + (indexMask + 1) * 8
    }

    var isFull: Bool { count == capacity }

    /// Ring position of the i-th oldest entry.
    @inline(__always)
    func position(ofAge i: Int) -> Int {
        let p = start + i
        return p >= capacity ? p - capacity : p
    }

    @inline(__always)
    private static func tag(_ key: UInt64) -> UInt64 { (key &* 0x9E37_79B9_7F4A_7C15) >> 32 }

    @inline(__always)
    private func home(tag: UInt64) -> Int { Int(truncatingIfNeeded: tag) & indexMask }

    @inline(__always)
    private static func cell(tag: UInt64, position p: Int) -> UInt64 { tag << 32 | UInt64(p + 1) }

    /// Loads the first index cell for `txKey` (see ``EntityTable/peek(_:)``).
    @inline(__always)
    func peek(_ txKey: UInt64) -> UInt64 { index[home(tag: PendingBuffer.tag(txKey))] }

    /// Starts loading the index cell where `txKey` will be inserted, and, when the ring is
    /// full, that of the entry after the oldest (the next transaction's eviction).
    @inline(__always)
    func prefetch(_ txKey: UInt64) {
        CachePrefetch.write(index + home(tag: PendingBuffer.tag(txKey)))
        if count == capacity && count > 1 {
            CachePrefetch.write(index + home(tag: PendingBuffer.tag(txKeys[position(ofAge: 1)])))
        }
    }

    /// Ring position of the entry for `txKey`, or nil.
    /// When the ring is full, loads the first index cell of the oldest entry (the next to be
    /// evicted), so that its cache miss overlaps with the others of `score`; 0 otherwise.
    @inline(__always)
    func peekOldestIfFull() -> UInt64 {
        count == capacity ? index[home(tag: PendingBuffer.tag(txKeys[start]))] : 0
    }

    @inline(__always)
    func find(_ txKey: UInt64) -> Int? {
        let tag = PendingBuffer.tag(txKey)
        var i = home(tag: tag)
        while true {
            let cell = index[i]
            if cell == 0 { return nil }
            if cell >> 32 == tag {
                let p = Int(cell & 0xFFFF_FFFF) - 1
                if txKeys[p] == txKey { return p }
            }
            i = (i + 1) & indexMask
        }
    }

    /// Appends a new entry (the caller must first evict when full) and returns its position;
    /// the caller fills `dense`/`sparse` at that position. A key already present is
    /// re-pointed at the new entry (`replaced` is true).
    @inline(__always)
    func append(
        txKey: UInt64, time: Int64, eventTime: Int64, cardKey: UInt64, terminalKey: UInt64, merchantKey: UInt64
    ) -> (position: Int, replaced: Bool) {
        precondition(count < capacity)
        let p = position(ofAge: count)
        count += 1
        appendsSinceMark &+= 1
        txKeys[p] = txKey
        times[p] = time
        eventTimes[p] = eventTime
        cardKeys[p] = cardKey
        terminalKeys[p] = terminalKey
        merchantKeys[p] = merchantKey
        flags[p] = 0
        let tag = PendingBuffer.tag(txKey)
        var i = home(tag: tag)
        while true {
            let cell = index[i]
            if cell == 0 {
                index[i] = PendingBuffer.cell(tag: tag, position: p)
                return (p, false)
            }
            if cell >> 32 == tag, txKeys[Int(cell & 0xFFFF_FFFF) - 1] == txKey {
                // Duplicate id: the newer transaction takes the index entry. Mark the older
                // one (flag 0x80) so that its removal leaves the newer mapping alone.
                let old = Int(cell & 0xFFFF_FFFF) - 1
                flags[old] |= 0x80
                index[i] = PendingBuffer.cell(tag: tag, position: p)
                return (p, true)
            }
            i = (i + 1) & indexMask
        }
    }

    /// The live entries' ring positions, oldest first: one run, or two when the ring wraps.
    var liveRuns: [(start: Int, count: Int)] {
        let head = min(count, capacity - start)
        return head == count ? [(start, count)] : [(start, head), (0, count - head)]
    }

    /// Empties the buffer for a bulk restore of `count` entries at ring positions
    /// `0..<count`, oldest first; the caller fills every field, then calls ``rebuildIndex()``.
    func prepareRestore(count newCount: Int) {
        precondition(newCount <= capacity)
        count = newCount
        start = 0
        maturedPrefix = 0
        index.update(repeating: 0, count: indexMask + 1)
    }

    /// Indexes every live entry not marked superseded (flag 0x80), oldest first; false when
    /// an id is indexed twice (a duplicate without its mark: the state is inconsistent).
    func rebuildIndex() -> Bool {
        index.update(repeating: 0, count: indexMask + 1)
        for age in 0..<count {
            let p = position(ofAge: age)
            if flags[p] & 0x80 != 0 { continue }
            let key = txKeys[p]
            let tag = PendingBuffer.tag(key)
            var i = home(tag: tag)
            while index[i] != 0 {
                if index[i] >> 32 == tag, txKeys[Int(index[i] & 0xFFFF_FFFF) - 1] == key { return false }
                i = (i + 1) & indexMask
            }
            index[i] = PendingBuffer.cell(tag: tag, position: p)
        }
        return true
    }

    /// Removes the oldest entry and returns its position (valid until the next append).
    @inline(__always)
    func removeOldest() -> Int {
        precondition(count > 0)
        let p = start
        if flags[p] & 0x80 == 0 { removeFromIndex(txKeys[p], position: p) }
        start += 1
        if start == capacity { start = 0 }
        count -= 1
        if maturedPrefix > 0 { maturedPrefix -= 1 }
        return p
    }

    @inline(__always)
    func denseRow(_ p: Int) -> UnsafeMutablePointer<Float> { dense + p * denseCount }

    @inline(__always)
    func sparseRow(_ p: Int) -> UnsafeMutablePointer<UInt32> { sparse + p * sparseCount }

    private func removeFromIndex(_ key: UInt64, position: Int) {
        var i = home(tag: PendingBuffer.tag(key))
        while true {
            let cell = index[i]
            if cell == 0 { return }
            if Int(cell & 0xFFFF_FFFF) - 1 == position { break }
            i = (i + 1) & indexMask
        }
        var hole = i
        var j = (hole + 1) & indexMask
        while index[j] != 0 {
            let k = home(tag: index[j] >> 32)
            let inRange = hole <= j ? (k > hole && k <= j) : (k > hole || k <= j)
            if !inRange {
                index[hole] = index[j]
                hole = j
            }
            j = (j + 1) & indexMask
        }
        index[hole] = 0
    }
}
