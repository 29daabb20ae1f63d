import ArgumentParser
import Foundation
import Loom

/// `loom predict`: forecasts past the end of the data with a saved forecaster.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Forecast past the end of a series with a forecaster saved by `loom forecast --save`."
    )

    @Option(help: "The forecaster file written by `loom forecast --save`.")
    var model: String

    @Option(help: "Continue this series instead of the one the model was trained on (same CSV options as forecast).")
    var csv: String?

    @Option(help: "The value column of --csv, by header name or 0-based index.")
    var column: String?

    @Option(help: "Steps to forecast.")
    var horizon: Int = 12

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard horizon > 0 else { throw ValidationError("--horizon must be positive, got \(horizon)") }
        guard FileManager.default.fileExists(atPath: model) else { throw ValidationError("--model \(model): no such file") }
    }

    func run() throws {
        let forecaster = try Forecaster.load(from: URL(fileURLWithPath: model))
        var context: [Double]? = nil
        if let csv {
            context = try SeriesSource.csv(path: csv, column: column, dateColumn: nil, missing: .error).values
        }
        let values = try forecaster.forecast(steps: horizon, after: context)
        if output.json {
            let data = try JSONSerialization.data(withJSONObject: ["forecast": values], options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (i, v) in values.enumerated() { print("t+\(i + 1)\t" + String(format: "%.3f", v)) }
            print(Sparkline.render(values))
        }
    }
}
