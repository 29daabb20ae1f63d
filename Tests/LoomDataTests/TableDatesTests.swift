import Testing
import LoomData

@Suite("Finding the dates of a CSV table")
struct TableDatesTests {
    static func table(_ text: String) throws -> CSVTable { try CSVTable(string: text, fileName: "t.csv") }

    @Test func yearAndMonthNames() throws {
        let t = try Self.table("year,month,passengers\n1949,Jan,112\n1949,Feb,118\n1949,Mar,132\n")
        let found = try #require(t.detectDates())
        #expect(found.columns == [0, 1])
        #expect(found.index.labels == ["1949-01", "1949-02", "1949-03"] && found.index.frequency == .monthly)
        #expect(t.detectDates(excluding: [1]) != nil && t.detectDates(excluding: [1])?.columns == [0], "the year alone")
    }

    @Test func yearAndMonthNumbersAndQuarters() throws {
        let sunspots = try Self.table("Year,Month,sunspots\n1749,11,58.0\n1749,12,62.6\n1750,1,70.0\n")
        #expect(sunspots.detectDates()?.index.labels == ["1749-11", "1749-12", "1750-01"])
        let quarterly = try Self.table("gdp,year,qtr\n1.5,2000,Q4\n1.6,2001,Q1\n")
        #expect(quarterly.detectDates()?.columns == [1, 2])
        #expect(quarterly.detectDates()?.index.labels == ["2000-Q4", "2001-Q1"])
    }

    @Test func namedDateColumns() throws {
        let t = try Self.table("id,ds,y\n1,2020-01-01,3\n2,2020-01-02,4\n3,2020-01-03,5\n")
        let found = try #require(t.detectDates())
        #expect(found.columns == [1] && found.index.frequency == .daily)
        // The month column holds full dates: the year column alone would repeat, so the regular one wins.
        let both = try Self.table("year,month,v\n1949,1949-01,1\n1949,1949-02,2\n1949,1949-03,3\n")
        #expect(both.detectDates()?.columns == [1])
        #expect(try Self.table("Order Date,v\n2020-01,1\n2020-02,2\n").detectDates()?.columns == [0])
        #expect(CSVTable.isDateColumnName(" Timestamp ") && CSVTable.isDateColumnName("order_date"))
        #expect(!CSVTable.isDateColumnName("passengers"))
    }

    @Test func unnamedTextColumnsOfDates() throws {
        let t = try Self.table("v,when\n1,2020-01\n2,2020-02\n3,2020-03\n")
        #expect(t.detectDates()?.columns == [1])
        let headerless = try Self.table("2020-01-01,3\n2020-01-08,4\n2020-01-15,5\n")
        #expect(headerless.header == nil)
        #expect(headerless.detectDates()?.index.frequency == .weekly)
    }

    @Test func noDates() throws {
        #expect(try Self.table("a,b\n1,2\n3,4\n").detectDates() == nil, "numbers are not years without a name")
        #expect(try Self.table("when,value\n2020-1,1\n2020-13,2\n").detectDates() == nil)
        #expect(try Self.table("month,value\nJan,1\nFeb,2\n").detectDates() == nil, "months without years")
        #expect(try Self.table("year,month,v\n1949,Jan,1\n1949,Foo,2\n").detectDates()?.columns == [0],
                "a bad month leaves the (irregular) year column")
        #expect(try Self.table("date,v\n").detectDates() == nil)
    }

    @Test func explicitColumns() throws {
        let t = try Self.table("year,month,passengers\n1949,Jan,112\n1949,Feb,118\n")
        #expect(try t.dates(column: 1).columns == [0, 1], "a month column is read with the year column")
        #expect(try t.dates(column: 0).index.labels == ["1949", "1949"])
        #expect(throws: DateError.notADate(file: "t.csv", line: 2, column: "passengers", found: "112")) { try t.dates(column: 2) }
        let lone = try Self.table("month,v\nJan,1\n")
        #expect(throws: DateError.notADate(file: "t.csv", line: 2, column: "month", found: "Jan")) { try lone.dates(column: 0) }
    }

    @Test func numericColumns() throws {
        let t = try Self.table("a,b,c,d\n1,x,NA,1\n2,y,NA,oops\n3,z,4,\n")
        #expect((0..<4).map(t.isNumericColumn) == [true, false, true, true])
        #expect(try !Self.table("a,b\n1,x\n2,y\ny,z\n").isNumericColumn(1))
        #expect(try !Self.table("a\nNA\n").isNumericColumn(0), "no numbers at all")
    }
}
