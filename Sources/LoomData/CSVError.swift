/// Why a CSV file could not be read. Every description starts with `file:line:` (or `file:`)
/// and says what was expected and what was found, e.g.
/// `flights.csv:14: column 'passengers': expected a number, found 'abc'`.
///
/// Lines are the file's physical lines, counted from 1 (the header is line 1 when present).
/// Columns are named by their header, or by their 0-based index when the file has none.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The bytes at `line` are not valid UTF-8.
    case invalidUTF8(file: String, line: Int)
    /// A quoted field opened at `line` is never closed.
    case unterminatedQuote(file: String, line: Int)
    /// A closing quote is followed by `found` instead of a delimiter or the end of the line.
    case textAfterClosingQuote(file: String, line: Int, field: Int, found: String)
    /// The file holds no records (it is empty or has only blank lines).
    case empty(file: String)
    /// The file has a header but no data rows (or no rows left after dropping missing values).
    case noDataRows(file: String)
    /// A row has a different number of fields than the first row.
    case raggedRow(file: String, line: Int, expected: Int, found: Int)
    /// No column has this name; `available` lists the header.
    case unknownColumn(file: String, name: String, available: [String])
    /// Several columns have this name.
    case ambiguousColumn(file: String, name: String)
    /// A column was selected by name in a file without a header.
    case noHeader(file: String, name: String)
    /// A column index is outside `0..<columnCount`.
    case columnOutOfRange(file: String, index: Int, columnCount: Int)
    /// A cell that should hold a finite number holds `found`.
    case notANumber(file: String, line: Int, column: String, found: String)
    /// A cell is empty or a missing-value marker (`NA`, `NaN`, …) and the policy is `.error`.
    case missingValue(file: String, line: Int, column: String, found: String)
    /// Every value of a column is missing, so there is nothing to interpolate from.
    case noValues(file: String, column: String)
    /// No value column is left once the label column is set aside.
    case noValueColumns(file: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file: \(reason)"
        case .invalidUTF8(let file, let line):
            return "\(file):\(line): the text is not valid UTF-8 (save the file as UTF-8)"
        case .unterminatedQuote(let file, let line):
            return "\(file):\(line): a quoted field starts here but its closing quote is missing"
        case .textAfterClosingQuote(let file, let line, let field, let found):
            return "\(file):\(line): field \(field): expected a delimiter or the end of the line after the closing quote, found \(found) (write a quote inside a quoted field as \"\")"
        case .empty(let file):
            return "\(file): the file is empty"
        case .noDataRows(let file):
            return "\(file): the file has no data rows"
        case .raggedRow(let file, let line, let expected, let found):
            return "\(file):\(line): expected \(expected) field\(expected == 1 ? "" : "s") like the first row, found \(found)"
        case .unknownColumn(let file, let name, let available):
            let hint = available.first { $0.lowercased() == name.lowercased() }.map { "; did you mean '\($0)'?" } ?? ""
            return "\(file): no column named '\(name)'; the columns are \(available.map { "'\($0)'" }.joined(separator: ", "))\(hint)"
        case .ambiguousColumn(let file, let name):
            return "\(file): several columns are named '\(name)'; select the column by index"
        case .noHeader(let file, let name):
            return "\(file): cannot select column '\(name)' by name: the file has no header row; select it by index"
        case .columnOutOfRange(let file, let index, let count):
            return "\(file): column index \(index) is out of range; the file has \(count) column\(count == 1 ? "" : "s") (0..<\(count))"
        case .notANumber(let file, let line, let column, let found):
            return "\(file):\(line): column \(column): expected a number, found \(found)"
        case .missingValue(let file, let line, let column, let found):
            return "\(file):\(line): column \(column): expected a number, found \(found) (a missing value); use the missing-value policy .drop or .interpolate to accept gaps"
        case .noValues(let file, let column):
            return "\(file): column \(column): every value is missing, nothing to interpolate from"
        case .noValueColumns(let file):
            return "\(file): no value column to read besides the label column"
        }
    }

    /// A field quoted for a message: `'abc'`, shortened past 40 characters, control characters escaped.
    static func quoted(_ text: String) -> String {
        var shown = ""
        for (n, scalar) in text.unicodeScalars.enumerated() {
            if n == 40 { shown += "…"; break }
            if scalar.properties.generalCategory == .control || scalar == "'" {
                shown += scalar.escaped(asASCII: true)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return "'\(shown)'"
    }

    /// A column for a message: `'passengers'` with a header, its index without one.
    static func columnLabel(_ index: Int, header: [String]?) -> String {
        if let header, index < header.count { return quoted(header[index]) }
        return String(index)
    }
}
