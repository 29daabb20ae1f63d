/// Mean squared error, like `torch.nn.functional.mse_loss`.
///
/// ℓᵢ = (xᵢ − tᵢ)², then reduced. Shapes: input and target (*) must be the same — a mismatch
/// stops with both shapes, where PyTorch warns and broadcasts (a (N, 1) prediction against a (N)
/// target would compare every pair); the result is 0-d, or the input's shape for `.none`.
/// Gradient: 2(x − t).
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    PointwiseLoss(difference: { $0 * $0 }, slope: { 2 * $0 })("mseLoss", "MseLossBackward", input, target, reduction: reduction)
}

/// Module form of ``mseLoss(_:_:reduction:)`` (`torch.nn.MSELoss`).
public final class MSELoss: Module {
    public let reduction: Reduction

    public init(reduction: Reduction = .mean) {
        self.reduction = reduction
        super.init()
    }

    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        mseLoss(input, target, reduction: reduction)
    }
}
