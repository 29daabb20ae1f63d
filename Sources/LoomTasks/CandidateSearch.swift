import Foundation

/// One configuration tried by the automatic forecaster, with its validation score.
public struct CandidateScore: Codable, Equatable, Sendable {
    /// A short description, e.g. `LSTM(32) boxcox(0.13)+diff window 24 direct`.
    public let name: String
    /// The configuration (seed of the first member).
    public let config: ForecasterConfig
    /// Root mean squared error of the members' combined validation forecasts, series units.
    public let validationRMSE: Double
    /// The epoch early stopping kept, per member.
    public let bestEpochs: [Int]
    /// Search stage that proposed it (1: transforms, 2: model, window and strategy around the best).
    public let stage: Int
}

/// What the automatic forecaster tried and why it chose its configuration.
public struct SelectionReport: Codable, Equatable, Sendable {
    public let candidates: [CandidateScore]
    /// Index into `candidates` of the chosen one (smallest validation RMSE).
    public let winner: Int
    /// For each ensemble member, the index into `candidates` of its configuration.
    public let memberCandidates: [Int]
    /// Values held out at the end of the training part for validation, and the origins in them.
    public let validationCount: Int
    public let validationOrigins: Int
    /// True when the time budget stopped the search before every candidate was tried.
    public let budgetExhausted: Bool
    /// The same validation score for the naive and seasonal-naive forecasts from the same
    /// origins, for reference (a network worse than these is not worth its cost).
    public let naiveValidationRMSE: Double
    public let seasonalNaiveValidationRMSE: Double
    public let seconds: Double

    public var chosen: CandidateScore { candidates[winner] }
}

/// The candidate configurations of the automatic forecaster: a first stage over target
/// transforms with a base network, then a second stage varying the network (LSTM/GRU, hidden
/// size), the window and the strategy one at a time around the best transform.
struct CandidateSearch {
    let options: AutoForecastOptions
    let series: [Double]
    /// Values held out for validation.
    let validationCount: Int

    init(series: [Double], options: AutoForecastOptions) throws {
        self.series = series
        self.options = options
        let h = options.horizon
        var count = h * max(1, options.validationBlocks)
        // Keep at least two thirds of the series for training.
        count = min(count, series.count / 3)
        guard count >= 1 else {
            throw ForecastError.seriesTooShort(count: series.count, needed: 3, reason: "validation blocks need at least 3 values")
        }
        validationCount = count
    }

    var period: Int { max(1, options.seasonalPeriod) }
    var trainCount: Int { series.count - validationCount }

    /// The base window: two seasons (a year of monthly data is 24), 12 without a season.
    var baseWindow: Int {
        if let w = options.window { return w }
        return period > 1 ? min(2 * period, 64) : 12
    }

    func transforms() -> [TargetTransform] {
        if let t = options.transform { return [t] }
        // Box-Cox only for positive series whose spread grows with the level: at λ near 1 the
        // transform is nearly linear, which the scaling already covers.
        let positive = series.allSatisfy { $0 > 0 }
        let lambda = positive ? BoxCox.guerreroLambda(Array(series.prefix(trainCount)), period: max(2, period)) : 1
        let powers: [PowerTransform] = positive && lambda < 0.9 ? [.none, .boxCox(lambda: nil)] : [.none]
        var differencing: [Differencing] = [.none, .first]
        if period > 1 { differencing += [.seasonal, .both] }
        return powers.flatMap { p in differencing.map { TargetTransform(power: p, differencing: $0, scaling: .standard) } }
    }

    /// The base configuration for a transform.
    func base(_ transform: TargetTransform) -> ForecasterConfig {
        var c = ForecasterConfig()
        c.transform = transform
        c.window = baseWindow
        c.horizon = options.horizon
        c.model = options.model ?? .lstm
        c.hiddenSize = options.hiddenSize ?? 32
        c.numLayers = options.numLayers ?? 1
        c.strategy = options.strategy ?? .direct
        c.seasonalPeriod = period
        c.learningRate = options.learningRate ?? 3e-3
        c.batchSize = options.batchSize ?? 16
        c.shuffle = true
        c.clipNorm = 1
        c.seed = options.seed
        c.epochs = maxEpochs(c)
        return c
    }

    /// Epochs for about 2000 optimizer steps on the validation split (30 … 300), unless pinned.
    func maxEpochs(_ c: ForecasterConfig) -> Int {
        if let e = options.epochs { return e }
        let windows = max(1, trainCount - c.differencingOrder - c.window - c.outputSize + 1)
        let stepsPerEpoch = (windows + c.batchSize - 1) / c.batchSize
        return min(300, max(30, 2000 / stepsPerEpoch))
    }

    /// Whether the training part is long enough for a configuration (at least 8 windows).
    func fits(_ c: ForecasterConfig) -> Bool {
        trainCount - c.differencingOrder - c.window - c.outputSize + 1 >= 8
    }

    /// Every transform; levels also anchored at each window's last value.
    func stageOne() -> [ForecasterConfig] {
        transforms().flatMap { t -> [ForecasterConfig] in
            var configs = [base(t)]
            if t.differencing == .none && options.anchored != false {
                var anchored = base(t)
                anchored.anchored = true
                configs.append(anchored)
            }
            if options.anchored == true && t.differencing == .none { configs.removeAll { !$0.anchored } }
            return configs
        }.map(shrinkingWindow).filter(fits)
    }

    /// Variations of the best stage-one configuration.
    func stageTwo(around best: ForecasterConfig) -> [ForecasterConfig] {
        var out: [ForecasterConfig] = []
        func add(_ change: (inout ForecasterConfig) -> Void) {
            var c = best
            change(&c)
            c.epochs = maxEpochs(c)
            if fits(c) && c != best && !out.contains(c) { out.append(c) }
        }
        if options.strategy == nil { add { $0.strategy = $0.strategy == .direct ? .recursive : .direct } }
        if options.model == nil { add { $0.model = $0.model == .lstm ? .gru : .lstm } }
        if options.hiddenSize == nil { add { $0.hiddenSize = 64 }; add { $0.hiddenSize = 16 } }
        if options.window == nil {
            add { $0.window = period > 1 ? period : 6 }
            add { $0.window = period > 1 ? min(3 * period, 96) : 24 }
        }
        return out
    }

    /// Shortens the window of a configuration that would not leave enough training windows.
    private func shrinkingWindow(_ c: ForecasterConfig) -> ForecasterConfig {
        var c = c
        while !fits(c) && c.window > 4 && options.window == nil { c.window = max(4, c.window * 2 / 3) }
        c.epochs = maxEpochs(c)
        return c
    }

    /// Validation RMSE of a simple forecast from every origin in the validation part.
    func referenceRMSE(_ forecast: ([Double], Int) -> [Double]) -> Double {
        var total = 0.0, count = 0
        for o in trainCount..<series.count {
            let path = forecast(Array(series[..<o]), min(options.horizon, series.count - o))
            for (k, v) in path.enumerated() { total += (v - series[o + k]) * (v - series[o + k]); count += 1 }
        }
        return (total / Double(max(count, 1))).squareRoot()
    }

    static func name(_ c: ForecasterConfig, lambda: Double?) -> String {
        var t = c.transform
        if case .boxCox = t.power, let lambda { t.power = .boxCox(lambda: lambda) }
        return "\(c.model.rawValue.uppercased())(\(c.hiddenSize)) \(t)\(c.anchored ? " anchored" : "") window \(c.window) \(c.strategy.rawValue)"
    }
}
