import ArgumentParser
import Foundation
import Loom

/// `loom predict`: forecasts past the end of the data with a saved forecaster.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Forecast after the last known value with a forecaster saved by `loom forecast --save`.",
        discussion: """
            Without --csv the forecast continues the series the forecaster was saved with (all of it, \
            held-out values included), labelled with the dates that follow. With --csv it continues \
            a newer series (same CSV options as `loom forecast`).
            """
    )

    @Option(help: "The forecaster file written by `loom forecast --save`.")
    var model: String

    @Option(help: "Continue this series instead of the saved one.")
    var csv: String?

    @Option(help: "The value column of --csv, by header name or 0-based index.")
    var column: String?

    @Option(help: "A column of dates in --csv (found automatically when named like a date).")
    var dateColumn: String?

    @Option(help: "Missing cells of --csv: error, drop or interpolate.")
    var missing: MissingPolicyArgument = .error

    @Option(help: "Steps to forecast.")
    var horizon: Int = 12

    @Option(help: "Prediction-interval levels in percent, comma-separated (ensembles saved by the automatic forecaster).")
    var levels: String = "80,95"

    @Option(help: "Write an SVG plot of the series and the forecast.")
    var plot: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard horizon > 0 else { throw ValidationError("--horizon must be positive, got \(horizon)") }
        if csv == nil && (column != nil || dateColumn != nil) { throw ValidationError("--column and --date-column need --csv") }
        _ = try ForecastModelOptions.parseLevels(levels)
    }

    func run() throws {
        try FileChecks.requireInput(model, flag: "--model")
        try FileChecks.requireWritable(plot, flag: "--plot")
        let url = URL(fileURLWithPath: model)
        var meta: [String: String] = [:]
        _ = try Safetensors.read(url, metadata: &meta)
        let levels = try ForecastModelOptions.parseLevels(self.levels)
        let point: [Double], intervals: [PredictionInterval], history: [Double], period: Int, name: String
        if ForecastEnsemble.isEnsembleFile(metadata: meta) {
            let ensemble = try ForecastEnsemble.load(from: url)
            history = ensemble.history
            period = ensemble.options.seasonalPeriod
            name = ensemble.selection.chosen.name
            let context = try csvSource()
            let f = try ensemble.forecast(steps: horizon, after: context?.values, levels: levels)
            point = f.point
            intervals = f.intervals
        } else {
            let forecaster = try Forecaster.load(from: url)
            history = forecaster.history
            period = forecaster.config.seasonalPeriod
            name = forecaster.config.model.rawValue.uppercased()
            point = try forecaster.forecast(steps: horizon, after: try csvSource()?.values)
            intervals = []
        }
        let source = try csvSource() ?? SeriesSource.saved(metadata: meta, history: history)
        let future = source.futureLabels(horizon) ?? []
        let labels = (0..<horizon).map { $0 < future.count ? future[$0] : "t+\($0 + 1)" }
        if let plot {
            let outcome = ForecastOutcome(series: source, forecast: point, intervals: intervals, stepLabels: labels, period: period, name: name)
            try ForecastReport.plot(outcome, to: plot)
        }
        if output.json {
            struct Output: Encodable {
                let series: String
                let model: String
                let lastKnown: String?
                let labels: [String]
                let forecast: [Double]
                let intervals: [PredictionInterval]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let out = Output(series: source.name, model: name, lastKnown: source.labels?.last, labels: labels, forecast: point, intervals: intervals)
            print(String(decoding: try encoder.encode(out), as: UTF8.self))
        } else {
            if !output.quiet {
                let last = source.labels?.last.map { " (last known value: \($0))" } ?? ""
                print("Forecast of \(source.name) after \(source.values.count) known values\(last) with \(name):")
                print("")
            }
            func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
            print(pad("step", 10) + pad("forecast", 12) + intervals.map { pad(String(format: "%g%% interval", $0.level), 24) }.joined())
            for (k, v) in point.enumerated() {
                print(pad(labels[k], 10) + pad(String(format: "%.3f", v), 12)
                      + intervals.map { pad(String(format: "%.3f … %.3f", $0.lower[k], $0.upper[k]), 24) }.joined())
            }
            print(Sparkline.render(point))
            if let plot { print("Plot written to \(plot)") }
        }
    }

    /// The newer series given with --csv.
    private func csvSource() throws -> SeriesSource? {
        guard let csv else { return nil }
        return try SeriesSource.csv(path: csv, column: column, dateColumn: dateColumn, missing: missing.policy)
    }
}
