import ArgumentParser
import Foundation
import Loom

/// Where a forecasting command gets its series: the bundled airline passengers data, or a CSV
/// column chosen by the user.
struct SeriesSource {
    let name: String
    let values: [Double]
    let labels: [String]?

    /// Airline passengers 1949–1960 (Box & Jenkins), bundled as a resource.
    static func airline() throws -> SeriesSource {
        guard let url = Bundle.module.url(forResource: "flights", withExtension: "csv", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "Resources/flights", withExtension: "csv") else {
            throw CLIError.noInput("the bundled airline passengers data is missing from this build")
        }
        let series = try TimeSeries(contentsOf: url, columns: ["passengers"])
        let table = try CSVTable(contentsOf: url)
        let years = try table.strings("year"), months = try table.strings("month")
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let labels = zip(years, months).map { y, m in
            "\(y)-" + String(format: "%02d", (names.firstIndex(of: m) ?? 0) + 1)
        }
        return SeriesSource(name: "airline passengers (thousands)", values: series.column(0), labels: labels)
    }

    /// A column of a CSV file; `column` by name or 0-based index; `dateColumn` kept as labels.
    static func csv(path: String, column: String?, dateColumn: String?, missing: MissingValuePolicy) throws -> SeriesSource {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CLIError.noInput("\(path): no such file")
        }
        func parse(_ c: String) -> CSVColumn { Int(c).map { .index($0) } ?? .name(c) }
        let label = dateColumn.map(parse)
        var columns: [CSVColumn]? = nil
        if let column { columns = [parse(column)] }
        let series = try TimeSeries(contentsOf: url, columns: columns, label: label, missing: missing)
        guard series.columnNames.count == 1 else {
            throw CLIError.data("\(path) has \(series.columnNames.count) numeric columns (\(series.columnNames.joined(separator: ", "))); choose one with --column")
        }
        return SeriesSource(name: series.columnNames[0], values: series.column(0), labels: series.labels)
    }
}
