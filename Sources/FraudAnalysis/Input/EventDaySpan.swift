import FraudEngine

/// The days a set of decisions spans, the denominator of "alerts per day".
///
/// Defined as the number of **UTC calendar days from the day of the earliest event time to
/// the day of the latest, both included** (days without any transaction in between count):
/// a log from 2026-04-01T00:03Z to 2026-04-30T23:58Z spans 30 days, and so does one from
/// 2026-04-01T12:00Z to 2026-04-30T00:10Z. Alerts per day = alerts / ``days``.
public struct EventDaySpan: Hashable, Sendable {
    /// Earliest event time.
    public var first: EpochMillis
    /// Latest event time.
    public var last: EpochMillis

    /// Milliseconds per day.
    public static let millisPerDay: EpochMillis = 86_400_000

    /// The span of `times`; nil when empty.
    public init?(_ times: some Sequence<EpochMillis>) {
        var first = EpochMillis.max
        var last = EpochMillis.min
        for time in times {
            first = min(first, time)
            last = max(last, time)
        }
        guard first <= last else { return nil }
        self.first = first
        self.last = last
    }

    /// UTC day number (days since 1970-01-01) of an event time.
    @inlinable public static func day(of time: EpochMillis) -> Int {
        Int(time >= 0 ? time / millisPerDay : (time - millisPerDay + 1) / millisPerDay)
    }

    /// Days spanned, at least 1.
    public var days: Int { Self.day(of: last) - Self.day(of: first) + 1 }

    /// `2026-04-01 to 2026-04-30 (30 days)`.
    public var description: String {
        "\(RFC3339.format(first).prefix(10)) to \(RFC3339.format(last).prefix(10)) (\(days) day\(days == 1 ? "" : "s"))"
    }
}
