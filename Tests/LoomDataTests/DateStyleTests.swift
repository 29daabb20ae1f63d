import Foundation
import Testing
import LoomData

@Suite("Date styles: reading and writing ISO dates")
struct DateStyleTests {
    static let valid: [(String, DateStyle, [Int])] = [
        ("1961", .year, [1961, 1, 1, 0, 0, 0]),
        ("1961-Q3", .quarter(separator: "-"), [1961, 7, 1, 0, 0, 0]),
        ("1961Q4", .quarter(separator: ""), [1961, 10, 1, 0, 0, 0]),
        ("1961 q2", .quarter(separator: " "), [1961, 4, 1, 0, 0, 0]),
        ("1961-02", .month, [1961, 2, 1, 0, 0, 0]),
        ("2024-02-29", .day, [2024, 2, 29, 0, 0, 0]),
        (" 2024-02-29 ", .day, [2024, 2, 29, 0, 0, 0]),
        ("2024-02-29 23:59", .minute(separator: " "), [2024, 2, 29, 23, 59, 0]),
        ("2024-02-29T08:05", .minute(separator: "T"), [2024, 2, 29, 8, 5, 0]),
        ("2024-02-29 08:05:09", .second(separator: " "), [2024, 2, 29, 8, 5, 9]),
        ("2024-02-29T00:00:00", .second(separator: "T"), [2024, 2, 29, 0, 0, 0]),
    ]

    @Test(arguments: 0..<valid.count)
    func parsesAndWritesBack(_ i: Int) throws {
        let (text, style, fields) = Self.valid[i]
        let parsed = try #require(DateStyle.parse(text), "\(text)")
        #expect(parsed.style == style, "\(text)")
        let d = parsed.date
        #expect([d.year, d.month, d.day, d.hour, d.minute, d.second] == fields, "\(text)")
        let written = style.format(d)
        #expect(written == text.trimmingCharacters(in: .whitespaces) || (style == .quarter(separator: " ") && written == "1961 Q2"),
                "\(text) written back as \(written)")
    }

    @Test(arguments: ["", "abc", "196", "19610", "1961-1", "1961-13", "1961-00", "1961-02-29", "1961-04-31",
                      "1961/01/01", "1961-01-01 24:00", "1961-01-01 12:60", "1961-01-01 12:00:60", "1961-Q5",
                      "1961-Q0", "1961--Q1", "1961-01-1", "1961-01-01 1:00", "1961-01-01X12:00", "12.5", "-1961"])
    func rejectsWhatIsNotADate(_ text: String) {
        #expect(DateStyle.parse(text) == nil, "\(text) was read as \(String(describing: DateStyle.parse(text)))")
    }

    @Test func patternsAndPadding() {
        #expect(DateStyle.month.pattern == "YYYY-MM")
        #expect(DateStyle.second(separator: "T").pattern == "YYYY-MM-DDTHH:MM:SS")
        #expect(DateStyle.quarter(separator: "-").pattern == "YYYY-Qn")
        let early = CalendarDate(year: 7, month: 3, day: 4, hour: 5, minute: 6, second: 7)!
        #expect(DateStyle.second(separator: " ").format(early) == "0007-03-04 05:06:07")
        #expect(DateStyle.year.format(early) == "0007")
        #expect(DateStyle.quarter(separator: "").format(early) == "0007Q1")
    }
}
