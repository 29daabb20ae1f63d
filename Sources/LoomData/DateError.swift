/// Why a column of dates could not be read. Every description starts with `file:line:` and names
/// the column, what was expected and what was found, e.g.
/// `sales.csv:14: column 'date': expected a date (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]), found '1949-13'`.
///
/// Lines are the file's lines counted from 1 when the caller gives them (see ``DateIndex``),
/// otherwise positions in the column counted from 1.
public enum DateError: Error, Equatable, CustomStringConvertible {
    /// A cell is not a date in any ``DateStyle``, or names no real day (`1949-02-30`).
    case notADate(file: String, line: Int, column: String, found: String)
    /// A cell is a date written in another style than the column's first cell (`expected` is the
    /// first cell's pattern, e.g. `YYYY-MM`).
    case styleChanged(file: String, line: Int, column: String, expected: String, found: String)
    /// A cell of a year column is not a whole number from 0 to 9999.
    case notAYear(file: String, line: Int, column: String, found: String)
    /// A cell of a month column is not 1–12 nor an English month name or abbreviation.
    case notAMonth(file: String, line: Int, column: String, found: String)
    /// A cell of a quarter column is not 1–4 nor Q1–Q4.
    case notAQuarter(file: String, line: Int, column: String, found: String)

    public var description: String {
        switch self {
        case .notADate(let file, let line, let column, let found):
            return "\(file):\(line): column \(CSVError.quoted(column)): expected a date (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]), found \(Self.shown(found))"
        case .styleChanged(let file, let line, let column, let expected, let found):
            return "\(file):\(line): column \(CSVError.quoted(column)): expected a date written \(expected) like the first row, found \(Self.shown(found))"
        case .notAYear(let file, let line, let column, let found):
            return "\(file):\(line): column \(CSVError.quoted(column)): expected a year (a whole number such as 1949), found \(Self.shown(found))"
        case .notAMonth(let file, let line, let column, let found):
            return "\(file):\(line): column \(CSVError.quoted(column)): expected a month (1–12, Jan or January), found \(Self.shown(found))"
        case .notAQuarter(let file, let line, let column, let found):
            return "\(file):\(line): column \(CSVError.quoted(column)): expected a quarter (1–4 or Q1–Q4), found \(Self.shown(found))"
        }
    }

    /// A cell for a message: quoted, or "an empty cell".
    private static func shown(_ cell: String) -> String {
        cell.allSatisfy(\.isWhitespace) ? "an empty cell" : CSVError.quoted(cell)
    }
}
