// Tutorial 000: forecast the last year of the airline passengers series with an LSTM.
//
//     swift run -c release AirlineForecast [flights.csv] [--epochs 150] [--plot airline-forecast.svg]
//
// Every step of the pipeline is written out here. `Forecaster` (and `loom forecast`) package
// the same steps, with metrics and baselines, in one call.
import Foundation
import Loom

// MARK: - Command line

let usage = "usage: AirlineForecast [flights.csv] [--epochs N] [--plot FILE.svg]"
var positional: [String] = [], options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "-h" || argument == "--help" { print(usage); exit(0) }
    if argument.hasPrefix("--") { options[String(argument.dropFirst(2))] = arguments.popFirst() ?? "" }
    else { positional.append(argument) }
}
// 150 epochs, as the tutorial: a few seconds in a release build.
guard let epochs = Int(options["epochs"] ?? "150"), epochs > 0 else {
    print("--epochs expects a positive whole number, got '\(options["epochs"]!)'\n\(usage)"); exit(64)
}
let plotPath = options["plot"] ?? "airline-forecast.svg"

// The data: a path given on the command line, else the project's shared copy next to the package.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let candidates = positional.isEmpty
    ? ["../shared/data/flights.csv", packageRoot.appendingPathComponent("../shared/data/flights.csv").standardizedFileURL.path]
    : [positional[0]]
guard let csvPath = candidates.first(where: FileManager.default.fileExists(atPath:)) else {
    print("Cannot find \(candidates[0]). Pass the path of flights.csv (year,month,passengers) as the first argument.\n\(usage)")
    exit(66)
}

do {
    // MARK: - 1. Load the monthly series (144 months, 1949–1960)
    let table = try CSVTable(contentsOf: URL(fileURLWithPath: csvPath))
    let passengers = try TimeSeries(table: table, columns: ["passengers"]).column(0)
    let months = zip(try table.strings("year"), try table.strings("month")).map { "\($1) \($0)" }
    print("\(csvPath): \(passengers.count) months, \(months.first!) – \(months.last!)")

    // MARK: - 2. Hold out the last 12 months; scale to [-1, 1] with the training part only
    let testCount = 12
    let train = Array(passengers.dropLast(testCount)), test = Array(passengers.suffix(testCount))
    let scaler = MinMaxScaler(featureRange: (-1, 1))
    let trainScaled = scaler.fitTransform(train)        // fit on train: the test year stays unseen

    // MARK: - 3. Windows of 12 months → the next month
    let window = 12
    let (inputs, targets) = try slidingWindows(trainScaled, window: window)   // (N, 12, 1), (N, 1)
    // Batch size 1, sequence-first as in the tutorial: each sample is (T = 12, B = 1, I = 1).
    let samples = (0..<inputs.shape[0]).map { (inputs[$0].reshape([window, 1, 1]), targets[$0]) }
    print("\(samples.count) training windows of \(window) months")

    // MARK: - 4. The model: LSTM(1 → 100) and a linear head on the last time step
    final class PassengerLSTM: Module {
        let lstm = LSTM(inputSize: 1, hiddenSize: 100)
        let linear = Linear(100, 1)

        /// (T, 1, 1) → (1): the next value. The LSTM starts from a zero state on every call,
        /// which is what the tutorial's reset of `hidden_cell` before each sequence does.
        func callAsFunction(_ sequence: Tensor) -> Tensor {
            let (output, _) = lstm(sequence)              // (T, 1, 100)
            return linear(output[-1]).reshape([1])        // last step → (1, 1) → (1)
        }
    }
    manualSeed(0)
    let model = PassengerLSTM()
    print(model)

    // MARK: - 5. Train: MSE loss, Adam(lr 1e-3), one sample per step
    let optimizer = Adam(model.parameters(), lr: 1e-3)
    var epochLosses: [Double] = []
    // Adam's second moments decay into denormal floats; flushing them to zero keeps the loop fast.
    Denormals.flushingToZero {
        for epoch in 1...epochs {
            var total = 0.0
            for (sequence, target) in samples {
                optimizer.zeroGrad()
                let loss = mseLoss(model(sequence), target)
                loss.backward()
                optimizer.step()
                total += loss.doubleItem()
            }
            epochLosses.append(total / Double(samples.count))
            if epoch == 1 || epoch % 25 == 0 || epoch == epochs {
                print(String(format: "epoch %3d  mean loss %.6f", epoch, epochLosses.last!))
            }
        }
    }
    print("loss by epoch: " + Sparkline.render(epochLosses, width: 50))

    // MARK: - 6. Forecast 12 months recursively: each prediction becomes the next input
    model.eval()
    var history = Array(trainScaled.suffix(window))
    withNoGrad {
        for _ in 0..<testCount {
            let last = Tensor(shape: [window, 1, 1], scalars: history.suffix(window).map { Float($0) })
            history.append(model(last).doubleItem())
        }
    }
    let forecast = scaler.inverseTransform(Array(history.suffix(testCount)))   // back to passengers

    // MARK: - 7. Actual vs forecast
    print("\nmonth      actual  forecast")
    for (k, (actual, predicted)) in zip(test, forecast).enumerated() {
        print(String(format: "%@  %6.0f  %8.1f", months[train.count + k], actual, predicted))
    }
    let metrics = ForecastMetrics(forecast: forecast, actual: test, training: train, seasonalPeriod: 12)
    let lastYear = ForecastMetrics(forecast: Baseline.seasonalNaive(train, steps: testCount, period: 12),
                                   actual: test, training: train, seasonalPeriod: 12)
    print(String(format: "RMSE %.1f, MAPE %.1f%%  (repeating the previous year: RMSE %.1f)",
                 metrics.rmse, metrics.mape, lastYear.rmse))

    // MARK: - 8. Plot the whole series with the forecast, and the last three years up close
    var whole = LineChart(title: "Airline passengers: LSTM forecast of the last 12 months",
                          xLabel: "month", yLabel: "passengers (thousands)")
    whole.xTickLabels = .sequence(months, every: 24)
    whole.add(series: "actual", y: passengers)
    whole.add(series: "forecast", y: forecast, xStart: Double(train.count), style: .dashed)
    whole.marker(x: Double(train.count), label: "forecast start")
    var zoom = whole
    zoom.title = "Last 36 months"
    zoom.xTickLabels = .sequence(months, every: 6)
    zoom.xRange = Double(passengers.count - 36)...Double(passengers.count - 1)
    try Figure(columns: 1, charts: [whole, zoom]).write(to: URL(fileURLWithPath: plotPath))
    print("plot written to \(plotPath)")
} catch {
    print("error: \(error)")
    exit(1)
}
