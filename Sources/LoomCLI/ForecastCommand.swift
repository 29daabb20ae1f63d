import ArgumentParser
import Foundation
import Loom

/// `loom forecast`: trains a recurrent forecaster on a series, forecasts its held-out end and
/// compares with naive baselines. With no `--csv` it reproduces the airline passengers tutorial.
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Train an LSTM/GRU/RNN forecaster and score its forecast of the held-out end of a series.",
        discussion: """
            Without --csv, uses the bundled airline passengers series (1949–1960) in the tutorial's \
            configuration: last 12 months held out, MinMaxScaler(-1, 1) fit on the rest, windows of 12, \
            LSTM(1→100) + Linear, batch 1, MSE, Adam(lr 0.001), 150 epochs, recursive 12-month forecast.
            """
    )

    @OptionGroup var data: SeriesOptions
    @OptionGroup var model: ForecastModelOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Values held out at the end and forecast.")
    var test: Int = 12

    @Option(help: "Rolling-origin backtest over this many folds (each trains a fresh model).")
    var backtestFolds: Int = 0

    @Option(help: "Write an SVG plot: the whole series with the forecast, and the last months zoomed.")
    var plot: String?

    @Option(help: "Save the trained forecaster (weights, scaler, configuration) to this file.")
    var save: String?

    @OptionGroup var safety: CheckpointOptions

    mutating func validate() throws {
        try model.validate()
        guard test > 0 else { throw ValidationError("--test must be positive, got \(test)") }
        guard backtestFolds >= 0 else { throw ValidationError("--backtest-folds must be 0 or positive, got \(backtestFolds)") }
        try OutputOptions.checkWritable(plot, flag: "--plot")
        try OutputOptions.checkWritable(save, flag: "--save")
        try safety.validate()
    }

    func run() throws {
        let source = try data.load()
        var config = model.config
        if model.horizon == nil { config.horizon = test }
        let forecaster = try Forecaster(config: config)
        guard source.values.count >= test + forecaster.minimumTrainingLength else {
            throw CLIError.data("the series \(source.name) has \(source.values.count) values; --test \(test) + --window \(config.window) + \(config.outputSize) target value(s) need \(test + forecaster.minimumTrainingLength)")
        }
        if !output.quiet && !output.json {
            note("Training \(config.model.rawValue.uppercased())(1→\(config.hiddenSize), \(config.numLayers) layer(s)) on \(source.values.count - test) values of \(source.name), \(config.epochs) epochs…")
        }
        let progress = Progress(total: config.epochs, label: "epoch", quiet: output.quiet || output.json)
        let start = DispatchTime.now().uptimeNanoseconds
        Interruption.installSignalHandler()
        let evaluation = try forecaster.evaluate(series: source.values, testCount: test, checkpointing: safety.policy) { report in
            progress.update(report.epoch, metric: String(format: "loss %.5f", report.loss))
            return true
        }
        progress.finish()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var folds: [ForecastEvaluation] = []
        if backtestFolds > 0 {
            folds = try Forecaster.backtest(series: source.values, config: config, testCount: test, folds: backtestFolds) { i, e in
                if !output.quiet && !output.json { note(String(format: "backtest fold %d/%d: RMSE %.3f (seasonal naive %.3f)", i + 1, backtestFolds, e.metrics.rmse, e.seasonalNaiveMetrics.rmse)) }
            }
        }
        if let save { try forecaster.save(to: URL(fileURLWithPath: save)) }
        if let plot { try ForecastReport.plot(evaluation, source: source, labelEvery: config.seasonalPeriod, to: plot) }
        if output.json {
            try ForecastReport.printJSON(evaluation, config: config, source: source, trainSeconds: seconds, folds: folds)
        } else {
            ForecastReport.printText(evaluation, model: config.model, source: source, trainSeconds: seconds, folds: folds)
            if let plot { print("Plot written to \(plot)") }
            if let save { print("Forecaster saved to \(save)") }
        }
    }
}

/// Checkpointing flags shared by the training commands.
struct CheckpointOptions: ParsableArguments {
    @Option(help: "Write a checkpoint every N epochs (and on Ctrl-C).")
    var checkpointEvery: Int?

    @Option(help: "Checkpoint file.")
    var checkpoint: String = "loom-checkpoint.safetensors"

    @Flag(help: "Continue training from --checkpoint (same results as an uninterrupted run).")
    var resume = false

    func validate() throws {
        if let n = checkpointEvery, n <= 0 { throw ValidationError("--checkpoint-every must be positive, got \(n)") }
        if resume && !FileManager.default.fileExists(atPath: checkpoint) {
            throw ValidationError("--resume: no checkpoint at \(checkpoint) (pass --checkpoint PATH)")
        }
        if checkpointEvery != nil || resume { try OutputOptions.checkWritable(checkpoint, flag: "--checkpoint") }
    }

    /// nil when neither flag is given.
    var policy: CheckpointPolicy? {
        guard checkpointEvery != nil || resume else { return nil }
        return CheckpointPolicy(url: URL(fileURLWithPath: checkpoint), every: checkpointEvery ?? Int.max, resume: resume)
    }
}

/// Options choosing the series.
struct SeriesOptions: ParsableArguments {
    @Option(help: "CSV file with the series (default: the bundled airline passengers data).")
    var csv: String?

    @Option(help: "The value column, by header name or 0-based index (required when the file has several numeric columns).")
    var column: String?

    @Option(help: "A column of dates or labels used in tables and plots.")
    var dateColumn: String?

    @Option(help: "Missing cells: error, drop or interpolate.")
    var missing: MissingPolicyArgument = .error

    func validate() throws {
        if csv == nil && (column != nil || dateColumn != nil) {
            throw ValidationError("--column and --date-column need --csv")
        }
    }

    func load() throws -> SeriesSource {
        guard let csv else { return try SeriesSource.airline() }
        return try SeriesSource.csv(path: csv, column: column, dateColumn: dateColumn, missing: missing.policy)
    }
}

enum MissingPolicyArgument: String, ExpressibleByArgument, CaseIterable {
    case error, drop, interpolate
    var policy: MissingValuePolicy {
        switch self {
        case .error: return .error
        case .drop: return .drop
        case .interpolate: return .interpolate
        }
    }
}

extension RecurrentModelKind: ExpressibleByArgument {}
extension ForecastStrategy: ExpressibleByArgument {}

/// Options defining the model and its training.
struct ForecastModelOptions: ParsableArguments {
    @Option(help: "Input window length.") var window: Int = 12
    @Option(help: "Steps predicted per model call with --strategy direct (default: --test).") var horizon: Int?
    @Option(help: "Recurrent layer: lstm, gru or rnn.") var model: RecurrentModelKind = .lstm
    @Option(help: "Hidden units.") var hidden: Int = 100
    @Option(help: "Stacked recurrent layers.") var layers: Int = 1
    @Option(help: "Training epochs.") var epochs: Int = 150
    @Option(help: "Adam learning rate.") var lr: Double = 0.001
    @Option(help: "Windows per batch.") var batch: Int = 1
    @Option(help: "recursive (one step at a time, the tutorial) or direct (all steps at once).") var strategy: ForecastStrategy = .recursive
    @Option(help: "Season length for the seasonal-naive baseline and MASE.") var season: Int = 12
    @Option(help: "Random seed (initialization and shuffling).") var seed: UInt64 = 0
    @Flag(help: "Shuffle the windows every epoch (the tutorial keeps their order).") var shuffle = false

    func validate() throws {
        for (flag, value) in [("--window", window), ("--hidden", hidden), ("--layers", layers), ("--batch", batch), ("--season", season)] where value <= 0 {
            throw ValidationError("\(flag) must be positive, got \(value)")
        }
        if let horizon, horizon <= 0 { throw ValidationError("--horizon must be positive, got \(horizon)") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number, got \(lr)") }
        let gates = model == .lstm ? 4 : (model == .gru ? 3 : 1)
        try MemoryBudget.check(MemoryBudget.trainingBytes(gates: gates, input: 1, hidden: hidden, layers: layers, output: horizon ?? 12),
                               what: "a \(model.rawValue.uppercased()) with --hidden \(hidden) and --layers \(layers)")
    }

    var config: ForecasterConfig {
        var c = ForecasterConfig()
        c.window = window
        c.horizon = horizon ?? 12
        c.model = model
        c.hiddenSize = hidden
        c.numLayers = layers
        c.epochs = epochs
        c.learningRate = lr
        c.batchSize = batch
        c.strategy = strategy
        c.seasonalPeriod = season
        c.seed = seed
        c.shuffle = shuffle
        return c
    }
}

/// Output flags shared by the commands.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print machine-readable JSON instead of tables.") var json = false
    @Flag(help: "No progress output.") var quiet = false

    /// Fails early (before training) when `path`'s folder does not exist or is not writable.
    static func checkWritable(_ path: String?, flag: String) throws {
        guard let path else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw ValidationError("\(flag) \(path): the folder \(folder) does not exist")
        }
        guard isDirectory.boolValue else {
            throw ValidationError("\(flag) \(path): \(folder) is a file, not a folder")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw ValidationError("\(flag) \(path): the folder \(folder) is not writable")
        }
    }
}
