/// Cuts the learning rate when a metric stops improving, like
/// `torch.optim.lr_scheduler.ReduceLROnPlateau`. Call ``step(_:)`` with the metric once per epoch.
///
/// A value is an improvement over the best so far when (mode min, rel) v < best·(1 − threshold),
/// (min, abs) v < best − threshold, (max, rel) v > best·(1 + threshold), (max, abs)
/// v > best + threshold. After more than `patience` epochs without improvement every group's
/// rate becomes max(lr·factor, minLR) (changes smaller than `eps` are skipped) and `cooldown`
/// epochs pass before bad epochs are counted again.
public final class ReduceLROnPlateau {
    public enum Mode: String, Sendable { case min, max }
    public enum ThresholdMode: String, Sendable { case rel, abs }

    public let optimizer: Optimizer
    public let mode: Mode
    public let factor: Double
    public let patience: Int
    public let threshold: Double
    public let thresholdMode: ThresholdMode
    public let cooldown: Int
    public let minLRs: [Double]
    public let eps: Double

    /// The best metric seen (∞ for min mode, −∞ for max before the first step).
    public private(set) var best: Double
    public private(set) var numBadEpochs = 0
    public private(set) var cooldownCounter = 0
    public private(set) var lastEpoch = 0

    public convenience init(_ optimizer: Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                            threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0,
                            minLR: Double = 0, eps: Double = 1e-8) {
        self.init(optimizer, mode: mode, factor: factor, patience: patience, threshold: threshold,
                  thresholdMode: thresholdMode, cooldown: cooldown,
                  minLRs: Array(repeating: minLR, count: optimizer.paramGroups.count), eps: eps)
    }

    /// With one minimum learning rate per parameter group.
    public init(_ optimizer: Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0,
                minLRs: [Double], eps: Double = 1e-8) {
        precondition(factor < 1, "ReduceLROnPlateau: factor should be < 1.0, got \(factor)")
        precondition(minLRs.count == optimizer.paramGroups.count,
                     "ReduceLROnPlateau: expected \(optimizer.paramGroups.count) minLRs (one per group), got \(minLRs.count)")
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLRs = minLRs
        self.eps = eps
        best = mode == .min ? .infinity : -.infinity
    }

    /// True when `value` improves on ``best`` by the threshold.
    public func isBetter(_ value: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .rel): return value < best * (1 - threshold)
        case (.min, .abs): return value < best - threshold
        case (.max, .rel): return value > best * (threshold + 1)
        case (.max, .abs): return value > best + threshold
        }
    }

    /// Records one epoch's metric and reduces the learning rates if it has plateaued.
    public func step(_ metric: Double) {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            numBadEpochs = 0
        } else {
            numBadEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0
        }
        if numBadEpochs > patience {
            for g in optimizer.paramGroups.indices {
                let old = optimizer.paramGroups[g].lr
                let new = Swift.max(old * factor, minLRs[g])
                if old - new > eps { optimizer.paramGroups[g].lr = new }
            }
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
    }

    /// The current learning rates, one per group.
    public var lastLR: [Double] { optimizer.paramGroups.map(\.lr) }

    /// The scheduler's position as data (for checkpoints); includes the current learning rates.
    public func stateDict() -> SchedulerState {
        SchedulerState(kind: "ReduceLROnPlateau", lastEpoch: lastEpoch, baseLRs: lastLR,
                       values: ["best": best, "numBadEpochs": Double(numBadEpochs),
                                "cooldownCounter": Double(cooldownCounter)])
    }

    /// Throws unless ``loadStateDict(_:)`` would succeed; changes nothing.
    public func validate(_ state: SchedulerState) throws {
        try state.validate(kind: "ReduceLROnPlateau", groups: optimizer.paramGroups.count)
        for key in ["best", "numBadEpochs", "cooldownCounter"] where state.values[key] == nil {
            throw SchedulerStateError.missingValue(key)
        }
        if state.values["best"]!.isNaN {
            throw SchedulerStateError.invalidValue(name: "best", value: .nan, expected: "a number or ±inf")
        }
        // Counters are stored as Double; converting NaN or a huge value to Int would trap.
        for key in ["numBadEpochs", "cooldownCounter"] {
            let v = state.values[key]!
            guard v >= 0 && v <= Double(Int32.max) && v.rounded() == v else {
                throw SchedulerStateError.invalidValue(name: key, value: v, expected: "a whole number from 0 to 2^31 - 1")
            }
        }
    }

    /// Restores a position saved by ``stateDict()``, including the learning rates.
    public func loadStateDict(_ state: SchedulerState) throws {
        try validate(state)
        best = state.values["best"]!
        numBadEpochs = Int(state.values["numBadEpochs"]!)
        cooldownCounter = Int(state.values["cooldownCounter"]!)
        lastEpoch = state.lastEpoch
        for g in optimizer.paramGroups.indices { optimizer.paramGroups[g].lr = state.baseLRs[g] }
    }
}
