import ArgumentParser
import Foundation
import Loom

/// Where a forecasting command gets its series: the bundled airline passengers data, or a CSV
/// column chosen by the user — with the dates of its steps when the file has them.
///
/// In a CSV file the dates come from `--date-column`, or are found without it (a `year` column
/// with a `month` or `quarter` column, a column named like `date`, `ds`, `timestamp`, or a text
/// column of ISO dates; see ``CSVTable/detectDates(excluding:)``). The value column is
/// `--column`, or else the one numeric column left once the date columns are set aside.
struct SeriesSource {
    /// The series' name (the value column's header) for titles and reports.
    let name: String
    /// The values, one per time step.
    let values: [Double]
    /// One label per value for tables and plots: the dates as written, or the cells of a
    /// `--date-column` that does not hold dates; nil when there are none.
    let labels: [String]?
    /// The dates of the values, when the labels are dates.
    let dates: DateIndex?

    init(name: String, values: [Double], labels: [String]?, dates: DateIndex? = nil) {
        precondition(labels == nil || labels?.count == values.count,
                     "SeriesSource: \(values.count) values but \(labels?.count ?? 0) labels")
        precondition(dates == nil || dates?.count == values.count,
                     "SeriesSource: \(values.count) values but \(dates?.count ?? 0) dates")
        self.name = name
        self.values = values
        self.labels = labels
        self.dates = dates
    }

    /// A series labelled by its dates.
    init(name: String, values: [Double], dates: DateIndex) {
        self.init(name: name, values: values, labels: dates.labels, dates: dates)
    }

    /// Steps per season implied by the dates (12 for monthly data, 4 quarterly, 52 weekly, 7
    /// daily, 24 hourly, 1 yearly); nil when there are no dates or they are irregular.
    var seasonalPeriod: Int? {
        guard let dates, dates.frequency != .irregular else { return nil }
        return dates.seasonalPeriod
    }

    /// The labels of the `count` steps after the last value (`1961-01`, `1961-02`… after
    /// `1960-12`); nil when there are no dates or they are irregular.
    func futureLabels(_ count: Int) -> [String]? {
        dates?.future(count)
    }

    // MARK: - Sources

    /// Airline passengers 1949–1960 (Box & Jenkins), bundled as a resource; monthly dates
    /// `1949-01`…`1960-12` from its year and month-name columns.
    static func airline() throws -> SeriesSource {
        guard let url = Bundle.module.url(forResource: "flights", withExtension: "csv", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "Resources/flights", withExtension: "csv") else {
            throw CLIError.noInput("the bundled airline passengers data is missing from this build")
        }
        let table = try CSVTable(contentsOf: url)
        let series = try TimeSeries(table: table, columns: ["passengers"])
        let year = try table.columnIndex("year"), month = try table.columnIndex("month")
        let dates: DateIndex
        do throws(DateError) {
            dates = try table.dates(yearColumn: year, periodColumn: month).index
        } catch {
            throw CLIError.data(error.description)
        }
        return SeriesSource(name: "airline passengers (thousands)", values: series.column(0), dates: dates)
    }

    /// A column of a CSV file; `column` and `dateColumn` by header name or 0-based index.
    static func csv(path: String, column: String?, dateColumn: String?, missing: MissingValuePolicy) throws -> SeriesSource {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CLIError.noInput("\(path): no such file")
        }
        return try csv(table: CSVTable(contentsOf: url), column: column, dateColumn: dateColumn, missing: missing)
    }

    /// A column of a parsed CSV table; see ``csv(path:column:dateColumn:missing:)``.
    ///
    /// - `column` nil: the one numeric column that is neither a date column nor named like one
    ///   (`year`, `month`, `time`…); several or none are an error that lists the columns.
    /// - `dateColumn` given: its cells are the dates, or, when its first cell is not a date, plain
    ///   labels; a later cell that is not a date like the first is an error naming its line.
    /// - `dateColumn` nil: the dates are found as ``CSVTable/detectDates(excluding:)`` finds them;
    ///   without them, a text column named like a date column (e.g. `month` of `Jan`, `Feb`…)
    ///   gives plain labels.
    static func csv(table: CSVTable, column: String?, dateColumn: String?, missing: MissingValuePolicy) throws -> SeriesSource {
        guard !table.rows.isEmpty else { throw CSVError.noDataRows(file: table.fileName) }
        func parse(_ c: String) -> CSVColumn { Int(c).map { .index($0) } ?? .name(c) }
        let chosenValue = try column.map { try table.columnIndex(parse($0)) }

        // The dates (or plain labels) and the columns they take.
        var dates: DateIndex?
        var plainLabelColumn: Int?
        var dateColumns: [Int] = []
        if let dateColumn {
            let c = try table.columnIndex(parse(dateColumn))
            do throws(DateError) {
                let found = try table.dates(column: c)
                (dates, dateColumns) = (found.index, found.columns)
            } catch {
                guard DateStyle.parse(table.rows[0][c]) == nil else { throw CLIError.data(error.description) }
                (plainLabelColumn, dateColumns) = (c, [c])
            }
        } else if let found = table.detectDates(excluding: Set(chosenValue.map { [$0] } ?? [])) {
            (dates, dateColumns) = (found.index, found.columns)
        } else if table.header != nil {
            plainLabelColumn = (0..<table.columnCount).first {
                $0 != chosenValue && CSVTable.isDateColumnName(table.columnNames[$0]) && !table.isNumericColumn($0)
            }
            dateColumns = plainLabelColumn.map { [$0] } ?? []
        }

        let valueColumn = try chosenValue ?? onlyValueColumn(of: table, besides: dateColumns)
        let series = try TimeSeries(table: table, columns: [.index(valueColumn)], missing: missing)
        // Rows dropped for missing values leave the labels and dates too.
        var keptRows = Array(table.rows.indices)
        if series.count != table.rows.count {
            let rowOfLine = Dictionary(uniqueKeysWithValues: zip(table.lineNumbers, table.rows.indices))
            keptRows = series.lineNumbers.map { rowOfLine[$0]! }
            dates = dates?.selecting(keptRows)
        }
        let labels = dates?.labels ?? plainLabelColumn.map { c in keptRows.map { table.rows[$0][c] } }
        return SeriesSource(name: series.columnNames[0], values: series.column(0), labels: labels, dates: dates)
    }

    /// The value column when none is chosen: the only numeric column outside `dateColumns` whose
    /// name is not a date column's name.
    ///
    /// - Throws: ``CLIError/data(_:)`` listing the candidates when there are several, or the
    ///   columns and what they hold when there is none.
    static func onlyValueColumn(of table: CSVTable, besides dateColumns: [Int]) throws -> Int {
        let names = table.columnNames
        let hasHeader = table.header != nil
        let candidates = (0..<table.columnCount).filter { c in
            !dateColumns.contains(c) && table.isNumericColumn(c) && !(hasHeader && CSVTable.isDateColumnName(names[c]))
        }
        if candidates.count == 1 { return candidates[0] }
        func shown(_ c: Int) -> String { hasHeader ? "'\(names[c])'" : "column \(c)" }
        if candidates.isEmpty {
            let kinds = (0..<table.columnCount).map { c in
                let kind = dateColumns.contains(c) ? "dates" : !table.isNumericColumn(c) ? "text" : "numbers, named like a date"
                return "\(shown(c)) (\(kind))"
            }
            throw CLIError.data("\(table.fileName) has no column of numbers to forecast: \(kinds.joined(separator: ", ")); name the value column with --column")
        }
        throw CLIError.data("\(table.fileName) has \(candidates.count) numeric columns (\(candidates.map(shown).joined(separator: ", "))); choose one with --column")
    }
}
