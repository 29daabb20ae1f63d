import Foundation
@testable import LoomData
import LoomTensor
import Testing

@Suite("Sliding windows")
struct SlidingWindowTests {
    /// scripts/fixtures/data_windows.py: the tutorial's `create_inout_sequences(series, tw=5)`.
    @Test func matchTheTutorialsCreateInoutSequences() throws {
        let f = try DoubleFixture("data_windows.json")
        let series = f["series"]
        let (inputs, targets) = try slidingWindows(series, window: 5, dtype: .float64)
        let n = series.count - 5
        #expect(inputs.shape == [n, 5, 1])
        #expect(targets.shape == [n, 1])
        #expect(f.shape("inputs") == [n, 5] && f.shape("labels") == [n, 1])
        #expect(inputs.doubleScalars == f["inputs"])
        #expect(targets.doubleScalars == f["labels"])
        // Float32 by default, and the same windows from a tensor series.
        let (x32, y32) = try slidingWindows(series, window: 5)
        #expect(x32.dtype == .float32 && x32.scalars == f["inputs"].map { Float($0) })
        #expect(y32.scalars == f["labels"].map { Float($0) })
        let (xt, yt) = try slidingWindows(Tensor(series), window: 5)
        #expect(xt.dtype == .float64 && xt.doubleScalars == f["inputs"] && yt.shape == [n, 1])
    }

    @Test func multiStepTargetsAndStride() throws {
        let series = (0..<10).map(Double.init)
        // N = (10 − 3 − 2) / 2 + 1 = 3 windows starting at 0, 2, 4.
        let (x, y) = try slidingWindows(series, window: 3, horizon: 2, stride: 2)
        #expect(x.shape == [3, 3, 1] && y.shape == [3, 2])
        #expect(x.scalars == [0, 1, 2, 2, 3, 4, 4, 5, 6])
        #expect(y.scalars == [3, 4, 5, 6, 7, 8])
        // A series of exactly window + horizon steps gives one window.
        let (one, next) = try slidingWindows([1.0, 2, 3, 4], window: 3)
        #expect(one.shape == [1, 3, 1] && next.scalars == [4])
    }

    @Test func multivariateColumns() throws {
        // Step t holds [t, 10t, 100t].
        let rows = (0..<6).map { t in [Double(t), Double(10 * t), Double(100 * t)] }
        let (x, y) = try slidingWindows(rows, window: 2, horizon: 2, inputColumns: [0, 1], targetColumns: [2])
        #expect(x.shape == [3, 2, 2] && y.shape == [3, 2, 1])
        #expect(x.scalars == [0, 0, 1, 10, 1, 10, 2, 20, 2, 20, 3, 30])
        #expect(y.scalars == [200, 300, 300, 400, 400, 500])
        let all = try slidingWindows(Tensor(shape: [6, 3], scalars: rows.flatMap { $0 }), window: 4, targetColumns: [0, 2])
        #expect(all.inputs.shape == [2, 4, 3] && all.inputs.dtype == .float64)
        #expect(all.targets.shape == [2, 1, 2] && all.targets.doubleScalars == [4, 400, 5, 500])
    }

    @Test(arguments: [
        (10, 12, 1, 1, "the series has 10 time steps, but a window of 12 plus a horizon of 1 needs at least 13"),
        (12, 12, 1, 1, "the series has 12 time steps, but a window of 12 plus a horizon of 1 needs at least 13"),
        (20, 0, 1, 1, "window must be a positive number of time steps, got 0"),
        (20, -3, 1, 1, "window must be a positive number of time steps, got -3"),
        (20, 4, 0, 1, "horizon must be a positive number of time steps, got 0"),
        (20, 4, -2, 1, "horizon must be a positive number of time steps, got -2"),
        (20, 4, 1, 0, "stride must be a positive number of time steps, got 0"),
        (0, 1, 1, 1, "the series has 0 time steps, but a window of 1 plus a horizon of 1 needs at least 2"),
    ])
    func invalidGeometryThrows(_ length: Int, _ window: Int, _ horizon: Int, _ stride: Int, _ message: String) {
        let series = [Double](repeating: 1, count: length)
        do {
            _ = try slidingWindows(series, window: window, horizon: horizon, stride: stride)
            Issue.record("expected an error: \(message)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func unknownColumnsThrow() {
        let rows = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
        #expect(throws: WindowError.columnOutOfRange(role: "target", column: 2, columnCount: 2)) {
            try slidingWindows(rows, window: 1, targetColumns: [2])
        }
        #expect(throws: WindowError.noColumns(role: "input")) {
            try slidingWindows(rows, window: 1, inputColumns: [])
        }
        let message = WindowError.columnOutOfRange(role: "input", column: 5, columnCount: 2).description
        #expect(message == "input column 5 is out of range for a series with 2 columns (valid: 0..<2)")
    }

    @Test func absurdSizesAreRefusedNotAllocated() {
        // The geometry is checked before any copy: 2^40 steps in windows of 2^20 would need
        // ~2^60 values; overflowing products are refused too.
        for (length, window) in [(1 << 40, 1 << 20), (Int.max / 2, Int.max / 4)] {
            #expect(throws: WindowError.self) {
                try WindowCutter(length: length, columnCount: 1, window: window, horizon: 1, stride: 1,
                                 inputColumns: [0], targetColumns: [0])
            }
        }
    }

    /// The windows feed a TensorDataset/DataLoader directly: (B, T, 1) inputs, (B, K) targets.
    @Test func windowsFeedALoader() throws {
        let series = (0..<40).map { Foundation.sin(Double($0) / 4) }
        let (x, y) = try slidingWindows(series, window: 8, horizon: 2)
        let loader = DataLoader(TensorDataset(x, y), batchSize: 16, shuffle: true, generator: Generator(seed: 0))
        #expect(loader.map { $0.0.shape } == [[16, 8, 1], [15, 8, 1]])
        #expect(loader.map { $0.1.shape } == [[16, 2], [15, 2]])
    }
}
