/// RFC 3339 date-time text ⇄ UTC epoch milliseconds, in pure integer arithmetic.
///
/// Accepted input: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, with `T` and `Z` in
/// either case (RFC 3339 §5.6). Numeric offsets are converted to UTC. The fraction may have
/// any number of digits; digits beyond milliseconds are truncated (towards the past).
/// Leap seconds (`:60`) are rejected: epoch milliseconds cannot represent them.
///
/// Output is always UTC with exactly three fraction digits: `2026-04-01T12:00:00.123Z`.
public enum RFC3339 {
    /// Why a text is not an RFC 3339 date-time.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong, e.g. `day 30 is out of range for month 2`.
        public var reason: String
        /// Creates an error.
        public init(reason: String) { self.reason = reason }
        /// The reason.
        public var description: String { reason }
    }

    /// Parses a date-time into UTC epoch milliseconds, or returns nil.
    public static func epochMillis(_ text: some StringProtocol) -> EpochMillis? {
        try? parse(text)
    }

    /// Parses a date-time into UTC epoch milliseconds, saying why when it cannot.
    public static func parse(_ text: some StringProtocol) throws(ParseError) -> EpochMillis {
        var copy = String(text)
        let result = copy.withUTF8 { buffer in
            Result { () throws(ParseError) -> EpochMillis in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses a date-time held in UTF-8 bytes into UTC epoch milliseconds.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> EpochMillis {
        let n = bytes.count
        @inline(__always) func digit(_ i: Int) -> Int64? {
            guard i < n else { return nil }
            let d = bytes[i] &- UInt8(ascii: "0")
            return d < 10 ? Int64(d) : nil
        }
        @inline(__always) func number(_ i: Int, _ width: Int) -> Int64? {
            var value: Int64 = 0
            for k in i..<(i + width) {
                guard let d = digit(k) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        @inline(__always) func byte(_ i: Int) -> UInt8 { i < n ? bytes[i] : 0 }

        guard let year = number(0, 4), byte(4) == UInt8(ascii: "-"),
              let month = number(5, 2), byte(7) == UInt8(ascii: "-"),
              let day = number(8, 2)
        else { throw ParseError(reason: "expected a date YYYY-MM-DD") }
        guard byte(10) | 0x20 == UInt8(ascii: "t") else {
            throw ParseError(reason: "expected 'T' between date and time")
        }
        guard let hour = number(11, 2), byte(13) == UInt8(ascii: ":"),
              let minute = number(14, 2), byte(16) == UInt8(ascii: ":"),
              let second = number(17, 2)
        else { throw ParseError(reason: "expected a time HH:MM:SS") }
        guard (1...12).contains(month) else { throw ParseError(reason: "month \(month) is out of range") }
        guard day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else {
            throw ParseError(reason: "day \(day) is out of range for \(year)-\(month < 10 ? "0" : "")\(month)")
        }
        guard hour < 24 else { throw ParseError(reason: "hour \(hour) is out of range") }
        guard minute < 60 else { throw ParseError(reason: "minute \(minute) is out of range") }
        guard second < 60 else {
            throw ParseError(reason: second == 60 ? "leap seconds are not supported" : "second \(second) is out of range")
        }

        var i = 19
        var millis: Int64 = 0
        if byte(i) == UInt8(ascii: ".") {
            i += 1
            var fractionDigits = 0
            while let d = digit(i) {
                if fractionDigits < 3 { millis = millis * 10 + d }
                fractionDigits += 1
                i += 1
            }
            guard fractionDigits > 0 else { throw ParseError(reason: "expected digits after '.'") }
            for _ in fractionDigits..<max(fractionDigits, 3) { millis *= 10 }
        }

        var offsetMinutes: Int64 = 0
        let zone = byte(i)
        if zone | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") {
            guard let offsetHour = number(i + 1, 2), byte(i + 3) == UInt8(ascii: ":"),
                  let offsetMinute = number(i + 4, 2)
            else { throw ParseError(reason: "expected a UTC offset ±HH:MM") }
            guard offsetHour < 24, offsetMinute < 60 else {
                throw ParseError(reason: "UTC offset is out of range")
            }
            offsetMinutes = offsetHour * 60 + offsetMinute
            if zone == UInt8(ascii: "-") { offsetMinutes = -offsetMinutes }
            i += 6
        } else {
            throw ParseError(reason: "expected a time zone: 'Z' or ±HH:MM")
        }
        guard i == n else { throw ParseError(reason: "unexpected text after the time zone") }

        let days = CivilCalendar.daysFromCivil(year: year, month: month, day: day)
        let secondsOfDay = hour * 3600 + minute * 60 + second
        return days * CivilCalendar.millisPerDay + secondsOfDay * 1000 + millis - offsetMinutes * 60_000
    }

    /// Formats UTC epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    ///
    /// Instants outside years 0000–9999 are written with as many year digits as needed (and
    /// a leading `-` before year 0), which is not valid RFC 3339.
    public static func format(_ millis: EpochMillis) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(millis, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `millis` formatted as by ``format(_:)`` to a byte buffer.
    public static func append(_ millis: EpochMillis, to bytes: inout [UInt8]) {
        JSONByteWriter.write(into: &bytes, maxBytes: JSONCursor.numberBound) { write(millis, to: &$0) }
    }

    /// Writes `millis` formatted as by ``format(_:)`` (at most 40 bytes).
    public static func write(_ millis: EpochMillis, to out: inout JSONCursor) {
        var days = millis / CivilCalendar.millisPerDay
        var msOfDay = millis % CivilCalendar.millisPerDay
        if msOfDay < 0 {
            msOfDay += CivilCalendar.millisPerDay
            days -= 1
        }
        let (year, month, day) = CivilCalendar.civilFromDays(days)
        @inline(__always) func two(_ value: Int64, _ out: inout JSONCursor) {
            out.byte(UInt8(truncatingIfNeeded: value / 10) &+ 48)
            out.byte(UInt8(truncatingIfNeeded: value % 10) &+ 48)
        }
        if (0...9999).contains(year) {
            out.byte(UInt8(truncatingIfNeeded: year / 1000) &+ 48)
            out.byte(UInt8(truncatingIfNeeded: year / 100 % 10) &+ 48)
            two(year % 100, &out)
        } else {
            if year < 0 { out.byte(UInt8(ascii: "-")) }
            out.unsigned(year.magnitude)
        }
        out.byte(UInt8(ascii: "-"))
        two(month, &out)
        out.byte(UInt8(ascii: "-"))
        two(day, &out)
        out.byte(UInt8(ascii: "T"))
        let seconds = msOfDay / 1000
        two(seconds / 3600, &out)
        out.byte(UInt8(ascii: ":"))
        two(seconds / 60 % 60, &out)
        out.byte(UInt8(ascii: ":"))
        two(seconds % 60, &out)
        out.byte(UInt8(ascii: "."))
        let ms = msOfDay % 1000
        out.byte(UInt8(truncatingIfNeeded: ms / 100) &+ 48)
        two(ms % 100, &out)
        out.byte(UInt8(ascii: "Z"))
    }
}
