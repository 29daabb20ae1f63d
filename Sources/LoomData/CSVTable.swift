import Foundation

/// A CSV file read into memory: an optional header and rows of string fields, all of the same
/// length, each with the line it came from (for error messages).
///
/// ```swift
/// let table = try CSVTable(contentsOf: URL(fileURLWithPath: "flights.csv"))
/// let months = try table.strings("month")                        // ["Jan", "Feb", …]
/// let passengers = try table.numbers(["passengers"])             // [[112], [118], …]
/// ```
///
/// Reading is strict by default: rows with a different number of fields than the first row, and
/// non-numeric cells in numeric columns, are errors naming the file, line and column.
/// See ``CSVParser`` for the accepted syntax and ``TimeSeries`` for loading a series.
public struct CSVTable: Sendable {
    /// The name used in error messages (the file's last path component).
    public let fileName: String
    /// The column names, when the file has a header row (trimmed of surrounding whitespace).
    public let header: [String]?
    /// The data rows (without the header); every row has ``columnCount`` fields.
    public let rows: [[String]]
    /// The line on which each data row starts, counted from 1.
    public let lineNumbers: [Int]

    /// Reads and parses a CSV file.
    ///
    /// - Throws: ``CSVError`` when the file cannot be read, is not valid CSV or UTF-8, is empty,
    ///   or has rows of different lengths.
    public init(contentsOf url: URL, delimiter: Character = ",", header: CSVHeader = .auto) throws(CSVError) {
        let name = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: name, reason: CSVTable.reason(error))
        }
        try self.init(bytes: [UInt8](data), fileName: name, delimiter: delimiter, header: header)
    }

    /// Parses CSV text held in memory.
    public init(string: String, fileName: String = "<string>", delimiter: Character = ",",
                header: CSVHeader = .auto) throws(CSVError) {
        try self.init(bytes: Array(string.utf8), fileName: fileName, delimiter: delimiter, header: header)
    }

    /// Parses the bytes of a CSV file.
    public init(bytes: [UInt8], fileName: String, delimiter: Character = ",", header: CSVHeader = .auto) throws(CSVError) {
        let records = try CSVParser(delimiter: delimiter).parse(bytes: bytes, fileName: fileName)
        guard let first = records.first else { throw .empty(file: fileName) }
        for record in records where record.fields.count != first.fields.count {
            throw .raggedRow(file: fileName, line: record.line, expected: first.fields.count, found: record.fields.count)
        }
        let hasHeader: Bool
        switch header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto: hasHeader = CSVTable.firstRecordIsHeader(records)
        }
        let data = hasHeader ? records.dropFirst() : records[...]
        self.fileName = fileName
        self.header = hasHeader ? first.fields.map { $0.trimmingCharacters(in: .whitespaces) } : nil
        rows = data.map(\.fields)
        lineNumbers = data.map(\.line)
    }

    /// Number of fields in every row.
    public var columnCount: Int { header?.count ?? rows.first?.count ?? 0 }

    /// The column names: the header, or `"0"`, `"1"`, … without one.
    public var columnNames: [String] { header ?? (0..<columnCount).map(String.init) }

    /// The position of `column`.
    ///
    /// - Throws: ``CSVError`` for an unknown, ambiguous or out-of-range column, or a name in a
    ///   file without a header.
    public func columnIndex(_ column: CSVColumn) throws(CSVError) -> Int {
        switch column {
        case .index(let index):
            guard (0..<columnCount).contains(index) else {
                throw .columnOutOfRange(file: fileName, index: index, columnCount: columnCount)
            }
            return index
        case .name(let name):
            guard let header else { throw .noHeader(file: fileName, name: name) }
            let key = name.trimmingCharacters(in: .whitespaces)
            let matches = header.indices.filter { header[$0] == key }
            guard let index = matches.first else {
                throw .unknownColumn(file: fileName, name: name, available: header)
            }
            guard matches.count == 1 else { throw .ambiguousColumn(file: fileName, name: name) }
            return index
        }
    }

    /// The cells of one column as they appear in the file (e.g. a date column for plot labels).
    public func strings(_ column: CSVColumn) throws(CSVError) -> [String] {
        let c = try columnIndex(column)
        return rows.map { $0[c] }
    }

    /// The name of column `index` for messages: `'passengers'`, or `2` without a header.
    func label(_ index: Int) -> String { CSVError.columnLabel(index, header: header) }

    // MARK: - Header detection

    /// The first record is a header when some column holds a non-number there while at least
    /// half of the non-missing cells below it (in the next 20 rows) are numbers — so one bad cell
    /// near the top does not turn the header into data. A lone record is a header when none of its
    /// fields is a number.
    static func firstRecordIsHeader(_ records: [CSVParser.Record]) -> Bool {
        let first = records[0].fields
        let sample = records.dropFirst().prefix(20)
        if sample.isEmpty { return !first.contains { NumericCell.parse($0) != nil } }
        for c in first.indices where NumericCell.parse(first[c]) == nil && !NumericCell.isMissing(first[c]) {
            let present = sample.map { $0.fields[c] }.filter { !NumericCell.isMissing($0) }
            let numbers = present.filter { NumericCell.parse($0) != nil }.count
            if numbers > 0 && 2 * numbers >= present.count { return true }
        }
        return false
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        return nsError.localizedDescription
    }
}

/// How CSV cells are read as numbers.
enum NumericCell {
    /// Cells treated as missing values (after trimming): empty, `NA`, `N/A`, `NaN`, `null`, ….
    static let missingMarkers: Set<String> = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NAN", "-nan",
                                               "null", "NULL", "None", "#N/A", "#NA"]

    static func isMissing(_ cell: String) -> Bool {
        missingMarkers.contains(cell.trimmingCharacters(in: .whitespaces))
    }

    /// The value of a cell holding a decimal or scientific number (surrounding spaces allowed).
    /// Infinities, NaN and hexadecimal floats are not numbers here.
    static func parse(_ cell: String) -> Double? {
        let text = cell.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.utf8.allSatisfy({ isNumberByte($0) }), let value = Double(text),
              value.isFinite else { return nil }
        return value
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }
}
