/// The `date-time` format of JSON Schema (RFC 3339 §5.6), checked the way FraudEngine's
/// decoder parses it, so the schema and the decoder agree:
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `T`/`Z` in either case, real calendar days
/// (leap years included), hours < 24, minutes and offset parts in range. Leap seconds
/// (`:60`) are rejected because epoch milliseconds cannot represent them.
enum DateTimeFormat {
    /// Nil when `text` is a valid date-time, otherwise why not.
    static func problem(in text: String) -> String? {
        let b = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for i in start..<(start + count) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        func at(_ i: Int) -> UInt8 { i < b.count ? b[i] : 0 }
        guard let year = digits(0, 4), at(4) == UInt8(ascii: "-"), let month = digits(5, 2), at(7) == UInt8(ascii: "-"),
              let day = digits(8, 2), at(10) | 0x20 == UInt8(ascii: "t"),
              let hour = digits(11, 2), at(13) == UInt8(ascii: ":"), let minute = digits(14, 2),
              at(16) == UInt8(ascii: ":"), let second = digits(17, 2)
        else { return "must be an RFC 3339 date-time such as 2026-04-01T12:00:00.123Z" }
        guard (1...12).contains(month) else { return "month \(month) is out of range" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day >= 1 && day <= monthDays else { return "day \(day) is out of range for the month" }
        guard hour < 24, minute < 60 else { return "time of day is out of range" }
        guard second < 60 else { return second == 60 ? "leap seconds are not supported" : "second is out of range" }
        var i = 19
        if at(i) == UInt8(ascii: ".") {
            i += 1
            let start = i
            while at(i) >= 48 && at(i) <= 57 { i += 1 }
            guard i > start else { return "expected digits after '.'" }
        }
        if at(i) | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if at(i) == UInt8(ascii: "+") || at(i) == UInt8(ascii: "-") {
            guard let offsetHour = digits(i + 1, 2), at(i + 3) == UInt8(ascii: ":"), let offsetMinute = digits(i + 4, 2) else {
                return "expected a UTC offset ±HH:MM"
            }
            guard offsetHour < 24, offsetMinute < 60 else { return "UTC offset is out of range" }
            i += 6
        } else {
            return "expected a time zone: 'Z' or ±HH:MM"
        }
        guard i == b.count else { return "unexpected text after the time zone" }
        return nil
    }
}
