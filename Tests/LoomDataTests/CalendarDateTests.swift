import Foundation
import Testing
import LoomData

@Suite("Calendar dates")
struct CalendarDateTests {
    /// The next day by the calendar rules alone, as an independent check of the day counting.
    static func nextDay(_ d: (year: Int, month: Int, day: Int)) -> (year: Int, month: Int, day: Int) {
        if d.day < CalendarDate.daysInMonth(year: d.year, month: d.month) { return (d.year, d.month, d.day + 1) }
        return d.month == 12 ? (d.year + 1, 1, 1) : (d.year, d.month + 1, 1)
    }

    @Test func daysSinceEpochAtKnownDates() {
        #expect(CalendarDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(CalendarDate(year: 1969, month: 12, day: 31)!.daysSinceEpoch == -1)
        #expect(CalendarDate(year: 2000, month: 3, day: 1)!.daysSinceEpoch == 11_017)
        #expect(CalendarDate(year: 1949, month: 1, day: 1)!.daysSinceEpoch == -7670)
        #expect(CalendarDate(year: 0, month: 1, day: 1)!.daysSinceEpoch == -719_528)
        #expect(CalendarDate(year: 9999, month: 12, day: 31)!.daysSinceEpoch == 2_932_896)
        #expect(CalendarDate(year: 2024, month: 2, day: 29, hour: 13, minute: 5, second: 7)!.secondsSinceEpoch
                == 1_709_211_907)
    }

    @Test func everyDayFrom1896To2104FollowsTheCalendarRules() {
        var expected = (year: 1896, month: 1, day: 1)
        let start = CalendarDate(year: 1896, month: 1, day: 1)!.daysSinceEpoch
        for offset in 0..<(209 * 366) {
            let date = CalendarDate(secondsSinceEpoch: (start + offset) * 86_400)
            guard (date.year, date.month, date.day) == expected else {
                Issue.record("day \(start + offset): \(date), expected \(expected)")
                return
            }
            #expect(date.daysSinceEpoch == start + offset)
            expected = Self.nextDay(expected)
        }
    }

    @Test func agreesWithFoundationsGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = CalendarDate(year: 1600, month: 1, day: 1)!.daysSinceEpoch
        while day < CalendarDate(year: 2400, month: 1, day: 1)!.daysSinceEpoch {
            let seconds = day * 86_400 + 45_296  // 12:34:56
            let ours = CalendarDate(secondsSinceEpoch: seconds)
            let theirs = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                                 from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect([ours.year, ours.month, ours.day, ours.hour, ours.minute, ours.second]
                    == [theirs.year, theirs.month, theirs.day, theirs.hour, theirs.minute, theirs.second])
            day += 997
        }
    }

    @Test func invalidFieldsGiveNil() {
        #expect(CalendarDate(year: 1949, month: 13) == nil)
        #expect(CalendarDate(year: 1949, month: 0) == nil)
        #expect(CalendarDate(year: 1949, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil, "1900 is not a leap year")
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil, "2000 is a leap year")
        #expect(CalendarDate(year: 2021, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2021, month: 1, day: 1, hour: 24) == nil)
        #expect(CalendarDate(year: 2021, month: 1, day: 1, minute: 60) == nil)
        #expect(CalendarDate(year: 2021, month: 1, day: 1, second: 60) == nil)
        #expect(CalendarDate(year: 10_000, month: 1) == nil)
        #expect(CalendarDate(year: -1, month: 1) == nil)
    }

    @Test func addingMonthsClampsTheDay() {
        let jan31 = CalendarDate(year: 1960, month: 1, day: 31, hour: 6)!
        #expect(jan31.adding(months: 1, day: 31) == CalendarDate(year: 1960, month: 2, day: 29, hour: 6))
        #expect(jan31.adding(months: 13, day: 31) == CalendarDate(year: 1961, month: 2, day: 28, hour: 6))
        #expect(jan31.adding(months: -1, day: 15) == CalendarDate(year: 1959, month: 12, day: 15, hour: 6))
        #expect(jan31.adding(months: 11, day: 31) == CalendarDate(year: 1960, month: 12, day: 31, hour: 6))
        #expect(jan31.adding(seconds: 86_400 + 3600) == CalendarDate(year: 1960, month: 2, day: 1, hour: 7))
        #expect(jan31.isLastDayOfMonth && !CalendarDate(year: 1960, month: 2, day: 28)!.isLastDayOfMonth)
        #expect(CalendarDate(year: 1960, month: 11)!.quarter == 4 && CalendarDate(year: 1960, month: 3)!.quarter == 1)
        #expect(CalendarDate(year: 1960, month: 1)! < CalendarDate(year: 1960, month: 1, second: 1)!)
        #expect(jan31.description == "1960-01-31 06:00:00")
    }
}
