import Foundation
import LoomTestSupport
import Testing
@testable import LoomData

/// Every file in `BadInputs/` must make `TimeSeries(contentsOf:)` (default options: every column,
/// header detected, missing values are errors) throw a `CSVError` that starts with `file:` and
/// says what was expected — never crash, never return a series. Inputs the fuzzer crashed on go
/// here too (see `Fuzz/README.md`).
@Suite("CSV: bad-input corpus")
struct CSVBadInputTests {
    /// The message fragment each file must produce. A new file in the folder needs an entry here.
    static let expected: [String: String] = [
        "empty.csv": "empty.csv: the file is empty",
        "blank_lines_only.csv": "blank_lines_only.csv: the file is empty",
        "header_only.csv": "header_only.csv: the file has no data rows",
        "ragged_long_row.csv": "ragged_long_row.csv:3: expected 2 fields like the first row, found 3",
        "ragged_short_row.csv": "ragged_short_row.csv:2: expected 2 fields like the first row, found 1",
        "comma_decimal.csv": "comma_decimal.csv:3: expected 1 field like the first row, found 2",
        "latin1.csv": "latin1.csv:3: the text is not valid UTF-8",
        "utf16.csv": "utf16.csv:1: the text is not valid UTF-8",
        "nan_cell.csv": "nan_cell.csv:3: column 'v': expected a number, found 'NaN' (a missing value)",
        "inf_cell.csv": "inf_cell.csv:3: column 'v': expected a number, found 'inf'",
        "minus_infinity_cell.csv": "minus_infinity_cell.csv:2: column 'v': expected a number, found '-Infinity'",
        "overflowing_number.csv": "overflowing_number.csv:3: column 'v': expected a number, found '1e400'",
        "non_numeric_cell.csv": "non_numeric_cell.csv:3: column 'y': expected a number, found 'abc'",
        "empty_cell.csv": "empty_cell.csv:3: column 'y': expected a number, found an empty cell",
        "unterminated_quote.csv": "unterminated_quote.csv:3: a quoted field starts here but its closing quote is missing",
        "text_after_closing_quote.csv": "text_after_closing_quote.csv:2: field 1: expected a delimiter or the end of the line after the closing quote, found 'x'",
        "hex_float.csv": "hex_float.csv:3: column 'v': expected a number, found '0x1p3'",
        "nul_byte.csv": #"nul_byte.csv:3: column 'v': expected a number, found '\0'"#,
    ]

    static func badInputs() throws -> [URL] { try BadInputFolder.files(in: .module) }

    @Test func everyFileHasAnExpectedMessage() throws {
        BadInputFolder.expectCoverage(try Self.badInputs(), Self.expected, atLeast: 15)
    }

    @Test(arguments: try badInputs())
    func badFileThrowsDescriptiveError(_ url: URL) throws {
        let name = url.lastPathComponent
        let error = try #require(throws: CSVError.self) { try TimeSeries(contentsOf: url) }
        let message = error.description
        #expect(message.hasPrefix(name + ":"), "the message names the file: \(message)")
        if let fragment = Self.expected[name] {
            #expect(message.contains(fragment), "\(name): \(message)")
        }
    }

    /// Found by the fuzzer: interpolating across a gap between −1e308 and 1e308 computed
    /// vb − va = ∞ and filled the gap with ∞.
    @Test func interpolationBetweenHugeValuesStaysFinite() throws {
        let table = try CSVTable(string: "v\n-1e308\nNA\nNA\n1e308\n1e308\nNA\n1.7e308\n", fileName: "huge.csv")
        let series = try TimeSeries(table: table, missing: .interpolate)
        let v = series.column(0)
        let allFinite = v.allSatisfy { $0.isFinite }
        #expect(allFinite, "\(v)")
        #expect(v[1] < 0 && v[2] > 0 && v[5] >= 1e308 && v[5] <= 1.7e308, "\(v)")
        // Ordinary gaps keep pandas' formula exactly.
        let plain = try TimeSeries(table: CSVTable(string: "v\n1\nNA\nNA\n4\n", fileName: "plain.csv"), missing: .interpolate)
        #expect(plain.column(0) == [1, 2, 3, 4])
    }
}
