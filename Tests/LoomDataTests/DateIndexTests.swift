import Testing
import LoomData

@Suite("Date indexes: parsing, frequency and the dates that follow")
struct DateIndexTests {
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    @Test func monthlyLabelsContinueIntoTheNextYear() throws {
        let labels = (1949...1960).flatMap { y in (1...12).map { m in "\(y)-" + (m < 10 ? "0\(m)" : "\(m)") } }
        let index = try DateIndex(parsing: labels)
        #expect(index.count == 144 && index.labels == labels && index.style == .month)
        #expect(index.frequency == .monthly && index.seasonalPeriod == 12)
        #expect(index.future(3) == ["1961-01", "1961-02", "1961-03"])
        #expect(index.future(0) == [])
        #expect(index.future(14)?.last == "1962-02")
    }

    @Test(arguments: [
        // (labels, frequency, the next three)
        (["1958", "1959", "1960"], DateFrequency.yearly, ["1961", "1962", "1963"]),
        (["1960-Q2", "1960-Q3", "1960-Q4"], .quarterly, ["1961-Q1", "1961-Q2", "1961-Q3"]),
        (["1960Q2", "1960Q3", "1960Q4"], .quarterly, ["1961Q1", "1961Q2", "1961Q3"]),
        (["1960-10-01", "1960-11-01", "1960-12-01"], .monthly, ["1961-01-01", "1961-02-01", "1961-03-01"]),
        (["1960-10-31", "1960-11-30", "1960-12-31"], .monthly, ["1961-01-31", "1961-02-28", "1961-03-31"]),
        (["1960-11-30", "1960-12-30", "1961-01-30"], .monthly, ["1961-02-28", "1961-03-30", "1961-04-30"]),
        (["1960-06-30", "1960-09-30", "1960-12-31"], .quarterly, ["1961-03-31", "1961-06-30", "1961-09-30"]),
        (["1960-03", "1960-06", "1960-09"], .quarterly, ["1960-12", "1961-03", "1961-06"]),
        (["2023-02-28", "2024-02-29"], .yearly, ["2025-02-28", "2026-02-28", "2027-02-28"]),
        (["2020-12-17", "2020-12-24", "2020-12-31"], .weekly, ["2021-01-07", "2021-01-14", "2021-01-21"]),
        (["2024-02-27", "2024-02-28", "2024-02-29"], .daily, ["2024-03-01", "2024-03-02", "2024-03-03"]),
        (["2020-12-31 22:00", "2020-12-31 23:00"], .hourly, ["2021-01-01 00:00", "2021-01-01 01:00", "2021-01-01 02:00"]),
        (["2020-12-31T22:00:00", "2020-12-31T23:00:00"], .hourly, ["2021-01-01T00:00:00", "2021-01-01T01:00:00", "2021-01-01T02:00:00"]),
        (["2020-01-15 09:30", "2020-02-15 09:30"], .monthly, ["2020-03-15 09:30", "2020-04-15 09:30", "2020-05-15 09:30"]),
    ])
    func continuesInTheInputStyle(labels: [String], frequency: DateFrequency, next: [String]) throws {
        let index = try DateIndex(parsing: labels)
        #expect(index.frequency == frequency, "\(labels)")
        #expect(index.future(3) == next, "\(labels)")
    }

    @Test func irregularAndEmptyIndexesHaveNoFuture() throws {
        let irregular = try DateIndex(parsing: ["2020-01-01", "2020-01-02", "2020-03-17"])
        #expect(irregular.frequency == .irregular && irregular.seasonalPeriod == 1)
        #expect(irregular.future(2) == nil && irregular.futureDates(2) == nil)
        let empty = try DateIndex(parsing: [])
        #expect(empty.count == 0 && empty.future(1) == nil)
        let single = try DateIndex(parsing: ["1960-01"])
        #expect(single.frequency == .irregular && single.future(1) == nil)
    }

    @Test func parseErrorsNameTheFileLineAndCell() {
        #expect(throws: DateError.notADate(file: "sales.csv", line: 4, column: "date", found: "1949-13")) {
            try DateIndex(parsing: ["1949-11", "1949-12", "1949-13"], fileName: "sales.csv", column: "date", lineNumbers: [2, 3, 4])
        }
        #expect(throws: DateError.notADate(file: "<dates>", line: 2, column: "date", found: "")) {
            try DateIndex(parsing: ["1949-11", ""])
        }
        #expect(throws: DateError.styleChanged(file: "sales.csv", line: 3, column: "when", expected: "YYYY-MM", found: "1949-12-01")) {
            try DateIndex(parsing: ["1949-11", "1949-12-01"], fileName: "sales.csv", column: "when", lineNumbers: [2, 3])
        }
        #expect(DateError.notADate(file: "sales.csv", line: 4, column: "date", found: "1949-13").description
                == "sales.csv:4: column 'date': expected a date (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]), found '1949-13'")
        #expect(DateError.notADate(file: "a.csv", line: 2, column: "date", found: " ").description.hasSuffix("found an empty cell"))
        #expect(DateError.styleChanged(file: "sales.csv", line: 3, column: "when", expected: "YYYY-MM", found: "1949-12-01").description
                == "sales.csv:3: column 'when': expected a date written YYYY-MM like the first row, found '1949-12-01'")
    }

    @Test func yearAndMonthColumns() throws {
        let years = (1949...1960).flatMap { Array(repeating: String($0), count: 12) }
        let index = try DateIndex(years: years, months: Array((0..<12).map { _ in Self.monthNames }.joined()))
        #expect(index.labels.first == "1949-01" && index.labels[13] == "1950-02" && index.labels.last == "1960-12")
        #expect(index.frequency == .monthly && index.style == .month)
        #expect(index.future(2) == ["1961-01", "1961-02"])
        let mixed = try DateIndex(years: ["2000", "2000.0", " 2000 ", "2000", "2000", "2000"],
                                  months: ["1", "02", "March", "apr.", "MAY", "Sept"])
        #expect(mixed.labels == ["2000-01", "2000-02", "2000-03", "2000-04", "2000-05", "2000-09"])
    }

    @Test func yearAndQuarterColumns() throws {
        let index = try DateIndex(years: ["1999", "1999", "2000", "2000"], quarters: ["3", "Q4", "q1", "2"])
        #expect(index.labels == ["1999-Q3", "1999-Q4", "2000-Q1", "2000-Q2"])
        #expect(index.frequency == .quarterly && index.seasonalPeriod == 4)
        #expect(index.future(3) == ["2000-Q3", "2000-Q4", "2001-Q1"])
    }

    @Test func yearAndPeriodErrors() {
        #expect(throws: DateError.notAMonth(file: "f.csv", line: 3, column: "mon", found: "Foo")) {
            try DateIndex(years: ["1949", "1949"], months: ["Jan", "Foo"], fileName: "f.csv", monthColumn: "mon", lineNumbers: [2, 3])
        }
        #expect(throws: DateError.notAMonth(file: "<dates>", line: 1, column: "month", found: "13")) {
            try DateIndex(years: ["1949"], months: ["13"])
        }
        #expect(throws: DateError.notAMonth(file: "<dates>", line: 1, column: "month", found: "Ja")) {
            try DateIndex(years: ["1949"], months: ["Ja"])
        }
        #expect(throws: DateError.notAYear(file: "<dates>", line: 2, column: "year", found: "1949.5")) {
            try DateIndex(years: ["1949", "1949.5"], months: ["1", "2"])
        }
        #expect(throws: DateError.notAYear(file: "<dates>", line: 1, column: "year", found: "NA")) {
            try DateIndex(years: ["NA"], months: ["1"])
        }
        #expect(throws: DateError.notAQuarter(file: "<dates>", line: 1, column: "quarter", found: "Q5")) {
            try DateIndex(years: ["1949"], quarters: ["Q5"])
        }
        #expect(DateError.notAMonth(file: "f.csv", line: 3, column: "mon", found: "Foo").description
                == "f.csv:3: column 'mon': expected a month (1–12, Jan or January), found 'Foo'")
        #expect(DateError.notAYear(file: "f.csv", line: 3, column: "year", found: "x").description
                == "f.csv:3: column 'year': expected a year (a whole number such as 1949), found 'x'")
        #expect(DateError.notAQuarter(file: "f.csv", line: 3, column: "q", found: "5").description
                == "f.csv:3: column 'q': expected a quarter (1–4 or Q1–Q4), found '5'")
    }

    @Test func selectingRowsInfersTheFrequencyAgain() throws {
        let index = try DateIndex(parsing: (1...9).map { "2000-0\($0)" })
        let kept = index.selecting([0, 1, 2, 3, 4, 5, 6, 7])
        #expect(kept.labels == Array(index.labels.prefix(8)) && kept.frequency == .monthly)
        #expect(index.selecting([0, 4, 5]).frequency == .irregular)
        let built = DateIndex(dates: index.dates, style: .day)
        #expect(built.labels.first == "2000-01-01" && built.frequency == .monthly)
    }
}
