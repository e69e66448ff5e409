import Testing
@testable import FraudEngine

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("1970-01-01T00:00:00.001Z", 1),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2000-01-01T00:00:00Z", 946_684_800_000),
        ("2000-02-29T12:00:00Z", 951_825_600_000),  // leap year divisible by 400
        ("2024-02-29T23:59:59.999Z", 1_709_251_199_999),
        ("2026-04-01T12:00:00.123Z", 1_775_044_800_123),
        ("2026-04-01T12:00:00.123z", 1_775_044_800_123),
        ("2026-04-01t12:00:00.123Z", 1_775_044_800_123),
        ("2026-04-01T14:00:00+02:00", 1_775_044_800_000),
        ("2026-04-01T06:30:00-05:30", 1_775_044_800_000),
        ("2026-04-01T12:00:00-00:00", 1_775_044_800_000),
        ("2026-01-01T00:30:00+01:00", 1_767_223_800_000),  // offset crosses into the previous year
        ("2026-04-01T12:00:00.5Z", 1_775_044_800_500),
        ("2026-04-01T12:00:00.12Z", 1_775_044_800_120),
        ("2026-04-01T12:00:00.123999Z", 1_775_044_800_123),  // truncated, not rounded
        ("2100-12-31T23:59:59.999Z", 4_133_980_799_999),
        ("1900-03-01T00:00:00Z", -2_203_891_200_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ])
    func parsesKnownInstants(text: String, millis: Int64) throws {
        #expect(try RFC3339.parse(text) == millis)
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z",  // month
        "2026-00-01T00:00:00Z",
        "2026-04-31T00:00:00Z",  // April has 30 days
        "2026-02-29T00:00:00Z",  // not a leap year
        "1900-02-29T00:00:00Z",  // century, not divisible by 400
        "2100-02-29T00:00:00Z",
        "2026-04-01T24:00:00Z",
        "2026-04-01T12:60:00Z",
        "2026-04-01T12:00:60Z",  // leap second
        "2026-04-01T12:00:00",  // no zone
        "2026-04-01T12:00:00+24:00",
        "2026-04-01T12:00:00+02:60",
        "2026-04-01T12:00:00+0200",
        "2026-04-01T12:00:00.Z",
        "2026-04-01T12:00:00Zjunk",
        "2026-04-01 12:00:00Z",  // space instead of T
        "26-04-01T12:00:00Z",
        "2026-4-01T12:00:00Z",
        "",
        "2026-04-01",
    ])
    func rejectsInvalidDateTimes(text: String) {
        #expect(RFC3339.epochMillis(text) == nil, "\(text) should be rejected")
    }

    @Test func explainsWhy() {
        #expect(throws: RFC3339.ParseError(reason: "day 30 is out of range for 2026-02")) {
            try RFC3339.parse("2026-02-30T10:00:00Z")
        }
        #expect(throws: RFC3339.ParseError(reason: "leap seconds are not supported")) {
            try RFC3339.parse("2016-12-31T23:59:60Z")
        }
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1_775_044_800_123, "2026-04-01T12:00:00.123Z"),
        (951_825_600_000, "2000-02-29T12:00:00.000Z"),
        (4_133_980_799_999, "2100-12-31T23:59:59.999Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
    ])
    func formatsUTCWithMilliseconds(millis: Int64, text: String) {
        #expect(RFC3339.format(millis) == text)
    }

    @Test func formatThenParseRoundTripsAcrossTheCalendar() throws {
        var rng = CodecTestRandom(seed: 42)
        let lower: Int64 = -62_135_596_800_000  // 0001-01-01
        let upper: Int64 = 253_402_300_799_999  // 9999-12-31
        for _ in 0..<20_000 {
            let millis = lower + Int64(rng.next() % UInt64(upper - lower))
            #expect(try RFC3339.parse(RFC3339.format(millis)) == millis)
        }
    }

    @Test func civilCalendarKnownDays() {
        #expect(CivilCalendar.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.daysFromCivil(year: 2000, month: 3, day: 1) == 11017)
        #expect(CivilCalendar.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
        #expect(CivilCalendar.civilFromDays(11017) == (2000, 3, 1))
        #expect(CivilCalendar.civilFromDays(-1) == (1969, 12, 31))
        #expect(CivilCalendar.isLeapYear(2000) && CivilCalendar.isLeapYear(2024))
        #expect(!CivilCalendar.isLeapYear(1900) && !CivilCalendar.isLeapYear(2100) && !CivilCalendar.isLeapYear(2026))
    }

    @Test func civilCalendarIsConsecutiveAndInvertible() {
        // Walk every day from 1600 to 2400 and check each date follows the previous one.
        var (year, month, day): (Int64, Int64, Int64) = (1600, 1, 1)
        var days = CivilCalendar.daysFromCivil(year: year, month: month, day: day)
        while year < 2400 {
            let civil = CivilCalendar.civilFromDays(days)
            #expect(civil == (year, month, day))
            if civil != (year, month, day) { return }
            day += 1
            if day > CivilCalendar.daysInMonth(year: year, month: month) {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
            days += 1
            #expect(CivilCalendar.daysFromCivil(year: year, month: month, day: day) == days)
        }
    }
}
