import LoomTensor

/// What early stopping saw while a ``Forecaster`` trained with validation values held out.
public struct ValidationRecord: Codable, Equatable, Sendable {
    /// The epoch whose weights were kept (1-based).
    public let bestEpoch: Int
    /// Mean squared error of that epoch's validation forecasts, in the series' units.
    public let bestError: Double
    /// The validation error after every epoch trained.
    public let errors: [Double]
    /// Index in the series of each validation origin (the first forecast value).
    public let origins: [Int]
    /// The kept epoch's forecasts from each origin, `horizon` steps each (steps past the series'
    /// end included), in the power-transformed space.
    public let poweredForecasts: [[Double]]
}

/// Rolling-origin validation during training: after each epoch, forecasts the held-out block
/// from every origin inside it, keeps the best epoch's weights and asks to stop after `patience`
/// epochs without improvement.
final class ValidationMonitor {
    private let forecaster: Forecaster
    private let series: [Double]
    private let origins: [Int]
    private let patience: Int?
    private var errors: [Double] = []
    private var best: (epoch: Int, error: Double, weights: [Tensor], forecasts: [[Double]])?

    init(forecaster: Forecaster, series: [Double], firstOrigin: Int, patience: Int?) {
        self.forecaster = forecaster
        self.series = series
        self.origins = Array(firstOrigin..<series.count)
        self.patience = patience
    }

    /// Scores the current weights; false when training should stop.
    func observe(epoch: Int) -> Bool {
        let model = forecaster.model
        model.eval()
        defer { model.train() }
        let horizon = forecaster.config.horizon
        let contexts = origins.map { Array(series[..<$0]) }
        let error: Double
        let powered: [[Double]]
        if let p = try? forecaster.forecastPowered(steps: horizon, origins: contexts), let fitted = forecaster.transform {
            powered = p
            var total = 0.0, count = 0
            for (o, path) in zip(origins, p) {
                for (k, z) in path.enumerated() where o + k < series.count {
                    let e = fitted.unpower(z) - series[o + k]
                    total += e * e
                    count += 1
                }
            }
            error = count > 0 && total.isFinite ? total / Double(count) : .infinity
        } else {
            powered = []
            error = .infinity
        }
        errors.append(error)
        if best == nil || error < best!.error {
            best = (epoch, error, withNoGrad { model.parameters().map { $0.clone() } }, powered)
        }
        if let patience, let best, epoch - best.epoch >= patience { return false }
        return true
    }

    /// Restores the best epoch's weights and returns the record.
    func finish() -> ValidationRecord? {
        guard let best else { return nil }
        for (p, saved) in zip(forecaster.model.parameters(), best.weights) { p.copy(from: saved) }
        return ValidationRecord(bestEpoch: best.epoch, bestError: best.error, errors: errors, origins: origins,
                                poweredForecasts: best.forecasts)
    }
}
