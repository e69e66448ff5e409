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
struct MaturedAUC {
    let maturity: Int64
    let capacity: Int
    static let bins = 1000

    private var keys: [UInt64] = []
    private var times: [Int64] = []
    private var scoreBins: [UInt16] = []
    private var reported: [Bool] = []
    private var head = 0
    /// Key → absolute position (head-relative positions shift on compaction).
    private var positions: [UInt64: Int] = [:]
    private var dropped = 0
    private(set) var positives = [UInt64](repeating: 0, count: MaturedAUC.bins)
    private(set) var negatives = [UInt64](repeating: 0, count: MaturedAUC.bins)

    init(maturity: Int64, capacity: Int) {
        precondition(capacity > 0)
        self.maturity = maturity
        self.capacity = capacity
    }

    var pending: Int { keys.count - head }
    var maturedPositives: UInt64 { positives.reduce(0, +) }
    var maturedNegatives: UInt64 { negatives.reduce(0, +) }

    /// A transaction was scored.
    mutating func scored(key: UInt64, time: Int64, score: Double) {
        if pending >= capacity { matureOldest() }
        let bin = UInt16(min(Double(Self.bins - 1), max(0, (score.isNaN ? 0 : score) * Double(Self.bins))))
        positions[key] = dropped + keys.count
        keys.append(key)
        times.append(time)
        scoreBins.append(bin)
        reported.append(false)
    }

    /// A fraud report arrived for the transaction with `key` (ignored once it matured).
    mutating func reportedFraud(key: UInt64) {
        guard let absolute = positions[key] else { return }
        reported[absolute - dropped] = true
    }

    /// The event-time clock moved to `now`: mature what is old enough.
    mutating func advance(to now: Int64) {
        while head < keys.count, now - times[head] > maturity { matureOldest() }
    }

    /// The AUC so far, nil until both classes have matured examples.
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

    private mutating func matureOldest() {
        let bin = Int(scoreBins[head])
        if reported[head] { positives[bin] += 1 } else { negatives[bin] += 1 }
        positions[keys[head]] = nil
        head += 1
        if head >= 65_536, head * 2 >= keys.count {
            keys.removeFirst(head)
            times.removeFirst(head)
            scoreBins.removeFirst(head)
            reported.removeFirst(head)
            dropped += head
            head = 0
        }
    }
}
