/// Scales the learning rate linearly from `startFactor`·base to `endFactor`·base over
/// `totalIters` epochs, then keeps it, like `torch.optim.lr_scheduler.LinearLR`:
///
///     lr(e) = base · (s + (f − s) · min(e, N) / N)
open class LinearLR: LRScheduler {
    public let startFactor: Double
    public let endFactor: Double
    public let totalIters: Int

    public init(_ optimizer: Optimizer, startFactor: Double = 1.0 / 3, endFactor: Double = 1, totalIters: Int = 5) {
        precondition(startFactor >= 0 && startFactor <= 1 && endFactor >= 0 && endFactor <= 1,
                     "LinearLR: factors must be in [0, 1], got startFactor \(startFactor), endFactor \(endFactor)")
        precondition(totalIters > 0, "LinearLR: totalIters must be positive, got \(totalIters)")
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        super.init(optimizer: optimizer)
        initialStep()
    }

    open override func learningRate(epoch: Int, base: Double) -> Double {
        base * (startFactor + (endFactor - startFactor) * Double(Swift.min(epoch, totalIters)) / Double(totalIters))
    }
}

/// Linear warm-up: the learning rate rises from `startFactor`·base to base over `warmupSteps`
/// steps and stays there (``LinearLR`` with `endFactor` 1). With the default `startFactor` 0 the
/// first step runs at lr 0, as in the common "linear schedule with warm-up". Unlike PyTorch's
/// `LinearLR`, a start factor of 0 is allowed (the schedule is evaluated in closed form).
public final class LinearWarmup: LinearLR {
    public init(_ optimizer: Optimizer, warmupSteps: Int, startFactor: Double = 0) {
        super.init(optimizer, startFactor: startFactor, endFactor: 1, totalIters: warmupSteps)
    }
}
