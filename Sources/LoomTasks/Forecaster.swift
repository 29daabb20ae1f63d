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
///
/// The defaults are the airline tutorial's: windows of 12, LSTM(1→100), batch 1, Adam(lr 1e-3),
/// 150 epochs, levels scaled to [-1, 1], recursive forecasts.
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
    /// Power transform, differencing and scaling of the target (see ``TargetTransform``).
    public var transform = TargetTransform.tutorial
    public var strategy: ForecastStrategy = .recursive
    public var seasonalPeriod = 12
    public var clipNorm: Double? = nil
    /// Each window is anchored at its recent level — the mean of its last season (its last value
    /// without a season): the network sees inputs and predicts targets relative to it (and the
    /// forecast adds it back), so a level model follows a trend or a shift beyond the training
    /// range instead of returning to the levels it was trained on.
    public var anchored = false

    public init() {}

    /// Outputs of the model's head: 1 (recursive) or `horizon` (direct).
    public var outputSize: Int { strategy == .direct ? horizon : 1 }

    /// Values lost to differencing at the start of the series.
    public var differencingOrder: Int { transform.differencing.order(period: max(1, seasonalPeriod)) }

    private enum CodingKeys: String, CodingKey {
        case window, horizon, model, hiddenSize, numLayers, epochs, learningRate, batchSize, shuffle, seed
        case transform, strategy, seasonalPeriod, clipNorm, anchored
        case featureRange          // files written before transforms existed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        window = try c.decode(Int.self, forKey: .window)
        horizon = try c.decode(Int.self, forKey: .horizon)
        model = try c.decode(RecurrentModelKind.self, forKey: .model)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        numLayers = try c.decode(Int.self, forKey: .numLayers)
        epochs = try c.decode(Int.self, forKey: .epochs)
        learningRate = try c.decode(Double.self, forKey: .learningRate)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        shuffle = try c.decode(Bool.self, forKey: .shuffle)
        seed = try c.decode(UInt64.self, forKey: .seed)
        strategy = try c.decode(ForecastStrategy.self, forKey: .strategy)
        seasonalPeriod = try c.decode(Int.self, forKey: .seasonalPeriod)
        clipNorm = try c.decodeIfPresent(Double.self, forKey: .clipNorm)
        anchored = try c.decodeIfPresent(Bool.self, forKey: .anchored) ?? false
        if let t = try c.decodeIfPresent(TargetTransform.self, forKey: .transform) {
            transform = t
        } else {
            let range = try c.decodeIfPresent([Double].self, forKey: .featureRange) ?? [-1, 1]
            guard range.count == 2 else {
                throw DecodingError.dataCorruptedError(forKey: .featureRange, in: c, debugDescription: "expected [low, high], found \(range)")
            }
            transform = TargetTransform(scaling: .minMax(low: range[0], high: range[1]))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(window, forKey: .window)
        try c.encode(horizon, forKey: .horizon)
        try c.encode(model, forKey: .model)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(numLayers, forKey: .numLayers)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(shuffle, forKey: .shuffle)
        try c.encode(seed, forKey: .seed)
        try c.encode(transform, forKey: .transform)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(seasonalPeriod, forKey: .seasonalPeriod)
        try c.encodeIfPresent(clipNorm, forKey: .clipNorm)
        if anchored { try c.encode(anchored, forKey: .anchored) }
    }
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
/// target transform fit on the training part (power → differencing → scaling) → sliding windows
/// → RNN/LSTM/GRU + linear head → training (MSE, Adam) → recursive or direct multi-step forecast
/// → inverse transform.
///
/// One `Forecaster` is one network; ``ForecastEnsemble`` chooses a configuration on validation
/// blocks and combines several of them with prediction intervals.
public final class Forecaster {
    public let config: ForecasterConfig
    public let model: SequenceRegressor
    /// The transform fit on the training series (nil before ``fit(_:validationCount:patience:checkpointing:onEpoch:)``).
    public internal(set) var transform: FittedTransform?
    /// The (unscaled) series forecasts continue from: the training series, or a longer known
    /// series set with ``extendHistory(_:)``.
    public internal(set) var history: [Double] = []
    /// Mean training loss of each epoch (scaled units).
    public private(set) var losses: [Double] = []
    /// Early-stopping record of the last fit with validation values (nil without).
    public private(set) var validation: ValidationRecord?

    public init(config: ForecasterConfig) throws {
        guard config.window > 0 else { throw ForecastError.invalidConfig("window must be positive, got \(config.window)") }
        guard config.horizon > 0 else { throw ForecastError.invalidConfig("horizon must be positive, got \(config.horizon)") }
        guard config.hiddenSize > 0, config.numLayers > 0 else {
            throw ForecastError.invalidConfig("hidden size and layers must be positive, got \(config.hiddenSize) and \(config.numLayers)")
        }
        guard config.epochs >= 0, config.batchSize > 0, config.learningRate > 0 else {
            throw ForecastError.invalidConfig("epochs ≥ 0, batch size > 0 and learning rate > 0 are required")
        }
        guard config.seasonalPeriod > 0 else {
            throw ForecastError.invalidConfig("the seasonal period must be positive, got \(config.seasonalPeriod)")
        }
        if case .minMax(let low, let high) = config.transform.scaling, !(low < high) {
            throw ForecastError.invalidConfig("the min-max range must be [low, high] with low < high, got [\(low), \(high)]")
        }
        if case .boxCox(let lambda?) = config.transform.power, !lambda.isFinite {
            throw ForecastError.invalidConfig("the Box-Cox λ must be finite, got \(lambda)")
        }
        self.config = config
        // Initialization draws from a generator of this call's own: deterministic for the seed
        // even while other threads draw from the process-wide one, and without reseeding it.
        model = withSeed(config.seed) {
            SequenceRegressor(kind: config.model, inputSize: 1, hiddenSize: config.hiddenSize,
                              numLayers: config.numLayers, outputSize: config.outputSize)
        }
    }

    /// Values needed to train: the differencing order, one window and the targets of one sample.
    public var minimumTrainingLength: Int { config.differencingOrder + config.window + config.outputSize }

    /// Fits the transform on `series` and trains the model on its windows.
    ///
    /// With `validationCount` > 0 the last `validationCount` values are held out of training
    /// (and of the transform's fit): after every epoch the model forecasts them from every origin
    /// inside that block (up to `horizon` steps each), the epoch with the smallest mean squared
    /// error (series units) is kept, and its weights are restored at the end (``validation``
    /// records it). Training stops early after `patience` epochs without improvement.
    ///
    /// `onEpoch` is called after every epoch; return false from it to stop early.
    /// With `checkpointing`, a checkpoint is written every N epochs and on interruption
    /// (``Interruption``), and training resumes from it exactly (same losses as an uninterrupted
    /// run). A NaN or ∞ loss stops training with ``ForecastError/nonFiniteLoss(epoch:step:)``,
    /// leaving the last good checkpoint in place.
    @discardableResult
    public func fit(_ series: [Double], validationCount: Int = 0, patience: Int? = nil,
                    checkpointing: CheckpointPolicy? = nil, onEpoch: ((EpochReport) -> Bool)? = nil) throws -> [Double] {
        if let bad = series.firstIndex(where: { !$0.isFinite }) { throw ForecastError.nonFiniteValue(index: bad) }
        guard validationCount >= 0 else { throw ForecastError.invalidConfig("validationCount must be 0 or positive, got \(validationCount)") }
        let train = Array(series.dropLast(validationCount))
        guard train.count >= minimumTrainingLength else {
            throw ForecastError.seriesTooShort(count: train.count, needed: minimumTrainingLength,
                                               reason: "differencing \(config.differencingOrder) + window \(config.window) + \(config.outputSize) target value(s)"
                                                   + (validationCount > 0 ? " after \(validationCount) validation values" : ""))
        }
        if config.transform.power.needsPositiveValues, let bad = series.firstIndex(where: { $0 <= 0 }) {
            throw ForecastError.invalidConfig("the \(config.transform) transform needs positive values, but the value at index \(bad) is \(series[bad])")
        }
        let fitted = FittedTransform(config.transform, period: config.seasonalPeriod, fitOn: train)
        transform = fitted
        history = series
        let scaled = fitted.apply(train)
        var (x, y) = try slidingWindows(scaled, window: config.window, horizon: config.outputSize)
        if config.anchored { (x, y) = Self.anchor(x, y, span: anchorSpan) }
        let loader = DataLoader(TensorDataset(x, y), batchSize: config.batchSize, shuffle: config.shuffle,
                                generator: Generator(seed: config.seed &+ 2))
        let optimizer = Adam(model.parameters(), lr: config.learningRate)
        let parameters = model.parameters()
        let configJSON = String(decoding: try JSONEncoder.sorted.encode(config), as: UTF8.self)
        let loop = CheckpointedLoop(policy: checkpointing, model: model, optimizer: optimizer, configJSON: configJSON)
        let monitor = validationCount > 0
            ? ValidationMonitor(forecaster: self, series: series, firstOrigin: train.count, patience: patience) : nil
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
                let goOn = monitor?.observe(epoch: epoch) ?? true
                let caller = onEpoch?(EpochReport(epoch: epoch, epochs: config.epochs, loss: history.last!, seconds: seconds)) ?? true
                return goOn && caller
            })
        }
        if let monitor { validation = monitor.finish() }
        return losses
    }

    /// Makes forecasts continue after `series` (the training series followed by values known
    /// since, e.g. a held-out test block) without retraining.
    public func extendHistory(_ series: [Double]) throws {
        if let bad = series.firstIndex(where: { !$0.isFinite }) { throw ForecastError.nonFiniteValue(index: bad) }
        history = series
    }

    /// Forecasts `steps` values after the end of `context` (default: ``history``), in the
    /// series' units.
    public func forecast(steps: Int, after context: [Double]? = nil) throws -> [Double] {
        try forecast(steps: steps, origins: [context ?? history])[0]
    }

    /// Forecasts `steps` values after each of `contexts` in one batch, in the series' units.
    public func forecast(steps: Int, origins contexts: [[Double]]) throws -> [[Double]] {
        let fitted = try fittedTransform()
        return try forecastPowered(steps: steps, origins: contexts).map { $0.map(fitted.unpower) }
    }

    /// Like ``forecast(steps:origins:)``, in the power-transformed space (before the inverse
    /// Box-Cox/log), where prediction intervals are placed.
    public func forecastPowered(steps: Int, origins contexts: [[Double]]) throws -> [[Double]] {
        let fitted = try fittedTransform()
        let needed = config.window + fitted.order
        var windows: [[Double]] = []
        for context in contexts {
            guard context.count >= needed else {
                throw ForecastError.seriesTooShort(count: context.count, needed: needed,
                                                   reason: "one input window of \(config.window) after differencing \(fitted.order)")
            }
            if let bad = context.firstIndex(where: { !$0.isFinite }) { throw ForecastError.nonFiniteValue(index: bad) }
            if config.transform.power.needsPositiveValues, let bad = context.firstIndex(where: { $0 <= 0 }) {
                throw ForecastError.invalidConfig("the \(config.transform) transform needs positive values, but the value at index \(bad) is \(context[bad])")
            }
            windows.append(fitted.apply(Array(context.suffix(config.window + fitted.order))))
        }
        let produced = predictScaled(windows: windows, steps: steps)
        return zip(produced, contexts).map { fitted.invertToPowered($0, continuing: $1) }
    }

    /// The network's forecasts in its own (transformed, scaled) space for a batch of windows.
    func predictScaled(windows: [[Double]], steps: Int) -> [[Double]] {
        let w = config.window, batch = windows.count
        var current = windows
        var produced = [[Double]](repeating: [], count: batch)
        guard batch > 0 else { return [] }
        withNoGrad {
            while produced[0].count < steps {
                let span = anchorSpan
                let anchors = current.map { config.anchored ? $0.suffix(span).reduce(0, +) / Double(span) : 0 }
                let x = Tensor(shape: [batch, w, 1], scalars: zip(current, anchors).flatMap { window, a in window.map { Float($0 - a) } })
                let out = model(x).doubleScalars         // (batch, 1) recursive or (batch, horizon) direct
                let k = out.count / batch
                for b in 0..<batch {
                    let next = out[(b * k)..<((b + 1) * k)].map { $0 + anchors[b] }
                    produced[b] += next
                    current[b] = Array((current[b] + next).suffix(w))
                }
            }
        }
        return produced.map { Array($0.prefix(steps)) }
    }

    /// Values averaged for an anchored window's level: its last season (1 without a season).
    var anchorSpan: Int { min(config.window, max(1, config.seasonalPeriod)) }

    /// Windows (N, W, 1) and targets (N, K) relative to the mean of each window's last `span`
    /// values.
    static func anchor(_ x: Tensor, _ y: Tensor, span: Int) -> (Tensor, Tensor) {
        let n = x.shape[0], w = x.shape[1], k = y.shape[1]
        var xs = x.scalars, ys = y.scalars
        for i in 0..<n {
            let a = xs[(i * w + w - span)..<(i * w + w)].reduce(0, +) / Float(span)
            for j in 0..<w { xs[i * w + j] -= a }
            for j in 0..<k { ys[i * k + j] -= a }
        }
        return (Tensor(shape: x.shape, scalars: xs), Tensor(shape: y.shape, scalars: ys))
    }

    func fittedTransform() throws -> FittedTransform {
        guard let transform else { throw ForecastError.invalidConfig("forecast before fit: the forecaster has not been trained") }
        return transform
    }
}
