/// Builds a page in the Prometheus text exposition format, version 0.0.4.
///
/// Samples are grouped by metric family: the first sample of a family writes its `# HELP` and
/// `# TYPE` lines, later samples of the same family join it, whatever was added in between.
/// Families appear in the order they were first added, samples in the order they were added,
/// so the same calls always give the same text.
///
/// ```swift
/// var page = PrometheusTextWriter()
/// try page.counter("fraud_events_total", help: "Events scored.", labels: ["topic": "tx"], value: 42)
/// try page.gauge("fraud_consumer_lag", help: "Messages behind.", value: 3)
/// try page.histogram("fraud_score_seconds", help: "Scoring latency.", latency)
/// let body = page.text
/// ```
///
/// Names are validated and label values and help texts escaped; a refused sample throws
/// ``PrometheusTextWriterError`` and leaves the page unchanged.
public struct PrometheusTextWriter: Sendable {
    private struct Family: Sendable {
        let name: String
        let help: String
        let type: PrometheusMetricType
        var lines: [String] = []
        var series: Set<String> = []
    }

    private var families: [Family] = []
    private var familyIndex: [String: Int] = [:]
    /// Every sample name written so far (`x`, or `x_bucket`, `x_sum`, `x_count`), to its family.
    private var sampleNameOwners: [String: String] = [:]

    /// An empty page.
    public init() {}

    /// True when nothing has been added.
    public var isEmpty: Bool { families.isEmpty }

    /// Adds a counter sample.
    ///
    /// - Parameters:
    ///   - name: the family name, conventionally ending in `_total`.
    ///   - help: the family's help text (any text; escaped). Must be the same for every sample
    ///     of the family. An empty help omits the `# HELP` line.
    ///   - labels: the sample's labels, written in this order.
    ///   - value: the counter's value.
    public mutating func counter(
        _ name: String, help: String, labels: KeyValuePairs<String, String> = [:], value: Double
    ) throws {
        try addSimple(name, help: help, type: .counter, labels: labels, value: value)
    }

    /// Adds a gauge sample. Parameters as for ``counter(_:help:labels:value:)``.
    public mutating func gauge(
        _ name: String, help: String, labels: KeyValuePairs<String, String> = [:], value: Double
    ) throws {
        try addSimple(name, help: help, type: .gauge, labels: labels, value: value)
    }

    /// Adds a histogram series: its cumulative `_bucket` samples (one per bound, then
    /// `le="+Inf"`), `_sum` and `_count`.
    ///
    /// - Parameters:
    ///   - name: the family name (without `_bucket`, `_sum` or `_count`).
    ///   - help: as for ``counter(_:help:labels:value:)``.
    ///   - labels: the series' labels; `le` is reserved and added after them.
    ///   - histogram: the bucket counts and sum.
    public mutating func histogram(
        _ name: String, help: String, labels: KeyValuePairs<String, String> = [:], _ histogram: PrometheusHistogram
    ) throws {
        let labelText = try Self.validatedLabels(labels, metric: name, reserved: ["le"])
        var lines: [String] = []
        lines.reserveCapacity(histogram.upperBounds.count + 3)
        var cumulative: UInt64 = 0
        for (bound, count) in zip(histogram.upperBounds, histogram.bucketCounts) {
            cumulative &+= count
            lines.append(Self.sampleLine("\(name)_bucket", labelText, le: Self.formatNumber(bound), Self.formatNumber(cumulative)))
        }
        let total = histogram.count
        lines.append(Self.sampleLine("\(name)_bucket", labelText, le: "+Inf", Self.formatNumber(total)))
        lines.append(Self.sampleLine("\(name)_sum", labelText, le: nil, Self.formatNumber(histogram.sum)))
        lines.append(Self.sampleLine("\(name)_count", labelText, le: nil, Self.formatNumber(total)))
        try add(name, help: help, type: .histogram, seriesKey: labelText, lines: lines)
    }

    /// The page: every family's `# HELP` and `# TYPE` lines followed by its samples, each line
    /// ending in `\n`. Empty when nothing was added.
    public var text: String {
        var out = ""
        for family in families {
            if !family.help.isEmpty {
                out += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n"
            }
            out += "# TYPE \(family.name) \(family.type.rawValue)\n"
            for line in family.lines {
                out += line
            }
        }
        return out
    }

    private mutating func addSimple(
        _ name: String, help: String, type: PrometheusMetricType, labels: KeyValuePairs<String, String>, value: Double
    ) throws {
        let labelText = try Self.validatedLabels(labels, metric: name, reserved: [])
        try add(name, help: help, type: type, seriesKey: labelText,
                lines: [Self.sampleLine(name, labelText, le: nil, Self.formatNumber(value))])
    }

    private mutating func add(
        _ name: String, help: String, type: PrometheusMetricType, seriesKey: String, lines: [String]
    ) throws {
        guard Self.isValidMetricName(name) else { throw PrometheusTextWriterError.invalidMetricName(name) }
        if let index = familyIndex[name] {
            let family = families[index]
            guard family.type == type else {
                throw PrometheusTextWriterError.conflictingFamily(name, reason: "already a \(family.type), not a \(type)")
            }
            guard family.help == help else {
                throw PrometheusTextWriterError.conflictingFamily(name, reason: "help text differs from the first sample's")
            }
            guard !family.series.contains(seriesKey) else {
                throw PrometheusTextWriterError.duplicateSeries(metric: name, labels: seriesKey)
            }
            families[index].series.insert(seriesKey)
            families[index].lines.append(contentsOf: lines)
            return
        }
        let sampleNames = type == .histogram ? [name, "\(name)_bucket", "\(name)_sum", "\(name)_count"] : [name]
        for sampleName in sampleNames {
            if let owner = sampleNameOwners[sampleName] {
                throw PrometheusTextWriterError.conflictingFamily(name, reason: "writes \(sampleName), already written by \(owner)")
            }
        }
        for sampleName in sampleNames { sampleNameOwners[sampleName] = name }
        familyIndex[name] = families.count
        families.append(Family(name: name, help: help, type: type, lines: lines, series: [seriesKey]))
    }

    /// Validates names and returns the rendered label pairs without braces: `a="x",b="y"`.
    private static func validatedLabels(
        _ labels: KeyValuePairs<String, String>, metric: String, reserved: Set<String>
    ) throws -> String {
        var seen: Set<String> = []
        var parts: [String] = []
        parts.reserveCapacity(labels.count)
        for (key, value) in labels {
            guard isValidLabelName(key) else { throw PrometheusTextWriterError.invalidLabelName(key, metric: metric) }
            guard !key.hasPrefix("__"), !reserved.contains(key) else {
                throw PrometheusTextWriterError.reservedLabelName(key, metric: metric)
            }
            guard seen.insert(key).inserted else {
                throw PrometheusTextWriterError.duplicateLabelName(key, metric: metric)
            }
            parts.append("\(key)=\"\(escapeLabelValue(value))\"")
        }
        return parts.joined(separator: ",")
    }

    private static func sampleLine(_ name: String, _ labels: String, le: String?, _ value: String) -> String {
        switch (labels.isEmpty, le) {
        case (true, nil): return "\(name) \(value)\n"
        case (false, nil): return "\(name){\(labels)} \(value)\n"
        case (true, let le?): return "\(name){le=\"\(le)\"} \(value)\n"
        case (false, let le?): return "\(name){\(labels),le=\"\(le)\"} \(value)\n"
        }
    }
}
