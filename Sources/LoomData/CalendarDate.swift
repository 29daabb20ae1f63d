/// A date and time of day on the proleptic Gregorian calendar, without a time zone — what a
/// cell such as `1949-01`, `1949-01-31` or `2020-03-01 14:00` names.
///
/// ```swift
/// let d = CalendarDate(year: 1960, month: 1, day: 31)!
/// d.daysSinceEpoch                          // -3623  (1970-01-01 is day 0)
/// d.adding(months: 1, day: 31)              // 1960-02-29: the day is clamped to the month's end
/// d.isLastDayOfMonth                        // true
/// ```
///
/// Time zones and daylight saving time are not modelled: every day has 24 hours of 60 minutes of
/// 60 seconds, which is what spacing and calendar arithmetic on a column of dates need.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 0…9999 (4 digits when written).
    public let year: Int
    /// The month, 1…12.
    public let month: Int
    /// The day of the month, 1…``CalendarDate/daysInMonth(year:month:)``.
    public let day: Int
    /// The hour, 0…23.
    public let hour: Int
    /// The minute, 0…59.
    public let minute: Int
    /// The second, 0…59 (leap seconds are not accepted).
    public let second: Int

    /// A date, or nil when a field is out of range (month 13, February 30, hour 24, year 10000…).
    public init?(year: Int, month: Int, day: Int = 1, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (0...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysInMonth(year: year, month: month)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The date `seconds` after 1970-01-01 00:00:00 (negative before it).
    ///
    /// - Precondition: the result lies in the years 0…9999.
    public init(secondsSinceEpoch seconds: Int) {
        let days = CalendarDate.floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let ordinal = days + CalendarDate.epochOrdinal
        // A first guess of the year from the mean Gregorian year, then corrected by at most one.
        var year = Int((Double(ordinal) / 365.2425).rounded(.down))
        while CalendarDate.ordinalOfJanuaryFirst(year + 1) <= ordinal { year += 1 }
        while CalendarDate.ordinalOfJanuaryFirst(year) > ordinal { year -= 1 }
        precondition((0...9999).contains(year),
                     "CalendarDate(secondsSinceEpoch: \(seconds)) falls in the year \(year), outside 0…9999")
        var dayOfYear = ordinal - CalendarDate.ordinalOfJanuaryFirst(year)
        var month = 1
        while dayOfYear >= CalendarDate.daysInMonth(year: year, month: month) {
            dayOfYear -= CalendarDate.daysInMonth(year: year, month: month)
            month += 1
        }
        self.year = year
        self.month = month
        self.day = dayOfYear + 1
        self.hour = secondOfDay / 3600
        self.minute = secondOfDay % 3600 / 60
        self.second = secondOfDay % 60
    }

    /// Whole days from 1970-01-01 to this date's day (negative before it).
    public var daysSinceEpoch: Int {
        var ordinal = CalendarDate.ordinalOfJanuaryFirst(year) + day - 1
        for m in 1..<month { ordinal += CalendarDate.daysInMonth(year: year, month: m) }
        return ordinal - CalendarDate.epochOrdinal
    }

    /// Seconds from 1970-01-01 00:00:00 to this date and time (negative before it).
    public var secondsSinceEpoch: Int {
        daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// Whether `day` is the last day of its month (31 January, 29 February 2000, 30 April…).
    public var isLastDayOfMonth: Bool { day == CalendarDate.daysInMonth(year: year, month: month) }

    /// The quarter of the year, 1…4 (January–March is 1).
    public var quarter: Int { (month - 1) / 3 + 1 }

    /// The date `months` calendar months later (earlier when negative) on day `day` of that month,
    /// clamped to its last day (`day: 31` gives month ends), at the same time of day.
    ///
    /// - Precondition: the result lies in the years 0…9999.
    public func adding(months: Int, day: Int) -> CalendarDate {
        let monthCount = year * 12 + (month - 1) + months
        let newYear = CalendarDate.floorDivide(monthCount, 12), newMonth = monthCount - newYear * 12 + 1
        precondition((0...9999).contains(newYear),
                     "CalendarDate.adding(months: \(months)) from \(self) falls in the year \(newYear), outside 0…9999")
        let newDay = min(max(day, 1), CalendarDate.daysInMonth(year: newYear, month: newMonth))
        return CalendarDate(year: newYear, month: newMonth, day: newDay, hour: hour, minute: minute, second: second)!
    }

    /// The date and time `seconds` later (earlier when negative).
    public func adding(seconds: Int) -> CalendarDate {
        CalendarDate(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// Whether `year` has a 29 February: divisible by 4, except centuries not divisible by 400.
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days of `month` (1…12) in `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second) < (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }

    /// `1960-01-31 00:00:00`.
    public var description: String {
        DateStyle.second(separator: " ").format(self)
    }

    // MARK: - Day counting

    /// Days from 1 January of the year 0 to 1 January of `year`: 365 per year plus one per leap
    /// year before it (the year 0 is a leap year on the proleptic Gregorian calendar).
    static func ordinalOfJanuaryFirst(_ year: Int) -> Int {
        let previous = year - 1
        let leapYears = floorDivide(previous, 4) - floorDivide(previous, 100) + floorDivide(previous, 400) + 1
        return 365 * year + leapYears
    }

    /// The ordinal of 1970-01-01.
    static let epochOrdinal = ordinalOfJanuaryFirst(1970)

    /// ⌊a / b⌋ for b > 0 (Swift's `/` rounds toward zero).
    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }
}
