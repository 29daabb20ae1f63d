import Foundation
import LoomData
import LoomNN
import LoomOptim

/// How a forecaster produces several future steps.
public enum ForecastStrategy: String, Codable, Sendable, CaseIterable {
    /// Predict one step, append it to the window, repeat (the tutorial's loop).
    case recursive
    /// Predict `horizon` steps at once from a multi-output head.
    case direct
}

/// Everything that defines a forecaster; saved with the model.
public struct ForecasterConfig: Codable, Equatable, Sendable {
    public var window = 12
    public var horizon = 12
    public var model: RecurrentModelKind = .lstm
    public var hiddenSize = 100
    public var numLayers = 1
    public var epochs = 150
    public var learningRate = 1e-3
    public var batchSize = 1
    public var shuffle = false
    public var seed: UInt64 = 0
    public var featureRange: [Double] = [-1, 1]
    public var strategy: ForecastStrategy = .recursive
    public var seasonalPeriod = 12
    public var clipNorm: Double? = nil

    public init() {}

    /// Outputs of the model's head: 1 (recursive) or `horizon` (direct).
    public var outputSize: Int { strategy == .direct ? horizon : 1 }
}

extension JSONEncoder {
    /// An encoder with sorted keys (stable text for comparisons and files).
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

/// Errors of the forecasting pipeline (bad data or diverging training).
public enum ForecastError: Error, CustomStringConvertible, Equatable {
    case seriesTooShort(count: Int, needed: Int, reason: String)
    case nonFiniteValue(index: Int)
    case nonFiniteLoss(epoch: Int, step: Int)
    case nonFiniteWeights(epoch: Int)
    case invalidConfig(String)
    case badModelFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .seriesTooShort(let count, let needed, let reason):
            return "the series has \(count) values but \(needed) are needed (\(reason))"
        case .nonFiniteValue(let i): return "the series holds a non-finite value (NaN or ∞) at index \(i)"
        case .nonFiniteLoss(let epoch, let step): return "training diverged: the loss became NaN or ∞ at epoch \(epoch), step \(step)"
        case .nonFiniteWeights(let epoch):
            return "training diverged: a NaN or ∞ gradient made the weights non-finite during epoch \(epoch)"
        case .invalidConfig(let m): return "invalid forecaster configuration: \(m)"
        case .badModelFile(let path, let reason): return "\(path): not a Loom forecaster file: \(reason)"
        }
    }
}

/// One epoch of training as reported to a progress callback.
public struct EpochReport: Sendable {
    public let epoch: Int
    public let epochs: Int
    public let loss: Double
    public let seconds: Double
}

/// Time-series forecasting with a recurrent network, end to end:
/// scaler fit on the training part → sliding windows → RNN/LSTM/GRU + linear head → training
/// (MSE, Adam) → recursive or direct multi-step forecast → inverse scaling.
public final class Forecaster {
    public let config: ForecasterConfig
    public let model: SequenceRegressor
    public internal(set) var scaler: MinMaxScaler
    /// The (unscaled) series the model was trained on; forecasts continue from its end.
    public internal(set) var history: [Double] = []
    /// Mean training loss of each epoch (scaled units).
    public private(set) var losses: [Double] = []

    public init(config: ForecasterConfig) throws {
        guard config.window > 0 else { throw ForecastError.invalidConfig("window must be positive, got \(config.window)") }
        guard config.horizon > 0 else { throw ForecastError.invalidConfig("horizon must be positive, got \(config.horizon)") }
        guard config.hiddenSize > 0, config.numLayers > 0 else {
            throw ForecastError.invalidConfig("hidden size and layers must be positive, got \(config.hiddenSize) and \(config.numLayers)")
        }
        guard config.epochs >= 0, config.batchSize > 0, config.learningRate > 0 else {
            throw ForecastError.invalidConfig("epochs ≥ 0, batch size > 0 and learning rate > 0 are required")
        }
        guard config.featureRange.count == 2, config.featureRange[0] < config.featureRange[1] else {
            throw ForecastError.invalidConfig("featureRange must be [low, high] with low < high, got \(config.featureRange)")
        }
        self.config = config
        // Initialization draws from a generator of this call's own: deterministic for the seed
        // even while other threads draw from the process-wide one, and without reseeding it.
        model = withSeed(config.seed) {
            SequenceRegressor(kind: config.model, inputSize: 1, hiddenSize: config.hiddenSize,
                              numLayers: config.numLayers, outputSize: config.outputSize)
        }
        scaler = MinMaxScaler(featureRange: (config.featureRange[0], config.featureRange[1]))
    }

    /// Values needed to train: one window plus the targets of one sample.
    public var minimumTrainingLength: Int { config.window + config.outputSize }

    /// Fits the scaler on `series` and trains the model on its windows.
    /// `onEpoch` is called after every epoch; return false from it to stop early.
    /// With `checkpointing`, a checkpoint is written every N epochs and on interruption
    /// (``Interruption``), and training resumes from it exactly (same losses as an uninterrupted
    /// run). A NaN or ∞ loss stops training with ``ForecastError/nonFiniteLoss(epoch:step:)``,
    /// leaving the last good checkpoint in place.
    @discardableResult
    public func fit(_ series: [Double], checkpointing: CheckpointPolicy? = nil,
                    onEpoch: ((EpochReport) -> Bool)? = nil) throws -> [Double] {
        if let bad = series.firstIndex(where: { !$0.isFinite }) { throw ForecastError.nonFiniteValue(index: bad) }
        guard series.count >= minimumTrainingLength else {
            throw ForecastError.seriesTooShort(count: series.count, needed: minimumTrainingLength,
                                               reason: "window \(config.window) + \(config.outputSize) target value(s)")
        }
        history = series
        let scaled = scaler.fitTransform(series)
        let (x, y) = try slidingWindows(scaled, window: config.window, horizon: config.outputSize)
        let loader = DataLoader(TensorDataset(x, y), batchSize: config.batchSize, shuffle: config.shuffle,
                                generator: Generator(seed: config.seed &+ 2))
        let optimizer = Adam(model.parameters(), lr: config.learningRate)
        let parameters = model.parameters()
        let configJSON = String(decoding: try JSONEncoder.sorted.encode(config), as: UTF8.self)
        let loop = CheckpointedLoop(policy: checkpointing, model: model, optimizer: optimizer, configJSON: configJSON)
        // Training draws (dropout) come from a generator of its own; a checkpoint saves and
        // restores that one. `losses` follows the history as it grows (also when training stops
        // with an error).
        losses = try withSeed(config.seed &+ 1) {
            try loop.runEpochs(config.epochs, loader: loader, generator: \.generator, trainEpoch: { epoch, loaderState, history in
                losses = history
                var total = 0.0, steps = 0
                for (bx, by) in loader {
                    try loop.stopIfInterrupted(epoch: epoch, loaderAtEpochStart: loaderState, history: history)
                    optimizer.zeroGrad()
                    let loss = mseLoss(model(bx), by)
                    let value = loss.doubleItem()
                    guard value.isFinite else { throw ForecastError.nonFiniteLoss(epoch: epoch, step: steps + 1) }
                    loss.backward()
                    if let clip = config.clipNorm { clipGradNorm(parameters, maxNorm: clip) }
                    optimizer.step()
                    total += value
                    steps += 1
                }
                // A non-finite gradient with a finite loss shows up in the weights: never checkpoint those.
                guard parameters.allSatisfy(\.allFinite) else { throw ForecastError.nonFiniteWeights(epoch: epoch) }
                return total / Double(max(steps, 1))
            }, report: { epoch, history, seconds in
                losses = history
                return onEpoch?(EpochReport(epoch: epoch, epochs: config.epochs, loss: history.last!, seconds: seconds)) ?? true
            })
        }
        return losses
    }

    /// Forecasts `steps` values after the end of `context` (default: the training series),
    /// in the series' units.
    public func forecast(steps: Int, after context: [Double]? = nil) throws -> [Double] {
        let base = context ?? history
        guard base.count >= config.window else {
            throw ForecastError.seriesTooShort(count: base.count, needed: config.window, reason: "one input window")
        }
        if let bad = base.firstIndex(where: { !$0.isFinite }) { throw ForecastError.nonFiniteValue(index: bad) }
        var window = scaler.transform(Array(base.suffix(config.window)))
        var produced: [Double] = []
        withNoGrad {
            while produced.count < steps {
                let x = Tensor(shape: [1, config.window, 1], scalars: window.map { Float($0) })
                let next = model(x).doubleScalars        // 1 (recursive) or horizon (direct) values
                produced += next
                window = Array((window + next).suffix(config.window))
            }
        }
        return scaler.inverseTransform(Array(produced.prefix(steps)))
    }
}
