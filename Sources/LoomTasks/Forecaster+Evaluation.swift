import Foundation

/// A held-out evaluation: the model's forecast next to the naive and seasonal-naive baselines.
public struct ForecastEvaluation: Codable, Sendable {
    public let train: [Double]
    public let actual: [Double]
    public let forecast: [Double]
    public let naive: [Double]
    public let seasonalNaive: [Double]
    public let metrics: ForecastMetrics
    public let naiveMetrics: ForecastMetrics
    public let seasonalNaiveMetrics: ForecastMetrics
    public let losses: [Double]
}

extension Forecaster {
    /// Holds out the last `testCount` values, trains on the rest, forecasts the held-out part and
    /// scores it against the baselines (MASE scaled by the seasonal-naive error in-sample).
    public func evaluate(series: [Double], testCount: Int, checkpointing: CheckpointPolicy? = nil,
                         onEpoch: ((EpochReport) -> Bool)? = nil) throws -> ForecastEvaluation {
        guard testCount > 0 else { throw ForecastError.invalidConfig("the test part must hold at least 1 value, got \(testCount)") }
        guard series.count >= testCount + minimumTrainingLength else {
            throw ForecastError.seriesTooShort(count: series.count, needed: testCount + minimumTrainingLength,
                                               reason: "\(testCount) test values + window \(config.window) + \(config.outputSize) target value(s)")
        }
        let train = Array(series.dropLast(testCount)), actual = Array(series.suffix(testCount))
        let losses = try fit(train, checkpointing: checkpointing, onEpoch: onEpoch)
        let predicted = try forecast(steps: testCount)
        let period = config.seasonalPeriod
        let naive = Baseline.naive(train, steps: testCount)
        let seasonal = train.count >= period ? Baseline.seasonalNaive(train, steps: testCount, period: period) : naive
        func score(_ f: [Double]) -> ForecastMetrics {
            ForecastMetrics(forecast: f, actual: actual, training: train, seasonalPeriod: period)
        }
        return ForecastEvaluation(train: train, actual: actual, forecast: predicted, naive: naive, seasonalNaive: seasonal,
                                  metrics: score(predicted), naiveMetrics: score(naive), seasonalNaiveMetrics: score(seasonal),
                                  losses: losses)
    }

    /// Rolling-origin backtest: fold i trains on everything before its test block of `testCount`
    /// values (blocks end at the series' end, stepping back `testCount` each fold) with a fresh
    /// model of the same configuration.
    public static func backtest(series: [Double], config: ForecasterConfig, testCount: Int, folds: Int,
                                onFold: ((Int, ForecastEvaluation) -> Void)? = nil) throws -> [ForecastEvaluation] {
        guard folds > 0 else { throw ForecastError.invalidConfig("folds must be positive, got \(folds)") }
        var results: [ForecastEvaluation] = []
        for fold in 0..<folds {
            let end = series.count - (folds - 1 - fold) * testCount
            let evaluation = try Forecaster(config: config).evaluate(series: Array(series.prefix(end)), testCount: testCount)
            onFold?(fold, evaluation)
            results.append(evaluation)
        }
        return results
    }

    // MARK: Saving

    /// Writes model weights, fitted transform, configuration and history to one safetensors file
    /// (`extraMetadata` joins the file's metadata, e.g. the dates of the series).
    public func save(to url: URL, extraMetadata: [String: String] = [:]) throws {
        guard let transform else { throw ForecastError.invalidConfig("save before fit: the forecaster has not been trained") }
        var meta = extraMetadata
        meta["loom.format"] = "forecaster/2"
        meta["loom.config"] = String(decoding: try JSONEncoder.sorted.encode(config), as: UTF8.self)
        meta["loom.transform"] = String(decoding: try JSONEncoder.sorted.encode(transform), as: UTF8.self)
        meta["loom.history"] = String(decoding: try JSONEncoder.sorted.encode(history), as: UTF8.self)
        try model.save(to: url, metadata: meta)
    }

    /// Reads a file written by ``save(to:extraMetadata:)`` (or by earlier versions, format
    /// `forecaster/1`, which stored a min-max scaler).
    public static func load(from url: URL) throws -> Forecaster {
        var meta: [String: String] = [:]
        let tensors = try Safetensors.read(url, metadata: &meta)
        return try load(tensors: tensors, metadata: meta, path: url.path)
    }

    static func load(tensors: [String: Tensor], metadata meta: [String: String], path: String) throws -> Forecaster {
        let format = meta["loom.format"]
        guard format == "forecaster/2" || format == "forecaster/1" else {
            throw ForecastError.badModelFile(path: path, reason: "missing loom.format = forecaster/2 metadata (found \(format ?? "none"))")
        }
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
            guard let text = meta[key], let value = try? decoder.decode(T.self, from: Data(text.utf8)) else {
                throw ForecastError.badModelFile(path: path, reason: "metadata \(key) is missing or malformed")
            }
            return value
        }
        let config = try decode(ForecasterConfig.self, "loom.config")
        let forecaster = try Forecaster(config: config)
        if format == "forecaster/1" {
            let scaler = try decode(MinMaxScaler.self, "loom.scaler")
            guard scaler.scale.count == 1 else { throw ForecastError.badModelFile(path: path, reason: "loom.scaler is not fitted on one feature") }
            forecaster.transform = FittedTransform(transform: config.transform, period: config.seasonalPeriod, lambda: nil,
                                                   multiplier: scaler.scale[0], offset: scaler.offset[0])
        } else {
            forecaster.transform = try decode(FittedTransform.self, "loom.transform")
        }
        forecaster.history = try decode([Double].self, "loom.history")
        do { try forecaster.model.loadStateDict(tensors) } catch {
            throw ForecastError.badModelFile(path: path, reason: "\(error)")
        }
        forecaster.model.eval()
        return forecaster
    }
}
