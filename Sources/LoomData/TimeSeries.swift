import Foundation

/// Numeric columns of a CSV file, one row per time step, with an optional label column (dates)
/// kept as strings for plotting.
///
/// ```swift
/// let flights = try TimeSeries(contentsOf: url, columns: ["passengers"], label: "month")
/// flights.values          // [[112], [118], …]   (L × F)
/// flights.column(0)       // [112, 118, …]
/// flights.tensor()        // (L, F) Float32
/// ```
public struct TimeSeries: Sendable {
    /// The file name used in messages.
    public let fileName: String
    /// The names of the value columns (header names, or indices as strings without a header).
    public let columnNames: [String]
    /// The values, one row of F numbers per time step (L × F).
    public let values: [[Double]]
    /// The label column (e.g. dates), one string per row, when one was selected.
    public let labels: [String]?
    /// The line each row comes from, counted from 1.
    public let lineNumbers: [Int]

    /// Reads a CSV file and extracts a series.
    ///
    /// - Parameters:
    ///   - columns: the value columns, by name or index; `nil` takes every column except `label`.
    ///   - label: a column kept as strings (dates), or `nil`.
    ///   - missing: the ``MissingValuePolicy`` for empty and `NA`-like cells (default `.error`).
    /// - Throws: ``CSVError`` naming the file, line and column of the first problem.
    public init(contentsOf url: URL, columns: [CSVColumn]? = nil, label: CSVColumn? = nil,
                missing: MissingValuePolicy = .error, delimiter: Character = ",",
                header: CSVHeader = .auto) throws(CSVError) {
        let table = try CSVTable(contentsOf: url, delimiter: delimiter, header: header)
        try self.init(table: table, columns: columns, label: label, missing: missing)
    }

    /// Extracts a series from a parsed table; see ``init(contentsOf:columns:label:missing:delimiter:header:)``.
    public init(table: CSVTable, columns: [CSVColumn]? = nil, label: CSVColumn? = nil,
                missing: MissingValuePolicy = .error) throws(CSVError) {
        guard !table.rows.isEmpty else { throw .noDataRows(file: table.fileName) }
        let labelIndex = try label.map { (c: CSVColumn) throws(CSVError) -> Int in try table.columnIndex(c) }
        var indices: [Int] = []
        for column in columns ?? (0..<table.columnCount).map(CSVColumn.index) {
            let index = try table.columnIndex(column)
            if columns == nil && index == labelIndex { continue }
            indices.append(index)
        }
        guard !indices.isEmpty else { throw .noValueColumns(file: table.fileName) }

        // Parse every selected cell; nil marks a missing one.
        var cells: [[Double?]] = []
        cells.reserveCapacity(table.rows.count)
        for (r, row) in table.rows.enumerated() {
            var parsed: [Double?] = []
            for c in indices {
                let cell = row[c]
                if NumericCell.isMissing(cell) {
                    if missing == .error {
                        throw .missingValue(file: table.fileName, line: table.lineNumbers[r], column: table.label(c),
                                            found: cell.isEmpty ? "an empty cell" : CSVError.quoted(cell))
                    }
                    parsed.append(nil)
                } else if let value = NumericCell.parse(cell) {
                    parsed.append(value)
                } else {
                    throw .notANumber(file: table.fileName, line: table.lineNumbers[r], column: table.label(c),
                                      found: CSVError.quoted(cell))
                }
            }
            cells.append(parsed)
        }

        var keptRows = Array(table.rows.indices)
        var filled: [[Double]]
        switch missing {
        case .error:
            filled = cells.map { $0.map { $0! } }
        case .drop:
            keptRows = keptRows.filter { r in cells[r].allSatisfy { $0 != nil } }
            guard !keptRows.isEmpty else { throw .noDataRows(file: table.fileName) }
            filled = keptRows.map { r in cells[r].map { $0! } }
        case .interpolate:
            filled = [[Double]](repeating: [Double](repeating: 0, count: indices.count), count: cells.count)
            for k in indices.indices {
                guard let column = TimeSeries.interpolated(cells.map { $0[k] }) else {
                    throw .noValues(file: table.fileName, column: table.label(indices[k]))
                }
                for r in column.indices { filled[r][k] = column[r] }
            }
        }
        fileName = table.fileName
        columnNames = indices.map { table.columnNames[$0] }
        values = filled
        labels = labelIndex.map { l in keptRows.map { table.rows[$0][l] } }
        lineNumbers = keptRows.map { table.lineNumbers[$0] }
    }

    /// Number of time steps L.
    public var count: Int { values.count }

    /// The values of value column `k` (0-based among the selected columns), length L.
    public func column(_ k: Int) -> [Double] {
        precondition(columnNames.indices.contains(k),
                     "TimeSeries.column: index \(k) is out of range for \(columnNames.count) value columns \(columnNames)")
        return values.map { $0[k] }
    }

    /// The values of the value column called `name`, or nil when there is none.
    public func column(named name: String) -> [Double]? {
        columnNames.firstIndex(of: name).map { column($0) }
    }

    /// The values as a tensor (L, F).
    public func tensor(dtype: DType = .float32) -> Tensor {
        Tensor(shape: [count, columnNames.count], scalars: values.flatMap { $0 }).to(dtype)
    }

    /// Linear interpolation over positions of the missing (nil) entries; ends take the nearest
    /// known value. Nil when nothing is known.
    static func interpolated(_ column: [Double?]) -> [Double]? {
        let known = column.indices.filter { column[$0] != nil }
        guard let firstKnown = known.first, let lastKnown = known.last else { return nil }
        var out = [Double](repeating: 0, count: column.count)
        for i in 0..<firstKnown { out[i] = column[firstKnown]! }
        for i in (lastKnown + 1)..<column.count { out[i] = column[lastKnown]! }
        for (a, b) in zip(known, known.dropFirst()) {
            let va = column[a]!, vb = column[b]!
            out[a] = va
            for i in (a + 1)..<b {
                let value = va + (vb - va) * Double(i - a) / Double(b - a)
                // Near ±Double.greatestFiniteMagnitude, vb − va overflows: take the convex
                // combination instead, kept between the two neighbours.
                let t = Double(i - a) / Double(b - a)
                out[i] = value.isFinite ? value : min(max(va * (1 - t) + vb * t, min(va, vb)), max(va, vb))
            }
        }
        out[lastKnown] = column[lastKnown]!
        return out
    }
}
