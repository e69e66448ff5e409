/// Why ``PrometheusTextWriter`` refused a sample. Nothing is written when a sample is refused.
public enum PrometheusTextWriterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The metric name does not match `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    case invalidMetricName(String)
    /// The label name does not match `[a-zA-Z_][a-zA-Z0-9_]*`.
    case invalidLabelName(String, metric: String)
    /// The label name is reserved: it starts with `__`, or it is `le` on a histogram.
    case reservedLabelName(String, metric: String)
    /// The same label name appears twice in one label set.
    case duplicateLabelName(String, metric: String)
    /// The name is already used by a family of another type or help text, or one of the
    /// sample names it writes (`_bucket`, `_sum`, `_count` for histograms) is another family's.
    case conflictingFamily(String, reason: String)
    /// A sample with the same label set was already written for this family.
    case duplicateSeries(metric: String, labels: String)

    /// One line for logs and error messages.
    public var description: String {
        switch self {
        case .invalidMetricName(let name):
            return "invalid metric name \"\(name)\" (expected [a-zA-Z_:][a-zA-Z0-9_:]*)"
        case .invalidLabelName(let name, let metric):
            return "invalid label name \"\(name)\" on \(metric) (expected [a-zA-Z_][a-zA-Z0-9_]*)"
        case .reservedLabelName(let name, let metric):
            return "reserved label name \"\(name)\" on \(metric)"
        case .duplicateLabelName(let name, let metric):
            return "label \"\(name)\" given twice on \(metric)"
        case .conflictingFamily(let name, let reason):
            return "metric family \(name): \(reason)"
        case .duplicateSeries(let metric, let labels):
            return "duplicate series \(metric)\(labels)"
        }
    }
}
