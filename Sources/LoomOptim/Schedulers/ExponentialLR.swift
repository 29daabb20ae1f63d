import Foundation

/// Decays the learning rate by `gamma` every epoch, like `torch.optim.lr_scheduler.ExponentialLR`:
///
///     lr(e) = base · γᵉ
public final class ExponentialLR: LRScheduler {
    public let gamma: Double

    public init(_ optimizer: Optimizer, gamma: Double) {
        self.gamma = gamma
        super.init(optimizer: optimizer)
        initialStep()
    }

    public override func learningRate(epoch: Int, base: Double) -> Double {
        base * Foundation.pow(gamma, Double(epoch))
    }
}
