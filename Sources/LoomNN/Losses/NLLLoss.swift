/// Negative log-likelihood of class indices, like `torch.nn.functional.nll_loss`.
///
/// Shapes (C classes): input (C), (N, C) or (N, C, d₁, …) holds log-probabilities; target (),
/// (N) or (N, d₁, …) holds class indices as integer-valued floats (Loom has no integer dtype).
///
///     ℓₙ = −w[yₙ] · input[n, yₙ]      (0 where yₙ = ignoreIndex)
///     mean = Σₙ ℓₙ / Σₙ w[yₙ]         (over the targets not ignored; NaN if all are)
///
/// `weight` (C) rescales each class (a constant, no gradient). `.none` returns ℓ in the target's
/// shape. Gradient: ∂ℓₙ/∂input[n, c] = −w[yₙ] where c = yₙ, else 0.
public func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                    reduction: Reduction = .mean) -> Tensor {
    ClassIndexTargets(input: input, target: target, weight: weight, ignoreIndex: ignoreIndex, function: "nllLoss")
        .negativeLogLikelihood(input, reduction: reduction)
}

/// Module form of ``nllLoss(_:_:weight:ignoreIndex:reduction:)`` (`torch.nn.NLLLoss`).
public final class NLLLoss: Module {
    public let weight: Tensor?
    public let ignoreIndex: Int
    public let reduction: Reduction

    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
        super.init()
    }

    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        nllLoss(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
}
