/// The state of one histogram series: bucket upper bounds, how many observations fell in each
/// bucket, and their sum.
///
/// Counts are kept per bucket (not cumulative); ``PrometheusTextWriter`` writes them as the
/// cumulative `_bucket{le="..."}` series Prometheus expects, ending with `le="+Inf"`.
public struct PrometheusHistogram: Sendable, Hashable {
    /// Upper bounds of the finite buckets, strictly increasing. The `+Inf` bucket is implied.
    public let upperBounds: [Double]
    /// Observations per bucket: `bucketCounts[i]` counts values in `(upperBounds[i-1], upperBounds[i]]`;
    /// the last element (index `upperBounds.count`) counts values above the largest bound (and NaN).
    public private(set) var bucketCounts: [UInt64]
    /// The sum of all observed values.
    public private(set) var sum: Double

    /// Prometheus's default buckets, suited to latencies in seconds.
    public static let defaultUpperBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// An empty histogram.
    ///
    /// - Parameter upperBounds: finite bucket bounds, strictly increasing and not NaN. A trailing
    ///   `+Inf` is accepted and dropped (that bucket is always written).
    public init(upperBounds: [Double] = PrometheusHistogram.defaultUpperBounds) {
        var bounds = upperBounds
        if bounds.last == .infinity { bounds.removeLast() }
        precondition(!bounds.contains(where: \.isNaN), "histogram bucket bounds must not be NaN")
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "histogram bucket bounds must be strictly increasing")
        self.upperBounds = bounds
        self.bucketCounts = Array(repeating: 0, count: bounds.count + 1)
        self.sum = 0
    }

    /// A histogram from counts kept elsewhere.
    ///
    /// - Parameters:
    ///   - upperBounds: as for ``init(upperBounds:)``.
    ///   - bucketCounts: per-bucket (not cumulative) counts, one more than the finite bounds:
    ///     the last counts observations above the largest bound.
    ///   - sum: the sum of the observations.
    public init(upperBounds: [Double], bucketCounts: [UInt64], sum: Double) {
        self.init(upperBounds: upperBounds)
        precondition(
            bucketCounts.count == self.upperBounds.count + 1,
            "a histogram with \(self.upperBounds.count) finite bounds needs \(self.upperBounds.count + 1) bucket counts")
        self.bucketCounts = bucketCounts
        self.sum = sum
    }

    /// The number of observations.
    public var count: UInt64 { bucketCounts.reduce(0, &+) }

    /// Counts one observation in the first bucket whose upper bound is at least `value`.
    public mutating func observe(_ value: Double) {
        var low = 0
        var high = upperBounds.count
        while low < high {
            let mid = (low + high) / 2
            if value <= upperBounds[mid] { high = mid } else { low = mid + 1 }
        }
        // NaN compares false with every bound and lands in the last (+Inf) bucket.
        bucketCounts[low] &+= 1
        sum += value
    }

    /// Adds `other`'s observations (same bucket bounds).
    public mutating func merge(_ other: PrometheusHistogram) {
        precondition(other.upperBounds == upperBounds, "histograms with different bucket bounds cannot merge")
        for i in bucketCounts.indices { bucketCounts[i] &+= other.bucketCounts[i] }
        sum += other.sum
    }
}
