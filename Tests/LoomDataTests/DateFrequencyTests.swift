import Testing
import LoomData

@Suite("Date frequency from the spacing of dates")
struct DateFrequencyTests {
    static func months(from year: Int, count: Int, day: Int = 1, monthEnds: Bool = false, step: Int = 1) -> [CalendarDate] {
        let start = CalendarDate(year: year, month: 1, day: monthEnds ? 31 : day)!
        return (0..<count).map { start.adding(months: $0 * step, day: monthEnds ? 31 : day) }
    }

    static func spaced(_ seconds: Int, count: Int, from start: CalendarDate = CalendarDate(year: 2020, month: 1)!) -> [CalendarDate] {
        (0..<count).map { start.adding(seconds: $0 * seconds) }
    }

    @Test func calendarStepsOnRealCalendars() {
        #expect(DateFrequency(spacingOf: Self.months(from: 1949, count: 144)) == .monthly)
        #expect(DateFrequency(spacingOf: Self.months(from: 1999, count: 30, monthEnds: true)) == .monthly)
        #expect(DateFrequency(spacingOf: Self.months(from: 1999, count: 30, day: 30)) == .monthly, "28 Feb between 30ths")
        #expect(DateFrequency(spacingOf: Self.months(from: 1999, count: 20, step: 3)) == .quarterly)
        #expect(DateFrequency(spacingOf: Self.months(from: 1999, count: 20, monthEnds: true, step: 3)) == .quarterly)
        #expect(DateFrequency(spacingOf: Self.months(from: 1995, count: 12, step: 12)) == .yearly, "leap years included")
        #expect(DateFrequency(spacingOf: Self.months(from: 1995, count: 12, monthEnds: true, step: 12)) == .yearly)
        #expect(DateFrequency(spacingOf: Self.spaced(7 * 86_400, count: 60)) == .weekly)
        #expect(DateFrequency(spacingOf: Self.spaced(86_400, count: 400)) == .daily)
        #expect(DateFrequency(spacingOf: Self.spaced(3600, count: 100)) == .hourly)
        #expect(DateFrequency(spacingOf: Self.months(from: 1949, count: 2)) == .monthly, "two dates are enough")
    }

    @Test func aFewMissingObservationsAreTolerated() {
        var dates = Self.months(from: 1949, count: 144)
        for i in [100, 50, 20] { dates.remove(at: i) }           // 3 two-month steps in 140
        #expect(DateFrequency(spacingOf: dates) == .monthly)
        var days = Self.spaced(86_400, count: 100)
        days.remove(at: 40)
        #expect(DateFrequency(spacingOf: days) == .daily)
    }

    @Test func inconsistentSpacingIsIrregular() {
        var dates = Self.months(from: 1949, count: 24)
        for i in [20, 15, 10, 5] { dates.remove(at: i) }          // 4 two-month steps in 19
        #expect(DateFrequency(spacingOf: dates) == .irregular)
        // Business days: one step in five is three days.
        let businessDays = Self.spaced(86_400, count: 70).filter { ($0.daysSinceEpoch + 3) % 7 < 5 }
        #expect(DateFrequency(spacingOf: businessDays) == .irregular)
        #expect(DateFrequency(spacingOf: Self.spaced(2 * 86_400, count: 10)) == .irregular, "every other day")
        #expect(DateFrequency(spacingOf: Self.spaced(1800, count: 10)) == .irregular, "half-hourly")
        #expect(DateFrequency(spacingOf: Self.months(from: 1949, count: 10, step: 2)) == .irregular, "bimonthly")
        #expect(DateFrequency(spacingOf: Self.months(from: 1949, count: 12).reversed()) == .irregular, "newest first")
        let repeated = Self.months(from: 1949, count: 12)
        #expect(DateFrequency(spacingOf: repeated + repeated) == .irregular, "out of order")
        var duplicate = Self.months(from: 1949, count: 40)
        duplicate.insert(duplicate[10], at: 10)
        #expect(DateFrequency(spacingOf: duplicate) == .irregular, "a repeated date")
        #expect(DateFrequency(spacingOf: []) == .irregular && DateFrequency(spacingOf: Self.months(from: 1949, count: 1)) == .irregular)
    }

    @Test func seasonalPeriodsAndSteps() {
        let periods = DateFrequency.allCases.map { ($0, $0.seasonalPeriod) }
        #expect(periods.map(\.1) == [1, 4, 12, 52, 7, 24, 1], "\(periods)")
        #expect(DateFrequency.allCases.map(\.months) == [12, 3, 1, nil, nil, nil, nil])
        #expect(DateFrequency.allCases.map(\.seconds) == [nil, nil, nil, 604_800, 86_400, 3600, nil])
        #expect(DateFrequency.monthly.description == "monthly")
    }
}
