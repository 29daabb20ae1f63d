import Foundation

/// Cosine annealing from the base rate to `etaMin` over `tMax` epochs, like
/// `torch.optim.lr_scheduler.CosineAnnealingLR` (without restarts):
///
///     lr(e) = η_min + (base − η_min) · (1 + cos(π e / T_max)) / 2
///
/// Past `tMax` the cosine continues (the rate rises again), as in PyTorch.
public final class CosineAnnealingLR: LRScheduler {
    public let tMax: Int
    public let etaMin: Double

    public init(_ optimizer: Optimizer, tMax: Int, etaMin: Double = 0) {
        precondition(tMax > 0, "CosineAnnealingLR: tMax must be positive, got \(tMax)")
        self.tMax = tMax
        self.etaMin = etaMin
        super.init(optimizer: optimizer)
        initialStep()
    }

    public override func learningRate(epoch: Int, base: Double) -> Double {
        etaMin + (base - etaMin) * (1 + Foundation.cos(Double.pi * Double(epoch) / Double(tMax))) / 2
    }
}
