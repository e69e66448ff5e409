/// What `fraudstream tune` computes.
public struct TuningOptions: Hashable, Sendable {
    /// The recommendation's criteria; empty for tables only.
    public var criteria: TuningCriteria
    /// Split by this dimension (a table and a threshold per value), or nil.
    public var dimension: SegmentDimension?
    /// Thresholds of the printed table, ascending (the recommended one is added).
    public var tableThresholds: [Double]
    /// k of card precision@k (cards investigated per day).
    public var k: Int
    /// The recommendation and the charts use thresholds `i / gridSteps`, `i` in `0...gridSteps`.
    public var gridSteps: Int

    /// Creates options.
    public init(
        criteria: TuningCriteria = TuningCriteria(), dimension: SegmentDimension? = nil,
        tableThresholds: [Double] = TuningOptions.thresholds(step: 0.05), k: Int = 100, gridSteps: Int = 1000
    ) {
        self.criteria = criteria
        self.dimension = dimension
        self.tableThresholds = tableThresholds
        self.k = k
        self.gridSteps = gridSteps
    }

    /// `0, step, 2·step, …, 1` (1 always included), each rounded to 6 decimals.
    public static func thresholds(step: Double) -> [Double] {
        precondition(step > 0 && step <= 1)
        let count = Int((1 / step).rounded(.down))
        var values = (0...count).map { ((Double($0) * step) * 1e6).rounded() / 1e6 }
        if values.last! < 1 { values.append(1) }
        return values
    }

    /// The fine grid, ascending.
    var grid: [Double] { (0...gridSteps).map { Double($0) / Double(gridSteps) } }
}
