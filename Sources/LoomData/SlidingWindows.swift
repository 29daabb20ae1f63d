import Foundation

/// Cuts a time series into supervised `(input window, following values)` pairs.
///
/// Window i covers steps `i·stride ..< i·stride + window`; its target is the next `horizon` steps,
/// `i·stride + window ..< i·stride + window + horizon`. There are
/// `N = (L − window − horizon) / stride + 1` windows for a series of L steps.
/// With `horizon: 1, stride: 1` these are the tutorials' `create_inout_sequences(data, tw)`
/// (window → next value, N = L − window).
///
/// Shapes (L steps, W window, K horizon, F columns):
/// - univariate series (`[Double]`, `[Float]`, tensor (L)): inputs (N, W, 1), targets (N, K).
///   The input feature axis of size 1 lets the windows feed a `batchFirst` LSTM directly; the
///   targets match a `Linear(H, K)` head.
/// - multivariate series (rows `[[Double]]` (L × F), tensor (L, F)): inputs (N, W, Fin) from
///   `inputColumns`, targets (N, K, Fout) from `targetColumns` (both default to every column).
///
/// Windows are copies, in `dtype` (Float32 by default). Cut the series chronologically
/// (``ChronologicalSplit``) and fit scalers on the training part before windowing.
///
/// - Throws: ``WindowError`` when `window`, `horizon` or `stride` is not positive, when the series
///   is shorter than `window + horizon`, or when a column does not exist.
public func slidingWindows<S: BinaryFloatingPoint>(
    _ series: [S], window: Int, horizon: Int = 1, stride: Int = 1, dtype: DType = .float32
) throws(WindowError) -> (inputs: Tensor, targets: Tensor) {
    let cut = try WindowCutter(length: series.count, columnCount: 1, window: window, horizon: horizon,
                               stride: stride, inputColumns: [0], targetColumns: [0])
    let values = series.map { Double($0) }
    return cut.tensors(values, dtype: dtype, targetShape: [cut.windowCount, horizon])
}

/// Multivariate windows from rows of F values (one row per time step); see
/// ``slidingWindows(_:window:horizon:stride:dtype:)``. Inputs (N, W, Fin), targets (N, K, Fout).
public func slidingWindows<S: BinaryFloatingPoint>(
    _ rows: [[S]], window: Int, horizon: Int = 1, stride: Int = 1,
    inputColumns: [Int]? = nil, targetColumns: [Int]? = nil, dtype: DType = .float32
) throws(WindowError) -> (inputs: Tensor, targets: Tensor) {
    let width = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == width },
                 "slidingWindows: rows have different lengths \(Set(rows.map(\.count)).sorted())")
    let cut = try WindowCutter(length: rows.count, columnCount: width, window: window, horizon: horizon,
                               stride: stride, inputColumns: inputColumns ?? Array(0..<width),
                               targetColumns: targetColumns ?? Array(0..<width))
    let values = rows.flatMap { $0.map { Double($0) } }
    return cut.tensors(values, dtype: dtype, targetShape: [cut.windowCount, horizon, cut.targetColumns.count])
}

/// Windows of a tensor series: (L) is univariate (inputs (N, W, 1), targets (N, K)), (L, F) is
/// multivariate (inputs (N, W, Fin), targets (N, K, Fout)); see
/// ``slidingWindows(_:window:horizon:stride:dtype:)``. The result keeps the series' dtype.
public func slidingWindows(
    _ series: Tensor, window: Int, horizon: Int = 1, stride: Int = 1,
    inputColumns: [Int]? = nil, targetColumns: [Int]? = nil
) throws(WindowError) -> (inputs: Tensor, targets: Tensor) {
    precondition(series.rank == 1 || series.rank == 2,
                 "slidingWindows: expects a series of shape (L) or (L, F), got \(series.shape)")
    let width = series.rank == 1 ? 1 : series.shape[1]
    let cut = try WindowCutter(length: series.shape[0], columnCount: width, window: window, horizon: horizon,
                               stride: stride, inputColumns: inputColumns ?? Array(0..<width),
                               targetColumns: targetColumns ?? Array(0..<width))
    let targetShape = series.rank == 1 ? [cut.windowCount, horizon] : [cut.windowCount, horizon, cut.targetColumns.count]
    return cut.tensors(series.doubleScalars, dtype: series.dtype, targetShape: targetShape)
}

/// The validated geometry of a windowing and the copy that realizes it.
struct WindowCutter {
    let length: Int
    let columnCount: Int
    let window: Int
    let horizon: Int
    let stride: Int
    let inputColumns: [Int]
    let targetColumns: [Int]
    let windowCount: Int

    init(length: Int, columnCount: Int, window: Int, horizon: Int, stride: Int,
         inputColumns: [Int], targetColumns: [Int]) throws(WindowError) {
        guard window > 0 else { throw .nonPositiveWindow(window) }
        guard horizon > 0 else { throw .nonPositiveHorizon(horizon) }
        guard stride > 0 else { throw .nonPositiveStride(stride) }
        guard !inputColumns.isEmpty else { throw .noColumns(role: "input") }
        guard !targetColumns.isEmpty else { throw .noColumns(role: "target") }
        for c in inputColumns where !(0..<columnCount).contains(c) {
            throw .columnOutOfRange(role: "input", column: c, columnCount: columnCount)
        }
        for c in targetColumns where !(0..<columnCount).contains(c) {
            throw .columnOutOfRange(role: "target", column: c, columnCount: columnCount)
        }
        guard length >= window + horizon else {
            throw .seriesTooShort(length: length, window: window, horizon: horizon)
        }
        let count = (length - window - horizon) / stride + 1
        // Refuse sizes that overflow or cannot fit in memory instead of being killed.
        func product(_ factors: [Int]) -> Int? {
            var p = 1
            for f in factors {
                let (r, overflow) = p.multipliedReportingOverflow(by: f)
                if overflow { return nil }
                p = r
            }
            return p
        }
        let memory = ProcessInfo.processInfo.physicalMemory
        guard let inputValues = product([count, window, inputColumns.count]),
              let targetValues = product([count, horizon, targetColumns.count]),
              case let (total, false) = inputValues.addingReportingOverflow(targetValues) else {
            throw .tooLarge(elements: .max, availableBytes: memory)
        }
        // The copies are built in Float64 before conversion: 8 bytes per value, twice.
        if UInt64(total) > memory / 16 { throw .tooLarge(elements: total, availableBytes: memory) }
        self.length = length
        self.columnCount = columnCount
        self.window = window
        self.horizon = horizon
        self.stride = stride
        self.inputColumns = inputColumns
        self.targetColumns = targetColumns
        windowCount = count
    }

    /// Copies the windows out of row-major `values` (L × columnCount).
    func tensors(_ values: [Double], dtype: DType, targetShape: [Int]) -> (inputs: Tensor, targets: Tensor) {
        var inputs = [Double](), targets = [Double]()
        inputs.reserveCapacity(windowCount * window * inputColumns.count)
        targets.reserveCapacity(windowCount * horizon * targetColumns.count)
        for i in 0..<windowCount {
            let start = i * stride
            for t in start..<(start + window) {
                for c in inputColumns { inputs.append(values[t * columnCount + c]) }
            }
            for t in (start + window)..<(start + window + horizon) {
                for c in targetColumns { targets.append(values[t * columnCount + c]) }
            }
        }
        let x = Tensor(shape: [windowCount, window, inputColumns.count], scalars: inputs)
        let y = Tensor(shape: targetShape, scalars: targets)
        return (x.to(dtype), y.to(dtype))
    }
}
