import FraudEngine

/// Online ROC AUC over matured labels: how well the live scores ranked frauds above
/// legitimate payments, counting a transaction only once its label can be trusted.
///
/// Every scored transaction waits in a FIFO (event-time order) with its score; a fraud
/// report for it marks it. Once the engine's event-time clock is more than ``maturity``
/// past it, it is *matured*: counted as a positive (reported) or a negative (not reported
/// by then) in one of two score histograms of ``bins`` bins, and forgotten. The AUC is
/// computed from the histograms (ties within a bin count one half), so memory is bounded
/// by the transactions still maturing, and at most ``capacity`` of them (the oldest are
/// matured early when more arrive).
///
/// The live processor calls ``scored(key:time:score:)`` for every transaction, so the
/// layout avoids random memory access there: the FIFO is a ring (grown up to `capacity`,
/// never compacted), and the key lookup for fraud reports is a chain of *generations*, one
/// small open-addressing table per 65,536 consecutive transactions. A score inserts into the
/// newest table only (a few MB at most, cache-resident); a generation whose transactions have
/// all matured is dropped whole, without per-entry deletes; a report (rare) probes the
/// tables from the newest. A `Dictionary` with `removeFirst` compaction cost about 5 % of
/// the processing task (perf, 2026-12-07).
struct MaturedAUC {
    let maturity: Int64
    let capacity: Int
    static let bins = 1000

    // The ring: entry `seq` (counted from 0 since creation) lives at `seq % capacity` once
    // the arrays reached `capacity`, at `seq` before (they only grow until then).
    private var times: [Int64] = []
    private var scoreBins: [UInt16] = []
    private var reported: [Bool] = []
    /// Sequence number of the oldest pending entry, and of the next one.
    private var oldest: UInt64 = 0
    private var next: UInt64 = 0
    /// Key tables of consecutive runs of `generationSize` entries, oldest first.
    private var generations: [Generation] = []
    /// Dropped tables kept for reuse (no allocation in the steady state).
    private var spare: [Generation] = []
    private let generationSize: Int
    private(set) var positives = [UInt64](repeating: 0, count: MaturedAUC.bins)
    private(set) var negatives = [UInt64](repeating: 0, count: MaturedAUC.bins)

    init(maturity: Int64, capacity: Int) {
        precondition(capacity > 0)
        self.maturity = maturity
        self.capacity = capacity
        var size = 1
        while size < min(capacity, 65_536) { size *= 2 }
        generationSize = size
    }

    var pending: Int { Int(next - oldest) }
    var maturedPositives: UInt64 { positives.reduce(0, +) }
    var maturedNegatives: UInt64 { negatives.reduce(0, +) }

    mutating func scored(key: UInt64, time: Int64, score: Double) {
        if pending >= capacity { matureOldest() }
        let bin = UInt16(min(Double(Self.bins - 1), max(0, (score.isNaN ? 0 : score) * Double(Self.bins))))
        let seq = next
        if times.count < capacity {
            times.append(time)
            scoreBins.append(bin)
            reported.append(false)
        } else {
            let s = Int(seq % UInt64(capacity))
            times[s] = time
            scoreBins[s] = bin
            reported[s] = false
        }
        next += 1
        if generations.isEmpty || seq - generations[generations.count - 1].first >= UInt64(generationSize) {
            var table = spare.popLast() ?? Generation(entries: generationSize)
            table.first = seq
            generations.append(table)
        }
        generations[generations.count - 1].insert(key, offset: UInt32(seq - generations[generations.count - 1].first))
    }

    /// Starts loading the table cell that ``scored(key:time:score:)`` writes for `key`, a few
    /// transactions ahead (a hint only: nothing changes).
    @inline(__always)
    func prefetch(key: UInt64) {
        guard let newest = generations.last, next - newest.first < UInt64(generationSize) else { return }
        newest.prefetch(key)
    }

    mutating func reportedFraud(key: UInt64) {
        for g in generations.indices.reversed() {
            guard let offset = generations[g].find(key) else { continue }
            // The newest entry with the key; if it has matured, so have all older ones.
            let seq = generations[g].first + UInt64(offset)
            if seq >= oldest { reported[slot(seq)] = true }
            return
        }
    }

    mutating func advance(to now: Int64) {
        while oldest < next, now - times[slot(oldest)] > maturity { matureOldest() }
    }

    var auc: Double? {
        let p = Double(maturedPositives)
        let n = Double(maturedNegatives)
        guard p > 0, n > 0 else { return nil }
        var below = 0.0
        var sum = 0.0
        for bin in 0..<Self.bins {
            sum += Double(positives[bin]) * (below + Double(negatives[bin]) / 2)
            below += Double(negatives[bin])
        }
        return sum / (p * n)
    }

    /// Array position of the pending entry `seq`.
    @inline(__always)
    private func slot(_ seq: UInt64) -> Int {
        times.count < capacity ? Int(seq) : Int(seq % UInt64(capacity))
    }

    private mutating func matureOldest() {
        let s = slot(oldest)
        let bin = Int(scoreBins[s])
        if reported[s] { positives[bin] += 1 } else { negatives[bin] += 1 }
        oldest += 1
        if let first = generations.first, oldest - first.first >= UInt64(generationSize) {
            var dropped = generations.removeFirst()
            dropped.clear()
            spare.append(dropped)
        }
    }

    /// Keys of one run of consecutive entries: linear probing at load ≤ 1/2, no deletes.
    /// Key and offset share a 16-byte cell, so that a probe touches one cache line (the
    /// table, 2 MiB for 65,536 entries, is mostly not in cache: with keys and offsets in two
    /// arrays an insert cost two misses, 8 % of the scoring loop, perf 2026-12-07).
    private struct Generation {
        struct Cell {
            var key: UInt64 = 0
            /// `offset + 1` of the newest entry with the key (0: empty cell).
            var offset: UInt32 = 0
        }

        var first: UInt64 = 0
        var cells: [Cell]
        let mask: Int

        init(entries: Int) {
            cells = [Cell](repeating: Cell(), count: 2 * entries)
            mask = 2 * entries - 1
        }

        @inline(__always)
        func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

        mutating func insert(_ key: UInt64, offset: UInt32) {
            var i = home(key)
            let mask = self.mask
            cells.withUnsafeMutableBufferPointer { c in
                while c[i].offset != 0 && c[i].key != key { i = (i + 1) & mask }
                c[i] = Cell(key: key, offset: offset + 1)
            }
        }

        func find(_ key: UInt64) -> UInt32? {
            var i = home(key)
            while cells[i].offset != 0 {
                if cells[i].key == key { return cells[i].offset - 1 }
                i = (i + 1) & mask
            }
            return nil
        }

        /// Starts loading the cell where `key` is inserted (if no other key is there).
        @inline(__always)
        func prefetch(_ key: UInt64) {
            let i = home(key)
            cells.withUnsafeBufferPointer { CachePrefetch.write($0.baseAddress! + i) }
        }

        mutating func clear() {
            cells.withUnsafeMutableBufferPointer { c in
                for i in c.indices { c[i].offset = 0 }
            }
        }
    }
}
