/// Huber loss, like `torch.nn.functional.huber_loss`: quadratic near zero, linear beyond `delta`.
///
///     ℓ(d) = ½ d²               if |d| < δ
///            δ (|d| − ½ δ)      otherwise,        d = x − t
///
/// Shapes as ``mseLoss(_:_:reduction:)``. `delta` must be positive (default 1).
public func huberLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, delta: Double = 1) -> Tensor {
    precondition(delta > 0, "huberLoss: delta must be positive, got \(delta)")
    return PointwiseLoss(
        difference: { d in Swift.abs(d) < delta ? 0.5 * d * d : delta * (Swift.abs(d) - 0.5 * delta) },
        slope: { d in d < -delta ? -delta : (d > delta ? delta : d) }
    )("huberLoss", "HuberLossBackward", input, target, reduction: reduction)
}

/// Module form of ``huberLoss(_:_:reduction:delta:)`` (`torch.nn.HuberLoss`).
public final class HuberLoss: Module {
    public let reduction: Reduction
    public let delta: Double

    public init(reduction: Reduction = .mean, delta: Double = 1) {
        self.reduction = reduction
        self.delta = delta
        super.init()
    }

    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        huberLoss(input, target, reduction: reduction, delta: delta)
    }
}
