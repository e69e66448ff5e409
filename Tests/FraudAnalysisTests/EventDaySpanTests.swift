import FraudEngine
import Testing

@testable import FraudAnalysis

@Suite struct EventDaySpanTests {
    @Test func countsCalendarDaysInclusive() throws {
        let first = try RFC3339.parse("2026-04-01T23:59:00.000Z")
        let last = try RFC3339.parse("2026-04-03T00:01:00.000Z")
        let span = try #require(EventDaySpan([last, first]))
        #expect(span.days == 3)
        #expect(try #require(EventDaySpan([first])).days == 1)
        #expect(EventDaySpan([EpochMillis]()) == nil)
    }

    @Test func negativeTimesUseFloorDays() {
        #expect(EventDaySpan.day(of: -1) == -1)
        #expect(EventDaySpan.day(of: 0) == 0)
        #expect(EventDaySpan.day(of: 86_399_999) == 0)
    }
}
