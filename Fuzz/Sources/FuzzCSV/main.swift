// Fuzzes the CSV reader and the time-series loading built on it: `CSVParser.parse(bytes:)`,
// `CSVTable(bytes:)` with each header mode, `TimeSeries(table:)` with each missing-value policy,
// and `slidingWindows` over the result. Every input must either throw a `CSVError` /
// `WindowError` whose message names the file, or give a table and series that keep their
// documented invariants: rectangular rows, one line number per row, finite values only.
import Foundation
import FuzzDriver
import LoomData
import LoomTensor

let fileName = "fuzz.csv"

func expectNamesFile(_ error: CSVError) {
    require(error.description.hasPrefix(fileName + ":"), "message does not start with the file: \(error)")
}

func checkParser(_ bytes: [UInt8], delimiter: Character) {
    let records: [CSVParser.Record]
    do throws(CSVError) {
        records = try CSVParser(delimiter: delimiter).parse(bytes: bytes, fileName: fileName)
    } catch {
        expectNamesFile(error)
        return
    }
    let lineBreaks = bytes.count { $0 == 0x0A || $0 == 0x0D }
    var previousLine = 0
    for record in records {
        require(!record.fields.isEmpty, "a record without fields")
        require(record.line > previousLine && record.line <= lineBreaks + 1,
                     "record line \(record.line) after \(previousLine), with \(lineBreaks) line breaks")
        previousLine = record.line
    }
}

func checkTable(_ table: CSVTable) {
    let width = table.columnCount
    require(width > 0, "a table without columns")
    require(table.header.map { $0.count == width } ?? true, "header width differs from columnCount")
    require(table.rows.allSatisfy { $0.count == width }, "ragged rows in a CSVTable")
    require(table.lineNumbers.count == table.rows.count, "one line number per row")
    require(zip(table.lineNumbers, table.lineNumbers.dropFirst()).allSatisfy { $0 < $1 }, "lines not increasing")
    require(table.columnNames.count == width, "columnNames width")
}

func checkSeries(_ series: TimeSeries, table: CSVTable, missing: MissingValuePolicy, salt: Int) {
    let width = series.columnNames.count
    require(width > 0 && series.count > 0, "an empty series was accepted")
    require(series.count <= table.rows.count, "more steps than rows")
    require(missing == .drop || series.count == table.rows.count, "rows lost without .drop")
    require(series.values.allSatisfy { $0.count == width }, "ragged series")
    require(series.values.allSatisfy { $0.allSatisfy(\.isFinite) }, "a non-finite value in a series: \(series.values)")
    require(series.lineNumbers.count == series.count, "one line number per step")
    require(series.labels.map { $0.count == series.count } ?? true, "one label per step")
    let t = series.tensor(dtype: .float64)
    require(t.shape == [series.count, width], "tensor shape \(t.shape)")

    // Window geometry from the input size, so that the fuzzer reaches every branch.
    let window = salt % 7 - 1, horizon = (salt / 7) % 4, stride = 1 + (salt / 28) % 3
    do throws(WindowError) {
        let (x, y) = try slidingWindows(series.values, window: window, horizon: horizon, stride: stride,
                                        dtype: .float64)
        let n = (series.count - window - horizon) / stride + 1
        require(x.shape == [n, window, width] && y.shape == [n, horizon, width],
                     "window shapes \(x.shape) \(y.shape) for L=\(series.count) W=\(window) K=\(horizon) S=\(stride)")
        require(x.doubleScalars.allSatisfy(\.isFinite) && y.doubleScalars.allSatisfy(\.isFinite), "non-finite window")
    } catch {
        require(!error.description.isEmpty, "empty WindowError message")
    }
}

runFuzzer { data in
    let bytes = [UInt8](data)
    for delimiter: Character in [",", ";", "\t"] {
        checkParser(bytes, delimiter: delimiter)
    }
    for header in [CSVHeader.auto, .present, .absent] {
        let table: CSVTable
        do throws(CSVError) {
            table = try CSVTable(bytes: bytes, fileName: fileName, header: header)
        } catch {
            expectNamesFile(error)
            continue
        }
        checkTable(table)
        for missing in [MissingValuePolicy.error, .drop, .interpolate] {
            let label: CSVColumn? = table.columnCount > 1 ? .index(0) : nil
            do throws(CSVError) {
                let series = try TimeSeries(table: table, label: label, missing: missing)
                checkSeries(series, table: table, missing: missing, salt: bytes.count)
            } catch {
                expectNamesFile(error)
            }
        }
    }
}
