import Foundation

/// Decays the learning rate by `gamma` every `stepSize` epochs, like `torch.optim.lr_scheduler.StepLR`:
///
///     lr(e) = base · γ^⌊e / stepSize⌋
public final class StepLR: LRScheduler {
    public let stepSize: Int
    public let gamma: Double

    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Double = 0.1) {
        precondition(stepSize > 0, "StepLR: stepSize must be positive, got \(stepSize)")
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(optimizer: optimizer)
        initialStep()
    }

    public override func learningRate(epoch: Int, base: Double) -> Double {
        base * Foundation.pow(gamma, Double(epoch / stepSize))
    }
}

/// Decays the learning rate by `gamma` at each of the `milestones` epochs, like `MultiStepLR`:
///
///     lr(e) = base · γ^(number of milestones ≤ e)
public final class MultiStepLR: LRScheduler {
    public let milestones: [Int]
    public let gamma: Double

    public init(_ optimizer: Optimizer, milestones: [Int], gamma: Double = 0.1) {
        self.milestones = milestones.sorted()
        self.gamma = gamma
        super.init(optimizer: optimizer)
        initialStep()
    }

    public override func learningRate(epoch: Int, base: Double) -> Double {
        base * Foundation.pow(gamma, Double(milestones.filter { $0 <= epoch }.count))
    }
}
