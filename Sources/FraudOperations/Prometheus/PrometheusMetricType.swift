/// The type of a metric family, as written on its `# TYPE` line.
public enum PrometheusMetricType: String, Sendable, Hashable, CustomStringConvertible {
    /// A value that only goes up (and resets to zero when the process restarts).
    case counter
    /// A value that goes up and down.
    case gauge
    /// Observations counted in cumulative buckets, with their sum and count.
    case histogram

    /// The name written on the `# TYPE` line.
    public var description: String { rawValue }
}
