import Foundation
import Loom
import Testing
@testable import LoomCLI

@Suite("Series sources: value column, dates and season")
struct SeriesSourceTests {
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `year,month,passengers` rows in the airline file's layout, from January 1949.
    static func flights(months: Int) -> String {
        "year,month,passengers\n" + (0..<months).map { "\(1949 + $0 / 12),\(monthNames[$0 % 12]),\(100 + $0)\n" }.joined()
    }

    static func source(_ csv: String, column: String? = nil, dateColumn: String? = nil,
                       missing: MissingValuePolicy = .error) throws -> SeriesSource {
        try SeriesSource.csv(table: CSVTable(string: csv, fileName: "t.csv"), column: column, dateColumn: dateColumn, missing: missing)
    }

    /// The message of the error `body` throws, or nil.
    static func message(_ body: () throws -> SeriesSource) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    @Test func airlineHasMonthlyDates() throws {
        let airline = try SeriesSource.airline()
        #expect(airline.values.count == 144 && airline.values.first == 112)
        #expect(airline.labels?.first == "1949-01" && airline.labels?[13] == "1950-02" && airline.labels?.last == "1960-12")
        #expect(airline.dates?.frequency == .monthly)
        #expect(airline.seasonalPeriod == 12)
        #expect(airline.futureLabels(3) == ["1961-01", "1961-02", "1961-03"])
    }

    @Test func flightsWithoutColumnPicksThePassengers() throws {
        // Issue 15: this failed with "column 'month': expected a number, found 'Jan'".
        let s = try Self.source(Self.flights(months: 30))
        #expect(s.name == "passengers" && s.values.count == 30 && s.values.last == 129)
        #expect(s.labels?.first == "1949-01" && s.labels?.last == "1951-06")
        #expect(s.seasonalPeriod == 12 && s.futureLabels(1) == ["1951-07"])
    }

    @Test func yearAndMonthNumbersAreDatesNotValues() throws {
        let s = try Self.source("year,month,sunspots\n1749,1,58.0\n1749,2,62.6\n1749,3,70.0\n")
        #expect(s.name == "sunspots" && s.values == [58.0, 62.6, 70.0])
        #expect(s.labels == ["1749-01", "1749-02", "1749-03"] && s.seasonalPeriod == 12)
    }

    @Test func dateColumnsAreFoundAndSetAside() throws {
        let daily = try Self.source("ds,y\n2024-02-27,1\n2024-02-28,2\n2024-02-29,3\n")
        #expect(daily.name == "y" && daily.seasonalPeriod == 7 && daily.futureLabels(2) == ["2024-03-01", "2024-03-02"])
        let quarterly = try Self.source("gdp,when\n1.5,2000-Q3\n1.6,2000-Q4\n1.7,2001-Q1\n")
        #expect(quarterly.name == "gdp" && quarterly.seasonalPeriod == 4 && quarterly.futureLabels(1) == ["2001-Q2"])
        let yearly = try Self.source("year,population\n1990,5\n1991,6\n1992,7\n")
        #expect(yearly.name == "population" && yearly.seasonalPeriod == 1 && yearly.futureLabels(2) == ["1993", "1994"])
        let irregular = try Self.source("date,v\n2020-01-01,1\n2020-01-02,2\n2020-05-09,3\n")
        #expect(irregular.labels?.count == 3 && irregular.dates?.frequency == .irregular)
        #expect(irregular.seasonalPeriod == nil && irregular.futureLabels(1) == nil)
    }

    @Test func noDatesNoLabels() throws {
        let plain = try Self.source("value\n1\n2\n3\n")
        #expect(plain.values == [1, 2, 3] && plain.labels == nil && plain.dates == nil)
        #expect(plain.seasonalPeriod == nil && plain.futureLabels(3) == nil)
        // The bad-input corpus's good.csv: 2020-13 is no date, so 'when' is text and left out.
        let when = try Self.source("when,value\n2020-12,1\n2020-13,2\n2020-14,3\n")
        #expect(when.name == "value" && when.labels == nil)
        let headerless = try Self.source("5\n6\n7\n")
        #expect(headerless.values == [5, 6, 7])
    }

    @Test func valueColumnChoiceErrors() throws {
        let several = Self.message { try Self.source("date,a,b,c\n2020-01,1,2,x\n2020-02,3,4,y\n") }
        #expect(several == "t.csv has 2 numeric columns ('a', 'b'); choose one with --column")
        let headerless = Self.message { try Self.source("1,2\n3,4\n") }
        #expect(headerless == "t.csv has 2 numeric columns (column 0, column 1); choose one with --column")
        let none = Self.message { try Self.source("year,month,note\n1949,Jan,a\n1949,Feb,b\n") }
        #expect(none == "t.csv has no column of numbers to forecast: 'year' (dates), 'month' (dates), 'note' (text); name the value column with --column")
        let namedLikeADate = Self.message { try Self.source("day,note\n1,a\n2,b\n") }
        #expect(namedLikeADate?.contains("'day' (numbers, named like a date)") == true, "\(namedLikeADate ?? "no error")")
        #expect(Self.message { try Self.source("v\n") } == "t.csv: the file has no data rows")
        // An explicit column is taken as before, even among several.
        let chosen = try Self.source("date,a,b\n2020-01,1,2\n2020-02,3,4\n", column: "b")
        #expect(chosen.values == [2, 4] && chosen.labels == ["2020-01", "2020-02"])
        #expect(try Self.source("day,note\n1,a\n2,b\n", column: "day").values == [1, 2])
    }

    @Test func explicitDateColumn() throws {
        let labels = try Self.source("when,value\nA,1\nB,2\n", dateColumn: "when")
        #expect(labels.labels == ["A", "B"] && labels.dates == nil && labels.seasonalPeriod == nil)
        let months = try Self.source(Self.flights(months: 3), column: "passengers", dateColumn: "month")
        #expect(months.labels == ["1949-01", "1949-02", "1949-03"] && months.seasonalPeriod == 12)
        let years = try Self.source(Self.flights(months: 3), dateColumn: "year")
        #expect(years.labels == ["1949", "1949", "1949"] && years.dates?.frequency == .irregular)
        let bad = Self.message { try Self.source("date,value\n2020-01,1\n2020-02,2\n2020-14,3\n", dateColumn: "date") }
        #expect(bad?.hasPrefix("t.csv:4: column 'date': expected a date") == true, "\(bad ?? "no error")")
        let styles = Self.message { try Self.source("date,value\n2020-01,1\n2020-02-01,2\n", dateColumn: "0") }
        #expect(styles == "t.csv:3: column 'date': expected a date written YYYY-MM like the first row, found '2020-02-01'")
        #expect(Self.message { try Self.source("date,value\n2020-01,1\n", dateColumn: "day") }?.contains("no column named 'day'") == true)
    }

    @Test func droppedRowsTakeTheirDatesAlong() throws {
        let csv = "date,v\n2020-01,1\n2020-02,NA\n2020-03,3\n2020-04,4\n"
        let dropped = try Self.source(csv, missing: .drop)
        #expect(dropped.values == [1, 3, 4] && dropped.labels == ["2020-01", "2020-03", "2020-04"])
        #expect(dropped.dates?.count == 3)
        let plain = try Self.source("when,v\nA,1\nB,NA\nC,3\n", dateColumn: "when", missing: .drop)
        #expect(plain.labels == ["A", "C"])
        let interpolated = try Self.source(csv, missing: .interpolate)
        #expect(interpolated.values == [1, 2, 3, 4] && interpolated.seasonalPeriod == 12)
    }

    @Test func forecastOfAFlightsFileWithoutColumnRuns() throws {
        let csv = temporaryPath("flights.csv")
        defer { try? FileManager.default.removeItem(atPath: csv) }
        try Self.flights(months: 48).write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try runLoom(["forecast", "--csv", csv, "--epochs", "1", "--hidden", "4", "--json", "--quiet"])
        #expect(r.status == 0, "stderr: \(r.err)")
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        #expect(json?["series"] as? String == "passengers")
        #expect((json?["labels"] as? [String])?.first == "1952-01")
        let two = temporaryPath("two.csv")
        defer { try? FileManager.default.removeItem(atPath: two) }
        try "a,b\n1,2\n3,4\n".write(toFile: two, atomically: true, encoding: .utf8)
        let several = try runLoom(["forecast", "--csv", two, "--epochs", "1"])
        #expect(several.status == 65 && several.err.contains("has 2 numeric columns ('a', 'b'); choose one with --column"), "\(several.err)")
    }
}
