import Foundation
import Loom

/// Tables, JSON and plots for forecasting results.
enum ForecastReport {
    static func printText(_ e: ForecastEvaluation, model: RecurrentModelKind, source: SeriesSource, trainSeconds: Double,
                          folds: [ForecastEvaluation]) {
        let n = e.train.count
        print(String(format: "Trained in %.2f s; final training loss %.5f (scaled MSE).", trainSeconds, e.losses.last ?? .nan))
        print("")
        print(pad("step", 10) + pad("actual", 12) + pad("forecast", 12) + pad("error", 10))
        for (i, (a, f)) in zip(e.actual, e.forecast).enumerated() {
            let label = source.labels?[n + i] ?? "t+\(i + 1)"
            print(pad(label, 10) + pad(String(format: "%.1f", a), 12) + pad(String(format: "%.1f", f), 12) + pad(String(format: "%+.1f", f - a), 10))
        }
        print("")
        print("forecast  " + Sparkline.render(e.forecast, range: range(e)))
        print("actual    " + Sparkline.render(e.actual, range: range(e)))
        print("")
        print(pad("model", 16) + ["RMSE", "MAE", "MAPE %", "sMAPE %", "MASE"].map { pad($0, 10) }.joined())
        for (name, m) in [(model.rawValue.uppercased(), e.metrics), ("naive", e.naiveMetrics), ("seasonal naive", e.seasonalNaiveMetrics)] {
            print(pad(name, 16) + [m.rmse, m.mae, m.mape, m.smape, m.mase].map { pad(String(format: "%.3f", $0), 10) }.joined())
        }
        if !folds.isEmpty {
            let mean = folds.map(\.metrics.rmse).reduce(0, +) / Double(folds.count)
            let base = folds.map(\.seasonalNaiveMetrics.rmse).reduce(0, +) / Double(folds.count)
            print("")
            print(String(format: "Backtest over %d folds: mean RMSE %.3f (seasonal naive %.3f)", folds.count, mean, base))
        }
    }

    private static func range(_ e: ForecastEvaluation) -> ClosedRange<Double> {
        let all = e.actual + e.forecast
        return (all.min() ?? 0)...(all.max() ?? 1)
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func printJSON(_ e: ForecastEvaluation, config: ForecasterConfig, source: SeriesSource, trainSeconds: Double,
                          folds: [ForecastEvaluation]) throws {
        struct Output: Encodable {
            let series: String
            let config: ForecasterConfig
            let trainSeconds: Double
            let labels: [String]?
            let actual: [Double]
            let forecast: [Double]
            let metrics: ForecastMetrics
            let naive: ForecastMetrics
            let seasonalNaive: ForecastMetrics
            let finalLoss: Double?
            let backtestRMSE: [Double]
        }
        let labels = source.labels.map { Array($0.suffix(e.actual.count)) }
        let out = Output(series: source.name, config: config, trainSeconds: trainSeconds, labels: labels, actual: e.actual,
                         forecast: e.forecast, metrics: e.metrics, naive: e.naiveMetrics, seasonalNaive: e.seasonalNaiveMetrics,
                         finalLoss: e.losses.last, backtestRMSE: folds.map(\.metrics.rmse))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        print(String(decoding: try encoder.encode(out), as: UTF8.self))
    }

    /// The tutorial's two views: the whole series with the forecast, and the last months zoomed.
    static func plot(_ e: ForecastEvaluation, source: SeriesSource, labelEvery: Int, to path: String) throws {
        let n = e.train.count, all = e.train + e.actual
        let forecastX = (0..<e.forecast.count).map { Double(n + $0) }
        var whole = LineChart(title: "Forecast of \(source.name)", xLabel: source.labels == nil ? "step" : "date", yLabel: source.name)
        whole.add(series: "actual", y: all)
        whole.add(series: "forecast", x: forecastX, y: e.forecast, style: .dashed)
        whole.shade(from: Double(n), to: Double(all.count - 1), label: "held out")
        whole.marker(x: Double(n) - 0.5, label: "forecast start")
        if let labels = source.labels { whole.xTickLabels = .sequence(labels, every: labelEvery) }
        let zoomStart = max(0, n - 3 * e.actual.count)
        var zoom = LineChart(title: "Last \(all.count - zoomStart) steps", xLabel: source.labels == nil ? "step" : "date", yLabel: source.name)
        zoom.add(series: "actual", x: (zoomStart..<all.count).map(Double.init), y: Array(all[zoomStart...]))
        zoom.add(series: "forecast", x: forecastX, y: e.forecast, style: .dashed)
        zoom.add(series: "seasonal naive", x: forecastX, y: e.seasonalNaive, style: .dotted)
        zoom.marker(x: Double(n) - 0.5, label: "forecast start")
        if let labels = source.labels { zoom.xTickLabels = .sequence(labels, every: max(1, labelEvery / 4)) }
        try Figure(columns: 2, charts: [whole, zoom]).write(to: URL(fileURLWithPath: path))
    }
}
