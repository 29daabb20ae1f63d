import Foundation
import Loom

/// What `loom forecast` reports: the forecast of the held-out part (or of the future), its
/// intervals, baselines and metrics, and how the forecaster was chosen.
struct ForecastOutcome {
    let seriesName: String
    let modelName: String
    let train: [Double]
    /// The held-out values (empty when forecasting the future).
    let actual: [Double]
    let forecast: [Double]
    let intervals: [PredictionInterval]
    /// Labels of every known value, and of each forecast step.
    let knownLabels: [String]?
    let stepLabels: [String]
    let naive: [Double]
    let seasonalNaive: [Double]
    /// Other forecasts of the same steps shown beside this one (e.g. the tutorial's network).
    var comparisons: [(name: String, forecast: [Double])] = []
    let period: Int
    let seconds: Double
    let losses: [Double]
    let selection: SelectionReport?
    /// Backtest folds: model metrics, seasonal-naive metrics, coverage of the first interval.
    let folds: [(ForecastMetrics, ForecastMetrics, Double?)]

    var metrics: ForecastMetrics? { score(forecast) }
    var naiveMetrics: ForecastMetrics? { score(naive) }
    var seasonalNaiveMetrics: ForecastMetrics? { score(seasonalNaive) }

    private func score(_ f: [Double]) -> ForecastMetrics? {
        actual.isEmpty ? nil : ForecastMetrics(forecast: f, actual: actual, training: train, seasonalPeriod: period)
    }

    /// The automatic forecaster's outcome.
    init(train: [Double], actual: [Double], forecast: EnsembleForecast, source: SeriesSource, name: String, seconds: Double,
         period: Int, selection: SelectionReport, folds: [(ForecastMetrics, ForecastMetrics, Double?)]) {
        seriesName = source.name
        modelName = name
        self.train = train
        self.actual = actual
        self.forecast = forecast.point
        intervals = forecast.intervals
        knownLabels = source.labels
        stepLabels = Self.labels(source: source, trainCount: train.count, steps: forecast.point.count)
        naive = Baseline.naive(train, steps: forecast.point.count)
        seasonalNaive = Baseline.seasonalOrNaive(train, steps: forecast.point.count, period: period)
        self.period = period
        self.seconds = seconds
        losses = []
        self.selection = selection
        self.folds = folds
    }

    /// The tutorial's outcome (one network, no intervals).
    init(_ e: ForecastEvaluation, source: SeriesSource, name: String, seconds: Double, period: Int,
         folds: [(ForecastMetrics, ForecastMetrics, Double?)]) {
        seriesName = source.name
        modelName = name
        train = e.train
        actual = e.actual
        forecast = e.forecast
        intervals = []
        knownLabels = source.labels
        stepLabels = Self.labels(source: source, trainCount: e.train.count, steps: e.forecast.count)
        naive = e.naive
        seasonalNaive = e.seasonalNaive
        self.period = period
        self.seconds = seconds
        losses = e.losses
        selection = nil
        self.folds = folds
    }

    /// A forecast after the whole of `series` (`loom predict`).
    init(series: SeriesSource, forecast: [Double], intervals: [PredictionInterval], stepLabels: [String], period: Int, name: String) {
        seriesName = series.name
        modelName = name
        train = series.values
        actual = []
        self.forecast = forecast
        self.intervals = intervals
        knownLabels = series.labels
        self.stepLabels = stepLabels
        naive = Baseline.naive(series.values, steps: forecast.count)
        seasonalNaive = Baseline.seasonalOrNaive(series.values, steps: forecast.count, period: period)
        self.period = period
        seconds = 0
        losses = []
        selection = nil
        folds = []
    }

    /// Known labels for held-out steps, future dates after the series' end.
    private static func labels(source: SeriesSource, trainCount: Int, steps: Int) -> [String] {
        let known = source.labels.map { Array($0.dropFirst(trainCount).prefix(steps)) } ?? []
        let future = steps > known.count ? (source.futureLabels(steps - known.count) ?? []) : []
        let labels = known + future
        return (0..<steps).map { $0 < labels.count ? labels[$0] : "t+\($0 + 1)" }
    }
}

/// Tables, JSON and plots for forecasting results.
enum ForecastReport {
    static func printText(_ o: ForecastOutcome) {
        if let s = o.selection {
            print("Chose \(s.chosen.name) in \(String(format: "%.1f", o.seconds)) s: \(s.candidates.count) candidates scored on "
                  + "\(s.validationCount) validation values at the end of the training part"
                  + (s.budgetExhausted ? " (search cut by the time budget)" : "") + ".")
            print("Ensemble of \(s.memberCandidates.count) networks from the candidates marked *, combined; intervals from their validation errors.")
            print("")
            print(pad("  candidate", 54) + pad("validation RMSE", 17) + "best epochs")
            for (i, c) in s.candidates.enumerated() {
                let members = s.memberCandidates.filter { $0 == i }.count
                let mark = members > 0 ? "* " : "  "
                print(mark + pad(c.name, 52) + pad(String(format: "%.4g", c.validationRMSE), 17)
                      + c.bestEpochs.map(String.init).joined(separator: ",") + (members > 0 ? "  (\(members) member\(members > 1 ? "s" : ""))" : ""))
            }
            print("  " + pad("(reference) naive", 52) + String(format: "%.4g", s.naiveValidationRMSE))
            if o.period > 1 { print("  " + pad("(reference) seasonal naive", 52) + String(format: "%.4g", s.seasonalNaiveValidationRMSE)) }
        } else {
            print(String(format: "Trained in %.2f s; final training loss %.5f (scaled MSE).", o.seconds, o.losses.last ?? .nan))
        }
        print("")
        let labelWidth = max(10, (o.stepLabels.map(\.count).max() ?? 0) + 2)
        var header = pad("step", labelWidth) + (o.actual.isEmpty ? "" : pad("actual", 12)) + pad("forecast", 12)
        if !o.actual.isEmpty { header += pad("error", 10) }
        for interval in o.intervals { header += pad(String(format: "%g%% interval", interval.level), 22) }
        print(header)
        for (i, f) in o.forecast.enumerated() {
            var line = pad(o.stepLabels[i], labelWidth)
            if i < o.actual.count { line += pad(number(o.actual[i]), 12) }
            line += pad(number(f), 12)
            if i < o.actual.count { line += pad((f >= o.actual[i] ? "+" : "") + number(f - o.actual[i]), 10) }
            for interval in o.intervals { line += pad(number(interval.lower[i]) + " … " + number(interval.upper[i]), 22) }
            print(line)
        }
        print("")
        let range = range(o)
        print("forecast  " + Sparkline.render(o.forecast, range: range))
        if !o.actual.isEmpty { print("actual    " + Sparkline.render(o.actual, range: range)) }
        if let m = o.metrics, let n = o.naiveMetrics, let sn = o.seasonalNaiveMetrics {
            print("")
            print(pad("model", 16) + ["RMSE", "MAE", "MAPE %", "sMAPE %", "MASE"].map { pad($0, 10) }.joined())
            let others = o.comparisons.compactMap { c in
                ForecastMetrics(forecast: c.forecast, actual: o.actual, training: o.train, seasonalPeriod: o.period)
            }
            for (name, m) in [(o.modelName, m)] + zip(o.comparisons.map(\.name), others) + [("naive", n), ("seasonal naive", sn)] {
                print(pad(name, 16) + [m.rmse, m.mae, m.mape, m.smape, m.mase].map { pad(String(format: "%.3f", $0), 10) }.joined())
            }
            for interval in o.intervals {
                print(String(format: "%g%% interval covers %.0f%% of the held-out values", interval.level, 100 * interval.coverage(of: o.actual)))
            }
        }
        if !o.folds.isEmpty {
            let mean = o.folds.map(\.0.rmse).reduce(0, +) / Double(o.folds.count)
            let base = o.folds.map(\.1.rmse).reduce(0, +) / Double(o.folds.count)
            let coverages = o.folds.compactMap(\.2)
            print("")
            var line = String(format: "Backtest over %d folds: mean RMSE %.3f (seasonal naive %.3f)", o.folds.count, mean, base)
            if !coverages.isEmpty, let level = o.intervals.first?.level {
                line += String(format: "; %g%% intervals covered %.0f%%", level, 100 * coverages.reduce(0, +) / Double(coverages.count))
            }
            print(line)
        }
    }

    private static func number(_ v: Double) -> String {
        Swift.abs(v) >= 100 || v == 0 ? String(format: "%.1f", v) : String(format: "%.4g", v)
    }

    private static func range(_ o: ForecastOutcome) -> ClosedRange<Double> {
        let all = o.actual + o.forecast
        return (all.min() ?? 0)...(all.max() ?? 1)
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func printJSON(_ o: ForecastOutcome, config: ForecasterConfig) throws {
        struct Fold: Encodable { let metrics: ForecastMetrics; let seasonalNaive: ForecastMetrics; let coverage: Double? }
        struct Output: Encodable {
            let series: String
            let model: String
            let config: ForecasterConfig
            let fitSeconds: Double
            let trainSeconds: Double
            let labels: [String]
            let actual: [Double]
            let forecast: [Double]
            let intervals: [PredictionInterval]
            let metrics: ForecastMetrics?
            let naive: ForecastMetrics?
            let seasonalNaive: ForecastMetrics?
            let coverage: [String: Double]
            let seasonalPeriod: Int
            let finalLoss: Double?
            let losses: [Double]
            let selection: SelectionReport?
            let comparisons: [String: [Double]]
            let backtest: [Fold]
            let backtestRMSE: [Double]
        }
        var coverage: [String: Double] = [:]
        if !o.actual.isEmpty { for i in o.intervals { coverage[String(format: "%g", i.level)] = i.coverage(of: o.actual) } }
        let out = Output(series: o.seriesName, model: o.selection?.chosen.name ?? o.modelName, config: config, fitSeconds: o.seconds,
                         trainSeconds: o.seconds, labels: o.stepLabels, actual: o.actual, forecast: o.forecast, intervals: o.intervals,
                         metrics: o.metrics, naive: o.naiveMetrics, seasonalNaive: o.seasonalNaiveMetrics, coverage: coverage,
                         seasonalPeriod: o.period, finalLoss: o.losses.last, losses: o.losses, selection: o.selection,
                         comparisons: Dictionary(o.comparisons.map { ($0.name, $0.forecast) }, uniquingKeysWith: { a, _ in a }),
                         backtest: o.folds.map { Fold(metrics: $0.0, seasonalNaive: $0.1, coverage: $0.2) },
                         backtestRMSE: o.folds.map(\.0.rmse))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        print(String(decoding: try encoder.encode(out), as: UTF8.self))
    }

    /// Two views: the whole series with the forecast and its intervals, and the last seasons
    /// zoomed with the seasonal-naive forecast.
    static func plot(_ o: ForecastOutcome, to path: String) throws {
        let n = o.train.count, all = o.train + o.actual
        let forecastX = (0..<o.forecast.count).map { Double(n + $0) }
        let labels = (o.knownLabels.map { Array($0.prefix(all.count)) } ?? (0..<all.count).map { "\($0)" })
            + o.stepLabels.dropFirst(o.actual.count)
        let xLabel = o.knownLabels == nil ? "step" : "date"
        func draw(_ chart: inout LineChart, from: Int) {
            for interval in o.intervals.sorted(by: { $0.level > $1.level }) {
                chart.bands.append(LineChart.Band(name: String(format: "%g%% interval", interval.level), x: forecastX,
                                                  lower: interval.lower, upper: interval.upper,
                                                  color: PlotColor(css: interval.level >= 90 ? "#9ecae1" : "#4292c6"), opacity: 0.35))
            }
            chart.add(series: "actual", x: (from..<all.count).map(Double.init), y: Array(all[from...]))
            chart.add(series: "forecast", x: forecastX, y: o.forecast, style: .dashed)
            chart.marker(x: Double(n) - 0.5, label: "forecast start")
        }
        var whole = LineChart(title: "Forecast of \(o.seriesName)", xLabel: xLabel, yLabel: o.seriesName)
        draw(&whole, from: 0)
        if !o.actual.isEmpty { whole.shade(from: Double(n), to: Double(all.count - 1), label: "held out") }
        if o.knownLabels != nil { whole.xTickLabels = .sequence(labels, every: max(1, o.period)) }
        let zoomStart = max(0, n - 3 * max(o.forecast.count, o.period))
        var zoom = LineChart(title: "Last \(all.count - zoomStart) steps and the forecast", xLabel: xLabel, yLabel: o.seriesName)
        draw(&zoom, from: zoomStart)
        zoom.add(series: "seasonal naive", x: forecastX, y: o.seasonalNaive, style: .dotted)
        for c in o.comparisons { zoom.add(series: c.name, x: forecastX, y: c.forecast, style: .dotted) }
        if o.knownLabels != nil { zoom.xTickLabels = .sequence(labels, every: max(1, o.period / 4)) }
        try Figure(columns: 2, charts: [whole, zoom]).write(to: URL(fileURLWithPath: path))
    }
}
