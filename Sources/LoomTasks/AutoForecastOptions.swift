import Foundation

/// How ``ForecastEnsemble`` combines its members' forecasts.
public enum EnsembleCombine: String, Codable, Sendable, CaseIterable {
    case mean, median

    func combine(_ values: [Double]) -> Double {
        switch self {
        case .mean: return values.reduce(0, +) / Double(values.count)
        case .median:
            let s = values.sorted(), n = s.count
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
        }
    }
}

/// Settings of the automatic forecaster (``ForecastEnsemble/fit(_:options:progress:)``).
///
/// Every optional setting left `nil` is chosen on validation blocks; a value pins it.
public struct AutoForecastOptions: Codable, Equatable, Sendable {
    /// Steps each forecast covers (and each validation origin is scored on).
    public var horizon: Int
    /// Season length (12 monthly, 4 quarterly, 52 weekly, 7 daily; 1 for none).
    public var seasonalPeriod: Int
    /// Networks in the ensemble, trained from seeds `seed`, `seed + 1`, ….
    public var members = 10
    public var combine = EnsembleCombine.mean
    /// Members are spread round-robin over this many of the best candidates (1: all from the
    /// winner): combining near-equal configurations is steadier than trusting one validation
    /// ranking. (Measured on the suites of `scripts/forecast-eval`: 10 members over the best 5
    /// candidates, compared on 3 seeds each, were slightly better on both suites than 5 members
    /// over 3 compared on 2, for about 20% more time.)
    public var combineTop = 5
    /// Seeds each candidate is trained from while the configurations are compared (its score
    /// is the error of their combined forecast); more seeds make the choice steadier.
    public var selectionSeeds = 3
    /// Seconds the configuration search may take; the search stops adding candidates when the
    /// next would exceed it (the report says so). Results are deterministic for a seed as long
    /// as the budget does not cut the search.
    public var budgetSeconds = 60.0
    public var seed: UInt64 = 0
    /// Validation blocks of `horizon` values held out at the end of the training part (at most
    /// a third of the series); every value in them is a forecast origin.
    public var validationBlocks = 3
    /// Threads training members and candidates at the same time (default: every core).
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public var transform: TargetTransform?
    /// Windows anchored at their last value (``ForecasterConfig/anchored``); nil tries both for
    /// undifferenced transforms.
    public var anchored: Bool?
    public var model: RecurrentModelKind?
    public var hiddenSize: Int?
    public var window: Int?
    public var strategy: ForecastStrategy?
    /// Maximum epochs (early stopping usually ends training sooner).
    public var epochs: Int?
    public var numLayers: Int?
    public var batchSize: Int?
    public var learningRate: Double?

    public init(horizon: Int, seasonalPeriod: Int) {
        self.horizon = horizon
        self.seasonalPeriod = seasonalPeriod
    }
}
