import Foundation

/// The dates of a table's rows and the columns they were read from.
public struct TableDates: Hashable, Sendable {
    /// The columns read: one column of dates, or a year column and a month (or quarter) column.
    public let columns: [Int]
    /// The dates, one per row of the table.
    public let index: DateIndex

    public init(columns: [Int], index: DateIndex) {
        self.columns = columns
        self.index = index
    }
}

extension CSVTable {
    /// Header names (compared trimmed and lowercased) of columns that hold dates or parts of
    /// dates; a name containing `date` counts too.
    public static let dateColumnNames: Set<String> = [
        "date", "datetime", "time", "timestamp", "ds", "period", "year", "quarter", "qtr", "month",
        "week", "day", "hour",
    ]

    /// Whether `name` is a date column's name (see ``dateColumnNames``): `Date`, `order_date`, `month`….
    public static func isDateColumnName(_ name: String) -> Bool {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        return dateColumnNames.contains(key) || key.contains("date")
    }

    /// The dates in column `index`: its cells parsed by ``DateIndex/init(parsing:fileName:column:lineNumbers:)``,
    /// or, when they are not dates and the column is named `month`, `quarter` or `qtr` in a table
    /// that also has a `year` column, the two columns together.
    ///
    /// - Throws: the ``DateError`` of parsing the column's own cells.
    public func dates(column index: Int) throws(DateError) -> TableDates {
        do throws(DateError) {
            return TableDates(columns: [index], index: try parsedDates(index))
        } catch {
            if let year = yearColumn(pairedWith: index),
               let paired = try? dates(yearColumn: year, periodColumn: index) { return paired }
            throw error
        }
    }

    /// The dates of a year column and a month column (a quarter column when it is named
    /// `quarter` or `qtr`); see ``DateIndex/init(years:months:fileName:yearColumn:monthColumn:lineNumbers:)``.
    ///
    /// - Precondition: both columns are in `0..<columnCount`.
    public func dates(yearColumn: Int, periodColumn: Int) throws(DateError) -> TableDates {
        let years = rows.map { $0[yearColumn] }, periods = rows.map { $0[periodColumn] }
        let index: DateIndex
        if CSVTable.quarterNames.contains(normalizedName(periodColumn)) {
            index = try DateIndex(years: years, quarters: periods, fileName: fileName, yearColumn: columnNames[yearColumn],
                                  quarterColumn: columnNames[periodColumn], lineNumbers: lineNumbers)
        } else {
            index = try DateIndex(years: years, months: periods, fileName: fileName, yearColumn: columnNames[yearColumn],
                                  monthColumn: columnNames[periodColumn], lineNumbers: lineNumbers)
        }
        return TableDates(columns: [yearColumn, periodColumn], index: index)
    }

    /// Finds the dates of the rows without being told where they are, or nil. In order:
    /// 1. a `year` column with a `month` (or `quarter`) column whose cells are months (quarters);
    /// 2. a column with a date name (``isDateColumnName(_:)``) whose cells are dates;
    /// 3. a column that is not numeric (``isNumericColumn(_:)``) whose cells are dates.
    ///
    /// Within steps 2 and 3 the first column whose dates have a regular frequency wins, otherwise
    /// the first whose cells are all dates. Columns in `excluded` (e.g. the value column) are never used.
    public func detectDates(excluding excluded: Set<Int> = []) -> TableDates? {
        guard !rows.isEmpty else { return nil }
        let candidates = (0..<columnCount).filter { !excluded.contains($0) }
        if header != nil {
            for period in candidates {
                if let year = yearColumn(pairedWith: period), !excluded.contains(year),
                   let paired = try? dates(yearColumn: year, periodColumn: period) { return paired }
            }
            if let named = firstDates(among: candidates.filter { CSVTable.isDateColumnName(columnNames[$0]) }) {
                return named
            }
        }
        return firstDates(among: candidates.filter { !isNumericColumn($0) })
    }

    // MARK: - Helpers

    private static let monthNames: Set<String> = ["month"]
    private static let quarterNames: Set<String> = ["quarter", "qtr"]

    private func normalizedName(_ index: Int) -> String {
        columnNames[index].trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The `year` column to read with the month or quarter column `index`, when there is one.
    private func yearColumn(pairedWith index: Int) -> Int? {
        guard header != nil else { return nil }
        let name = normalizedName(index)
        guard CSVTable.monthNames.contains(name) || CSVTable.quarterNames.contains(name) else { return nil }
        return (0..<columnCount).first { $0 != index && normalizedName($0) == "year" }
    }

    private func parsedDates(_ index: Int) throws(DateError) -> DateIndex {
        try DateIndex(parsing: rows.map { $0[index] }, fileName: fileName, column: columnNames[index], lineNumbers: lineNumbers)
    }

    /// The first of `columns` whose dates are regular, else the first whose cells are all dates.
    private func firstDates(among columns: [Int]) -> TableDates? {
        var firstIrregular: TableDates?
        for c in columns {
            guard let index = try? parsedDates(c) else { continue }
            if index.frequency != .irregular { return TableDates(columns: [c], index: index) }
            if firstIrregular == nil { firstIrregular = TableDates(columns: [c], index: index) }
        }
        return firstIrregular
    }
}
