import ArgumentParser
import Foundation
import Loom

/// `loom forecast`: chooses and trains a recurrent forecaster on a series, forecasts its
/// held-out end (or, with `--test 0`, the future) with prediction intervals and compares with
/// naive baselines. `--preset tutorial` reproduces the airline passengers tutorial instead.
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Train an LSTM/GRU forecaster (chosen automatically) and forecast a series with prediction intervals.",
        discussion: """
            By default (--auto) a configuration is chosen on rolling validation blocks at the end of \
            the training part: target transform (Box-Cox, differencing), LSTM or GRU, hidden size, \
            window and strategy; then an ensemble of --members networks is trained and combined, with \
            prediction intervals from the validation errors. Flags such as --model, --hidden, --window, \
            --strategy, --transform and --epochs pin that choice.
            --preset tutorial runs the airline passengers tutorial's configuration instead: last 12 \
            months held out, MinMaxScaler(-1, 1) fit on the rest, windows of 12, LSTM(1→100) + Linear, \
            batch 1, MSE, Adam(lr 0.001), 150 epochs, recursive 12-month forecast.
            Without --csv the bundled airline passengers series (1949–1960) is used.
            """
    )

    @OptionGroup var data: SeriesOptions
    @OptionGroup var model: ForecastModelOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Values held out at the end and forecast (default: one season, 10 without a season). 0 trains on the whole series and forecasts --horizon future steps.")
    var test: Int?

    @Option(help: "Rolling-origin backtest over this many folds (each trains a fresh forecaster).")
    var backtestFolds: Int = 0

    @Option(help: "Write an SVG plot: the whole series with the forecast and its intervals, and the last seasons zoomed.")
    var plot: String?

    @Option(help: "Save the trained forecaster to this file (forecasts of `loom predict` continue after the last known value).")
    var save: String?

    @Flag(help: "Also train the tutorial's network on the same data and show its forecast beside the automatic one.")
    var compareTutorial = false

    @OptionGroup var safety: CheckpointOptions

    mutating func validate() throws {
        try data.validate()
        try model.validate()
        if let test, test < 0 { throw ValidationError("--test must be 0 or positive, got \(test)") }
        if test == 0 && model.preset == .tutorial { throw ValidationError("--test 0 needs the automatic forecaster (the tutorial holds out a test part)") }
        if compareTutorial && model.preset == .tutorial { throw ValidationError("--compare-tutorial compares the automatic forecaster with the tutorial; drop --preset tutorial") }
        guard backtestFolds >= 0 else { throw ValidationError("--backtest-folds must be 0 or positive, got \(backtestFolds)") }
        if backtestFolds > 0 && test == 0 { throw ValidationError("--backtest-folds needs a test part (--test > 0)") }
        if model.preset != .tutorial && (safety.checkpointEvery != nil || safety.resume) {
            throw ValidationError("--checkpoint-every and --resume apply to --preset tutorial (the automatic forecaster trains many small networks; rerun it instead)")
        }
        try safety.validate()
    }

    func run() throws {
        // Files are checked here, not in validate(): ArgumentParser reports every validation error
        // as a usage error (64), while a missing input is 66 and an unwritable output 73.
        try FileChecks.requireWritable(plot, flag: "--plot")
        try FileChecks.requireWritable(save, flag: "--save")
        try safety.checkFiles()
        let source = try data.load()
        let period = model.season ?? source.seasonalPeriod ?? 12
        if model.preset == .tutorial {
            try runTutorial(source, period: period)
        } else {
            try runAuto(source, period: period)
        }
    }

    /// The tutorial's single network (and explicit flags on top of it).
    private func runTutorial(_ source: SeriesSource, period: Int) throws {
        let test = self.test ?? 12
        var config = model.tutorialConfig(period: period)
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
        let outcome = ForecastOutcome(evaluation, source: source, name: config.model.rawValue.uppercased(), seconds: seconds,
                                      period: period, folds: folds.map { ($0.metrics, $0.seasonalNaiveMetrics, nil) })
        if let save {
            // Forecasts of the saved model continue after the last known value.
            try forecaster.extendHistory(source.values)
            try forecaster.save(to: URL(fileURLWithPath: save), extraMetadata: source.metadata)
        }
        try finish(outcome, config: config)
    }

    /// The automatic forecaster: configuration search, ensemble, intervals.
    private func runAuto(_ source: SeriesSource, period: Int) throws {
        let test = self.test ?? (period > 1 ? period : 10)
        let horizon = model.horizon ?? (test > 0 ? test : (period > 1 ? period : 10))
        let options = model.autoOptions(horizon: max(horizon, test), period: period)
        let train = Array(source.values.dropLast(test)), actual = Array(source.values.suffix(test))
        // Validation blocks (a third of the training part), a window and the targets of 8 samples.
        let needed = test + (3 * (options.horizon + 11) + 1) / 2
        guard source.values.count >= needed else {
            throw CLIError.data("the series \(source.name) has \(source.values.count) values; the automatic forecaster needs at least \(needed) "
                                + "for --test \(test) and a horizon of \(options.horizon) (validation blocks, a window and 8 training samples); "
                                + "use a smaller --test or --horizon")
        }
        let quiet = output.quiet || output.json
        if !quiet {
            note("Choosing a forecaster for \(train.count) values of \(source.name) (season \(period), \(options.members) members, budget \(Int(options.budgetSeconds)) s)…")
        }
        Interruption.installSignalHandler()
        let start = DispatchTime.now().uptimeNanoseconds
        let ensemble = try ForecastEnsemble.fit(train, options: options, progress: quiet ? nil : { note($0) })
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let steps = test > 0 ? test : horizon
        let forecast = try ensemble.forecast(steps: steps, levels: model.levelValues)
        var folds: [(ForecastMetrics, ForecastMetrics, Double?)] = []
        if backtestFolds > 0 {
            for fold in 0..<backtestFolds {
                let end = source.values.count - (backtestFolds - 1 - fold) * test
                let part = Array(source.values.prefix(end))
                let foldTrain = Array(part.dropLast(test)), foldActual = Array(part.suffix(test))
                let e = try ForecastEnsemble.fit(foldTrain, options: options)
                let f = try e.forecast(steps: test, levels: model.levelValues)
                let m = ForecastMetrics(forecast: f.point, actual: foldActual, training: foldTrain, seasonalPeriod: period)
                let s = ForecastMetrics(forecast: Baseline.seasonalOrNaive(foldTrain, steps: test, period: period), actual: foldActual,
                                        training: foldTrain, seasonalPeriod: period)
                let coverage = f.intervals.first?.coverage(of: foldActual)
                if !quiet { note(String(format: "backtest fold %d/%d: RMSE %.3f (seasonal naive %.3f)", fold + 1, backtestFolds, m.rmse, s.rmse)) }
                folds.append((m, s, coverage))
            }
        }
        var outcome = ForecastOutcome(train: train, actual: actual, forecast: forecast, source: source,
                                      name: "Loom (auto)", seconds: seconds, period: period, selection: ensemble.selection, folds: folds)
        if compareTutorial {
            if !quiet { note("Training the tutorial's LSTM(1→100) on the same values for comparison…") }
            var config = try ForecastModelOptions.parse([]).tutorialConfig(period: period)
            config.horizon = steps
            let tutorial = try Forecaster(config: config)
            try tutorial.fit(train)
            outcome.comparisons.append((name: "tutorial LSTM", forecast: try tutorial.forecast(steps: steps)))
        }
        if let save {
            try ensemble.extendHistory(source.values)
            try ensemble.save(to: URL(fileURLWithPath: save), extraMetadata: source.metadata)
        }
        try finish(outcome, config: ensemble.config)
    }

    private func finish(_ outcome: ForecastOutcome, config: ForecasterConfig) throws {
        if let plot { try ForecastReport.plot(outcome, to: plot) }
        if output.json {
            try ForecastReport.printJSON(outcome, config: config)
        } else {
            ForecastReport.printText(outcome)
            if let plot { print("Plot written to \(plot)") }
            if let save { print("Forecaster saved to \(save)") }
        }
    }
}

/// Checkpointing flags shared by the training commands.
struct CheckpointOptions: ParsableArguments {
    @Option(help: "Write a checkpoint every N epochs (one is always written on Ctrl-C or SIGTERM).")
    var checkpointEvery: Int?

    @Option(help: "Checkpoint file: written every --checkpoint-every epochs and when training is interrupted.")
    var checkpoint: String = "loom-checkpoint.safetensors"

    @Flag(help: "Continue training from --checkpoint (same results as an uninterrupted run).")
    var resume = false

    func validate() throws {
        if let n = checkpointEvery, n <= 0 { throw ValidationError("--checkpoint-every must be positive, got \(n)") }
    }

    /// Always a policy: without `--checkpoint-every` nothing is written unless the run is
    /// interrupted (Ctrl-C, SIGTERM), which then saves `--checkpoint` so the work is not lost.
    var policy: CheckpointPolicy {
        CheckpointPolicy(url: URL(fileURLWithPath: checkpoint), every: checkpointEvery ?? Int.max, resume: resume)
    }
}

/// Options choosing the series.
struct SeriesOptions: ParsableArguments {
    @Option(help: "CSV file with the series (default: the bundled airline passengers data).")
    var csv: String?

    @Option(help: "The value column, by header name or 0-based index (required when the file has several numeric columns).")
    var column: String?

    @Option(help: "A column of dates (their spacing sets the season and labels the forecast) or labels.")
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

/// Which fixed configuration to start from.
enum ForecastPreset: String, ExpressibleByArgument, CaseIterable {
    /// The automatic forecaster (the default).
    case auto
    /// The airline tutorial's LSTM(1→100), 150 epochs, batch 1, levels in [-1, 1].
    case tutorial
}

/// Options defining the model and its training. Unset options are chosen by the automatic
/// forecaster, or take the tutorial's values with `--preset tutorial`.
struct ForecastModelOptions: ParsableArguments {
    @Option(help: "auto (choose on validation blocks, the default) or tutorial (the airline tutorial's fixed configuration).")
    var preset: ForecastPreset = .auto
    @Flag(help: "The automatic forecaster (the default; same as --preset auto).") var auto = false
    @Option(help: "Input window length (default: chosen; tutorial 12).") var window: Int?
    @Option(help: "Steps predicted per forecast (default: --test, or one season with --test 0).") var horizon: Int?
    @Option(help: "Recurrent layer: lstm, gru or rnn (default: chosen; tutorial lstm).") var model: RecurrentModelKind?
    @Option(help: "Hidden units (default: chosen; tutorial 100).") var hidden: Int?
    @Option(help: "Stacked recurrent layers (default 1).") var layers: Int?
    @Option(help: "Training epochs (automatic: the most, early stopping picks; tutorial 150).") var epochs: Int?
    @Option(help: "Adam learning rate (tutorial 0.001).") var lr: Double?
    @Option(help: "Windows per batch (tutorial 1).") var batch: Int?
    @Option(help: "recursive (one step at a time) or direct (all steps at once) (default: chosen; tutorial recursive).") var strategy: ForecastStrategy?
    @Option(help: "Target transform: levels, log, boxcox, diff, sdiff, diff+sdiff and combinations such as boxcox+diff (default: chosen).")
    var transform: String?
    @Option(help: "Anchor undifferenced windows at their recent level and try only those among the level models (measured better on both evaluation suites); false tries unanchored levels instead.")
    var anchored: Bool = true
    @Option(help: "Season length (default: from the dates — monthly 12, quarterly 4, weekly 52, daily 7 — else 12).") var season: Int?
    @Option(help: "Networks in the ensemble (automatic forecaster).") var members: Int = 10
    @Option(help: "How members are combined: mean or median.") var combine: EnsembleCombine = .mean
    @Option(help: "Spread the members over this many of the best candidates.") var combineTop: Int = 5
    @Option(help: "Seeds each candidate is trained from while candidates are compared.") var selectionSeeds: Int = 3
    @Option(help: "Seconds the configuration search may take.") var budget: Double = 60
    @Option(help: "Prediction-interval levels in percent, comma-separated.") var levels: String = "80,95"
    @Option(help: "Random seed (initialization and shuffling).") var seed: UInt64 = 0
    @Flag(help: "Shuffle the windows every epoch (the tutorial keeps their order).") var shuffle = false

    func validate() throws {
        if auto && preset == .tutorial { throw ValidationError("--auto and --preset tutorial exclude each other") }
        for (flag, value) in [("--window", window), ("--hidden", hidden), ("--layers", layers), ("--batch", batch), ("--season", season), ("--members", members), ("--combine-top", combineTop), ("--selection-seeds", selectionSeeds)] {
            if let value, value <= 0 { throw ValidationError("\(flag) must be positive, got \(value)") }
        }
        if let horizon, horizon <= 0 { throw ValidationError("--horizon must be positive, got \(horizon)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number, got \(lr)") }
        guard budget > 0, budget.isFinite else { throw ValidationError("--budget must be a positive number of seconds, got \(budget)") }
        if let transform, TargetTransform(name: transform) == nil {
            throw ValidationError("--transform: expected levels, log, boxcox, diff, sdiff or a combination such as boxcox+diff, got '\(transform)'")
        }
        _ = try Self.parseLevels(levels)
        let kind = model ?? .lstm
        let gates = kind == .lstm ? 4 : (kind == .gru ? 3 : 1)
        let h = hidden ?? (preset == .tutorial ? 100 : 64)
        try MemoryBudget.check(MemoryBudget.trainingBytes(gates: gates, input: 1, hidden: h, layers: layers ?? 1, output: horizon ?? 12),
                               what: "a \(kind.rawValue.uppercased()) with --hidden \(h) and --layers \(layers ?? 1)")
    }

    /// Interval levels from a comma-separated list of percentages (`80,95`).
    static func parseLevels(_ text: String) throws -> [Double] {
        try text.split(separator: ",").map { part in
            guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v > 0, v < 100 else {
                throw ValidationError("--levels: expected percentages between 0 and 100 separated by commas (e.g. 80,95), got '\(text)'")
            }
            return v
        }
    }

    /// `--levels`, already checked by validate().
    var levelValues: [Double] { (try? Self.parseLevels(levels)) ?? [] }

    /// The tutorial's configuration with the given flags on top.
    func tutorialConfig(period: Int) -> ForecasterConfig {
        var c = ForecasterConfig()
        c.window = window ?? 12
        c.horizon = horizon ?? 12
        c.model = model ?? .lstm
        c.hiddenSize = hidden ?? 100
        c.numLayers = layers ?? 1
        c.epochs = epochs ?? 150
        c.learningRate = lr ?? 1e-3
        c.batchSize = batch ?? 1
        c.strategy = strategy ?? .recursive
        c.seasonalPeriod = period
        c.seed = seed
        c.shuffle = shuffle
        if let transform, let t = TargetTransform(name: transform, scaling: .minMax(low: -1, high: 1)) { c.transform = t }
        return c
    }

    /// The automatic forecaster's settings; flags given pin their choice.
    func autoOptions(horizon: Int, period: Int) -> AutoForecastOptions {
        var o = AutoForecastOptions(horizon: horizon, seasonalPeriod: period)
        o.members = members
        o.combine = combine
        o.combineTop = combineTop
        o.selectionSeeds = selectionSeeds
        o.budgetSeconds = budget
        o.seed = seed
        o.transform = transform.flatMap { TargetTransform(name: $0) }
        o.anchored = anchored
        o.model = model
        o.hiddenSize = hidden
        o.window = window
        o.strategy = strategy
        o.epochs = epochs
        o.numLayers = layers
        o.batchSize = batch
        o.learningRate = lr
        return o
    }
}

extension EnsembleCombine: ExpressibleByArgument {}

/// Output flags shared by the commands.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print machine-readable JSON instead of tables.") var json = false
    @Flag(help: "No progress output.") var quiet = false
}
