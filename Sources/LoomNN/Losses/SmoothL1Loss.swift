/// Smooth L1 loss, like `torch.nn.functional.smooth_l1_loss`: Huber loss divided by `beta`.
///
///     ℓ(d) = ½ d² / β       if |d| < β
///            |d| − ½ β      otherwise
///
/// Shapes as ``mseLoss(_:_:reduction:)``. `beta` = 0 gives the L1 loss (default 1).
public func smoothL1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, beta: Double = 1) -> Tensor {
    precondition(beta >= 0, "smoothL1Loss: beta must be non-negative, got \(beta)")
    PointwiseLoss.checkShapes("smoothL1Loss", input, target)
    if beta == 0 { return l1Loss(input, target, reduction: reduction) }
    return PointwiseLoss(
        difference: { d in Swift.abs(d) < beta ? 0.5 * d * d / beta : Swift.abs(d) - 0.5 * beta },
        slope: { d in d < -beta ? -1 : (d > beta ? 1 : d / beta) }
    )("smoothL1Loss", "SmoothL1LossBackward", input, target, reduction: reduction)
}

/// Module form of ``smoothL1Loss(_:_:reduction:beta:)`` (`torch.nn.SmoothL1Loss`).
public final class SmoothL1Loss: Module {
    public let reduction: Reduction
    public let beta: Double

    public init(reduction: Reduction = .mean, beta: Double = 1) {
        self.reduction = reduction
        self.beta = beta
        super.init()
    }

    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        smoothL1Loss(input, target, reduction: reduction, beta: beta)
    }
}
