import Foundation

/// Dates from a year column and a month (or quarter) column, as in the airline passengers file
/// (`year,month,passengers` / `1949,Jan,112`) or monthly sunspots (`1749,1,58.0`).
extension DateIndex {
    /// The months named by a year and a month per row, labelled `YYYY-MM`.
    ///
    /// Years are whole numbers 0…9999 (`1949`, also `1949.0`); months are numbers 1…12 (`1`,
    /// `01`) or English names and abbreviations in any case (`Jan`, `January`, `Sept`, `jan.`).
    ///
    /// - Parameters:
    ///   - fileName, yearColumn, monthColumn: where the cells come from, for messages.
    ///   - lineNumbers: the line of each row (its position counted from 1 when nil).
    /// - Throws: ``DateError/notAYear(file:line:column:found:)`` or
    ///   ``DateError/notAMonth(file:line:column:found:)`` naming the first bad cell.
    public init(years: [String], months: [String], fileName: String = "<dates>", yearColumn: String = "year",
                monthColumn: String = "month", lineNumbers: [Int]? = nil) throws(DateError) {
        let dates = try Self.dates(years: years, periods: months, lineNumbers: lineNumbers, fileName: fileName,
                                   yearColumn: yearColumn) { year, i, line throws(DateError) in
            guard let month = DateIndex.month(of: months[i]) else {
                throw .notAMonth(file: fileName, line: line, column: monthColumn, found: months[i])
            }
            return CalendarDate(year: year, month: month)!
        }
        self.init(dates: dates, style: .month)
    }

    /// The quarters named by a year and a quarter per row, labelled `YYYY-Qn`.
    ///
    /// Years as in ``init(years:months:fileName:yearColumn:monthColumn:lineNumbers:)``; quarters are
    /// `1`…`4` or `Q1`…`Q4` (any case). Each quarter is dated by its first day.
    ///
    /// - Throws: ``DateError/notAYear(file:line:column:found:)`` or
    ///   ``DateError/notAQuarter(file:line:column:found:)`` naming the first bad cell.
    public init(years: [String], quarters: [String], fileName: String = "<dates>", yearColumn: String = "year",
                quarterColumn: String = "quarter", lineNumbers: [Int]? = nil) throws(DateError) {
        let dates = try Self.dates(years: years, periods: quarters, lineNumbers: lineNumbers, fileName: fileName,
                                   yearColumn: yearColumn) { year, i, line throws(DateError) in
            guard let quarter = DateIndex.quarter(of: quarters[i]) else {
                throw .notAQuarter(file: fileName, line: line, column: quarterColumn, found: quarters[i])
            }
            return CalendarDate(year: year, month: 3 * quarter - 2)!
        }
        self.init(dates: dates, style: .quarter(separator: "-"))
    }

    /// One date per row from `date(year, row, line)` once the row's year is read, checking the
    /// columns' and line numbers' counts.
    private static func dates(years: [String], periods: [String], lineNumbers: [Int]?, fileName: String, yearColumn: String,
                              _ date: (Int, Int, Int) throws(DateError) -> CalendarDate) throws(DateError) -> [CalendarDate] {
        precondition(years.count == periods.count, "DateIndex: \(years.count) years but \(periods.count) months or quarters")
        precondition(lineNumbers == nil || lineNumbers?.count == years.count,
                     "DateIndex: \(years.count) rows but \(lineNumbers?.count ?? 0) line numbers")
        var dates: [CalendarDate] = []
        dates.reserveCapacity(years.count)
        for i in years.indices {
            let line = lineNumbers?[i] ?? i + 1
            guard let year = DateIndex.year(of: years[i]) else {
                throw .notAYear(file: fileName, line: line, column: yearColumn, found: years[i])
            }
            dates.append(try date(year, i, line))
        }
        return dates
    }

    // MARK: - Cells

    /// English month names, January first; a month is also known by its first three letters.
    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]

    /// The year in a cell: a whole number 0…9999.
    static func year(of cell: String) -> Int? {
        wholeNumber(cell).flatMap { (0...9999).contains($0) ? $0 : nil }
    }

    /// The month (1…12) in a cell: a number, or a name or abbreviation (`Jan`, `january`, `Sept`, `Jan.`).
    static func month(of cell: String) -> Int? {
        if let number = wholeNumber(cell) { return (1...12).contains(number) ? number : nil }
        var name = cell.trimmingCharacters(in: .whitespaces).lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name == "sept" { return 9 }
        guard name.count >= 3, let index = monthNames.firstIndex(where: { $0 == name || $0.prefix(3) == name }) else {
            return nil
        }
        return index + 1
    }

    /// The quarter (1…4) in a cell: `1`…`4` or `Q1`…`Q4`.
    static func quarter(of cell: String) -> Int? {
        var text = Substring(cell.trimmingCharacters(in: .whitespaces))
        if text.first == "Q" || text.first == "q" { text = text.dropFirst() }
        return wholeNumber(String(text)).flatMap { (1...4).contains($0) ? $0 : nil }
    }

    /// A cell holding a whole number (`1949`, `01`, `1949.0`), or nil.
    private static func wholeNumber(_ cell: String) -> Int? {
        guard let value = NumericCell.parse(cell), value == value.rounded(), abs(value) < 1e9 else { return nil }
        return Int(value)
    }
}
