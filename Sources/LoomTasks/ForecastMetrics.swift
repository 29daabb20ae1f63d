import Foundation

/// Point-forecast accuracy measures, each comparing `forecast` with `actual` of equal length.
///
/// - RMSE = √(mean (ŷ − y)²), MAE = mean |ŷ − y|
/// - MAPE = 100 · mean |ŷ − y| / |y| (skips y = 0)
/// - sMAPE = 100 · mean 2|ŷ − y| / (|y| + |ŷ|) (skips 0/0)
/// - MASE = MAE / (in-sample MAE of the seasonal naive forecast with period m on `training`);
///   m = 1 is the plain naive forecast (Hyndman & Koehler, 2006).
public struct ForecastMetrics: Codable, Equatable, Sendable {
    public var rmse: Double
    public var mae: Double
    public var mape: Double
    public var smape: Double
    public var mase: Double

    public init(forecast: [Double], actual: [Double], training: [Double], seasonalPeriod m: Int = 1) {
        precondition(forecast.count == actual.count && !actual.isEmpty,
                     "ForecastMetrics: forecast has \(forecast.count) values, actual has \(actual.count) (need equal, non-zero)")
        let errors: [Double] = zip(forecast, actual).map { $0 - $1 }
        let n = Double(errors.count)
        let squares: [Double] = errors.map { $0 * $0 }
        rmse = (squares.reduce(0, +) / n).squareRoot()
        let absolute: [Double] = errors.map { Swift.abs($0) }
        mae = absolute.reduce(0, +) / n
        let pct: [Double] = zip(forecast, actual).filter { $0.1 != 0 }.map { Swift.abs($0.0 - $0.1) / Swift.abs($0.1) }
        mape = pct.isEmpty ? .nan : 100 * pct.reduce(0, +) / Double(pct.count)
        let sym: [Double] = zip(forecast, actual).filter { Swift.abs($0.0) + Swift.abs($0.1) > 0 }
            .map { (f: Double, a: Double) -> Double in 2 * Swift.abs(f - a) / (Swift.abs(f) + Swift.abs(a)) }
        smape = sym.isEmpty ? .nan : 100 * sym.reduce(0, +) / Double(sym.count)
        let period = max(1, m)
        if training.count > period {
            let diffs: [Double] = (period..<training.count).map { Swift.abs(training[$0] - training[$0 - period]) }
            let scale = diffs.reduce(0, +) / Double(training.count - period)
            mase = scale > 0 ? mae / scale : .nan
        } else {
            mase = .nan
        }
    }
}

/// Reference forecasts every model is compared with.
public enum Baseline {
    /// Repeats the last observed value.
    public static func naive(_ history: [Double], steps: Int) -> [Double] {
        precondition(!history.isEmpty, "Baseline.naive: empty history")
        return Array(repeating: history.last!, count: steps)
    }

    /// Repeats the last observed season of `period` values.
    public static func seasonalNaive(_ history: [Double], steps: Int, period: Int) -> [Double] {
        precondition(history.count >= period && period > 0,
                     "Baseline.seasonalNaive: needs at least one season (\(period)) of history, got \(history.count)")
        let season = Array(history.suffix(period))
        return (0..<steps).map { season[$0 % period] }
    }

    /// The seasonal-naive forecast when the history holds a whole season and the period is
    /// above 1, else the naive one.
    public static func seasonalOrNaive(_ history: [Double], steps: Int, period: Int) -> [Double] {
        period > 1 && history.count >= period ? seasonalNaive(history, steps: steps, period: period) : naive(history, steps: steps)
    }
}
