/// Mean absolute error, like `torch.nn.functional.l1_loss`.
///
/// ℓᵢ = |xᵢ − tᵢ|, then reduced. Shapes: input and target (*) must be the same (no broadcasting;
/// see ``mseLoss(_:_:reduction:)``); the result is 0-d, or the input's shape for `.none`.
/// Gradient: sign(x − t) (0 where x = t, as PyTorch).
public func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    PointwiseLoss(difference: { Swift.abs($0) }, slope: { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })(
        "l1Loss", "L1LossBackward", input, target, reduction: reduction)
}

/// Module form of ``l1Loss(_:_:reduction:)`` (`torch.nn.L1Loss`).
public final class L1Loss: Module {
    public let reduction: Reduction

    public init(reduction: Reduction = .mean) {
        self.reduction = reduction
        super.init()
    }

    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        l1Loss(input, target, reduction: reduction)
    }
}
