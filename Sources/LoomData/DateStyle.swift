/// How the dates of a column are written: which ISO 8601 form, down to which field. A
/// ``DateIndex`` remembers its style so that the dates it continues read like the input.
///
/// | style | example |
/// |---|---|
/// | ``year`` | `1961` |
/// | ``quarter(separator:)`` | `1961-Q1` (also `1961Q1`, `1961 Q1`) |
/// | ``month`` | `1961-01` |
/// | ``day`` | `1961-01-31` |
/// | ``minute(separator:)`` | `1961-01-31 08:00` (or `T` between date and time) |
/// | ``second(separator:)`` | `1961-01-31 08:00:00` |
///
/// Fields are zero-padded to their full width (`1961-1` is not a date); the year has 4 digits.
public enum DateStyle: Hashable, Sendable {
    /// `YYYY`: a year, read as its 1 January.
    case year
    /// `YYYY-Qn` with `separator` (`-`, a space or nothing) before the `Q`: a quarter, read as its first day.
    case quarter(separator: String)
    /// `YYYY-MM`: a month, read as its first day.
    case month
    /// `YYYY-MM-DD`.
    case day
    /// `YYYY-MM-DD HH:MM`, with `separator` (a space or `T`) between the date and the time.
    case minute(separator: Character)
    /// `YYYY-MM-DD HH:MM:SS`, with `separator` (a space or `T`) between the date and the time.
    case second(separator: Character)

    /// The pattern for messages: `YYYY-MM`, `YYYY-MM-DD HH:MM`, ….
    public var pattern: String {
        switch self {
        case .year: return "YYYY"
        case .quarter(let separator): return "YYYY\(separator)Qn"
        case .month: return "YYYY-MM"
        case .day: return "YYYY-MM-DD"
        case .minute(let separator): return "YYYY-MM-DD\(separator)HH:MM"
        case .second(let separator): return "YYYY-MM-DD\(separator)HH:MM:SS"
        }
    }

    /// `date` written in this style; fields finer than the style (the day of a ``month``…) are left out.
    public func format(_ date: CalendarDate) -> String {
        let ymd = "\(Self.padded(date.year, 4))-\(Self.padded(date.month, 2))-\(Self.padded(date.day, 2))"
        switch self {
        case .year: return Self.padded(date.year, 4)
        case .quarter(let separator): return "\(Self.padded(date.year, 4))\(separator)Q\(date.quarter)"
        case .month: return "\(Self.padded(date.year, 4))-\(Self.padded(date.month, 2))"
        case .day: return ymd
        case .minute(let separator): return "\(ymd)\(separator)\(Self.padded(date.hour, 2)):\(Self.padded(date.minute, 2))"
        case .second(let separator):
            return "\(ymd)\(separator)\(Self.padded(date.hour, 2)):\(Self.padded(date.minute, 2)):\(Self.padded(date.second, 2))"
        }
    }

    /// Reads `text` (surrounding spaces allowed) in whichever style it is written: the date and
    /// its style, or nil when it is none of the forms above or names no real date (`1949-13`,
    /// `1949-02-30`, `2020-01-01 24:00`).
    public static func parse(_ text: String) -> (date: CalendarDate, style: DateStyle)? {
        let bytes = Array(text.utf8.drop { $0 == space }.reversed().drop { $0 == space }.reversed())
        guard bytes.count >= 4, let year = number(bytes, 0, 4) else { return nil }
        if bytes.count == 4 { return CalendarDate(year: year, month: 1).map { ($0, .year) } }
        if (6...7).contains(bytes.count) && bytes[bytes.count - 2] | 0x20 == UInt8(ascii: "q") {
            // YYYYQn, YYYY-Qn, YYYY Qn (q in either case)
            let separator = bytes[4..<(bytes.count - 2)]
            guard separator.isEmpty || separator.first == dash || separator.first == space,
                  let quarter = number(bytes, bytes.count - 1, 1), (1...4).contains(quarter) else { return nil }
            return CalendarDate(year: year, month: 3 * quarter - 2)
                .map { ($0, .quarter(separator: String(decoding: separator, as: UTF8.self))) }
        }
        guard bytes[4] == dash, let month = number(bytes, 5, 2) else { return nil }
        if bytes.count == 7 { return CalendarDate(year: year, month: month).map { ($0, .month) } }
        guard bytes.count >= 10, bytes[7] == dash, let day = number(bytes, 8, 2) else { return nil }
        if bytes.count == 10 { return CalendarDate(year: year, month: month, day: day).map { ($0, .day) } }
        guard bytes.count == 16 || bytes.count == 19, bytes[10] == space || bytes[10] == UInt8(ascii: "T"),
              let hour = number(bytes, 11, 2), bytes[13] == colon, let minute = number(bytes, 14, 2) else { return nil }
        let separator = Character(Unicode.Scalar(bytes[10]))
        if bytes.count == 16 {
            return CalendarDate(year: year, month: month, day: day, hour: hour, minute: minute)
                .map { ($0, .minute(separator: separator)) }
        }
        guard bytes[16] == colon, let second = number(bytes, 17, 2) else { return nil }
        return CalendarDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            .map { ($0, .second(separator: separator)) }
    }

    // MARK: - Digits

    private static let space = UInt8(ascii: " "), dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")

    /// The value of the `width` decimal digits at `start`, or nil when one is not a digit.
    private static func number(_ bytes: [UInt8], _ start: Int, _ width: Int) -> Int? {
        guard start + width <= bytes.count else { return nil }
        var value = 0
        for b in bytes[start..<(start + width)] {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
        }
        return value
    }

    /// `value` with leading zeros to `width` digits.
    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
