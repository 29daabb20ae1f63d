import Foundation
import LoomData
import LoomTensor
import Testing

@Suite("CSV tables and time series")
struct CSVTableTests {
    static let flights = """
        year,month,passengers
        1949,Jan,112
        1949,Feb,118
        1949,Mar,132
        1949,Apr,129

        """

    @Test func headerDetection() throws {
        let withHeader = try CSVTable(string: Self.flights, fileName: "flights.csv")
        #expect(withHeader.header == ["year", "month", "passengers"])
        #expect(withHeader.rows.count == 4 && withHeader.lineNumbers == [2, 3, 4, 5])
        let numeric = try CSVTable(string: "1.5,2\n3,4\n")
        #expect(numeric.header == nil && numeric.rows == [["1.5", "2"], ["3", "4"]])
        #expect(numeric.columnNames == ["0", "1"])
        let dated = try CSVTable(string: "date,value\n2020-01-01,3\n2020-01-02,NA\n")
        #expect(dated.header == ["date", "value"])
        let headerOnly = try CSVTable(string: "date,value\n")
        #expect(headerOnly.header == ["date", "value"] && headerOnly.rows.isEmpty)
        let forced = try CSVTable(string: "a,b\nc,d\n", header: .present)
        #expect(forced.header == ["a", "b"] && forced.rows == [["c", "d"]])
        let absent = try CSVTable(string: "x,y\n1,2\n", header: .absent)
        #expect(absent.header == nil && absent.rows.count == 2)
        #expect(try CSVTable(string: " a , b \n1,2\n").header == ["a", "b"], "names are trimmed")
    }

    @Test func raggedRowsAreRejectedWithTheLine() {
        let text = "a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n"
        #expect(throws: CSVError.raggedRow(file: "data.csv", line: 3, expected: 3, found: 4)) {
            try CSVTable(string: text, fileName: "data.csv")
        }
        #expect(CSVError.raggedRow(file: "data.csv", line: 3, expected: 3, found: 4).description
            == "data.csv:3: expected 3 fields like the first row, found 4")
        #expect(throws: CSVError.raggedRow(file: "data.csv", line: 4, expected: 3, found: 2)) {
            try CSVTable(string: "a,b,c\r\n1,2,3\r\n\r\n4,5\r\n", fileName: "data.csv")
        }
    }

    @Test func selectingColumns() throws {
        let table = try CSVTable(string: Self.flights, fileName: "flights.csv")
        #expect(try table.strings("month") == ["Jan", "Feb", "Mar", "Apr"])
        #expect(try table.strings(0) == ["1949", "1949", "1949", "1949"])
        #expect(try table.columnIndex("passengers") == 2)
        #expect(throws: CSVError.unknownColumn(file: "flights.csv", name: "Passengers", available: ["year", "month", "passengers"])) {
            try table.columnIndex("Passengers")
        }
        #expect(CSVError.unknownColumn(file: "flights.csv", name: "Passengers", available: ["year", "month", "passengers"]).description
            == "flights.csv: no column named 'Passengers'; the columns are 'year', 'month', 'passengers'; did you mean 'passengers'?")
        #expect(throws: CSVError.columnOutOfRange(file: "flights.csv", index: 3, columnCount: 3)) { try table.columnIndex(3) }
        #expect(throws: CSVError.columnOutOfRange(file: "flights.csv", index: -1, columnCount: 3)) { try table.columnIndex(-1) }
        let bare = try CSVTable(string: "1,2\n", fileName: "bare.csv")
        #expect(throws: CSVError.noHeader(file: "bare.csv", name: "x")) { try bare.columnIndex("x") }
        let twice = try CSVTable(string: "v,v\n1,2\n", fileName: "twice.csv")
        #expect(throws: CSVError.ambiguousColumn(file: "twice.csv", name: "v")) { try twice.columnIndex("v") }
    }

    @Test func timeSeriesWithALabelColumn() throws {
        let table = try CSVTable(string: Self.flights, fileName: "flights.csv")
        let series = try TimeSeries(table: table, columns: ["passengers"], label: "month")
        #expect(series.values == [[112], [118], [132], [129]])
        #expect(series.column(0) == [112, 118, 132, 129] && series.column(named: "passengers") == [112, 118, 132, 129])
        #expect(series.labels == ["Jan", "Feb", "Mar", "Apr"] && series.columnNames == ["passengers"])
        #expect(series.tensor().shape == [4, 1] && series.tensor().scalars == [112, 118, 132, 129])
        // Without a column list every column but the label is read.
        let both = try TimeSeries(table: CSVTable(string: "t,x,y\na,1,2\nb,3,4e1\n"), label: "t")
        #expect(both.values == [[1, 2], [3, 40]] && both.columnNames == ["x", "y"])
    }

    /// The message names the file, the line, the column and the cell.
    @Test func nonNumericCellsAreRejectedWithTheirPlace() throws {
        var text = "year,month,passengers\n"
        for (i, v) in (0..<14).map({ "\(100 + $0)" }).enumerated() { text += "1949,M\(i),\(i == 12 ? "abc" : v)\n" }
        let table = try CSVTable(string: text, fileName: "flights.csv")
        do {
            _ = try TimeSeries(table: table, columns: ["passengers"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "flights.csv:14: column 'passengers': expected a number, found 'abc'")
        }
        #expect(throws: CSVError.notANumber(file: "f.csv", line: 3, column: "'x'", found: "'inf'")) {
            try TimeSeries(table: CSVTable(string: "x\n1\ninf\n", fileName: "f.csv"))
        }
        #expect(throws: CSVError.notANumber(file: "f.csv", line: 3, column: "'x'", found: "'0x10'")) {
            try TimeSeries(table: CSVTable(string: "x\n1\n0x10\n2\n", fileName: "f.csv"))
        }
        #expect(throws: CSVError.notANumber(file: "f.csv", line: 2, column: "0", found: "'1,5'")) {
            try TimeSeries(table: CSVTable(string: "1\n\"1,5\"\n", fileName: "f.csv"))
        }
        #expect(throws: CSVError.notANumber(file: "f.csv", line: 3, column: "'x'", found: "'1e999'")) {
            try TimeSeries(table: CSVTable(string: "x\n1\n1e999\n", fileName: "f.csv"))
        }
        #expect(throws: CSVError.notANumber(file: "f.csv", line: 2, column: "'x'", found: "'1\\n2'")) {
            try TimeSeries(table: CSVTable(string: "x,y\n\"1\n2\",3\n", fileName: "f.csv"))
        }
    }

    @Test func missingValuePolicies() throws {
        let text = "day,v,w\nmon,1,10\ntue,,20\nwed,NA,\nthu,4,40\nfri,5,NaN\n"
        let table = try CSVTable(string: text, fileName: "gaps.csv")
        #expect(throws: CSVError.missingValue(file: "gaps.csv", line: 3, column: "'v'", found: "an empty cell")) {
            try TimeSeries(table: table, label: "day")
        }
        #expect(CSVError.missingValue(file: "gaps.csv", line: 3, column: "'v'", found: "an empty cell").description
            == "gaps.csv:3: column 'v': expected a number, found an empty cell (a missing value); use the missing-value policy .drop or .interpolate to accept gaps")
        let dropped = try TimeSeries(table: table, label: "day", missing: .drop)
        #expect(dropped.values == [[1, 10], [4, 40]] && dropped.labels == ["mon", "thu"] && dropped.lineNumbers == [2, 5])
        let filled = try TimeSeries(table: table, label: "day", missing: .interpolate)
        #expect(filled.column(0) == [1, 2, 3, 4, 5])
        #expect(filled.column(1) == [10, 20, 30, 40, 40], "a trailing gap takes the last value")
        let leading = try TimeSeries(table: CSVTable(string: "v\nNA\n\"\"\n3\n5\n"), missing: .interpolate)
        #expect(leading.column(0) == [3, 3, 3, 5], "a leading gap takes the first value")
        #expect(throws: CSVError.noValues(file: "e.csv", column: "'v'")) {
            try TimeSeries(table: CSVTable(string: "v,w\nNA,1\nNA,2\n", fileName: "e.csv"), missing: .interpolate)
        }
        #expect(throws: CSVError.noDataRows(file: "e.csv")) {
            try TimeSeries(table: CSVTable(string: "v\nNA\nNA\n", fileName: "e.csv", header: .present), missing: .drop)
        }
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        #expect(throws: CSVError.empty(file: "e.csv")) { try CSVTable(string: "\n\r\n  \n", fileName: "e.csv") }
        #expect(throws: CSVError.noDataRows(file: "h.csv")) {
            try TimeSeries(table: CSVTable(string: "a,b\n", fileName: "h.csv"))
        }
        #expect(throws: CSVError.noValueColumns(file: "l.csv")) {
            try TimeSeries(table: CSVTable(string: "date\n2020\n", fileName: "l.csv", header: .present), label: "date")
        }
    }

    @Test func filesOnDisk() throws {
        let url = try temporaryFile("series.csv", Array("\u{FEFF}t,v\r\n1,0.5\r\n2,1.5\r\n".utf8))
        defer { cleanUp(url) }
        let series = try TimeSeries(contentsOf: url, columns: ["v"], label: "t")
        #expect(series.values == [[0.5], [1.5]] && series.labels == ["1", "2"] && series.fileName == "series.csv")
        let missing = url.deletingLastPathComponent().appendingPathComponent("nope.csv")
        #expect(throws: CSVError.unreadable(file: "nope.csv", reason: "no such file")) { try CSVTable(contentsOf: missing) }
        #expect(CSVError.unreadable(file: "nope.csv", reason: "no such file").description == "nope.csv: cannot read the file: no such file")
    }

    @Test(.enabled(if: SharedData.available("flights.csv"), "needs ../shared/data/flights.csv"))
    func realAirlinePassengers() throws {
        let series = try TimeSeries(contentsOf: SharedData.url("flights.csv")!, columns: ["passengers"], label: "month")
        #expect(series.count == 144)
        #expect(series.column(0).first == 112 && series.column(0).last == 432)
        #expect(series.labels?.prefix(3) == ["Jan", "Feb", "Mar"])
    }
}
