/// Cross-entropy between logits and targets, like `torch.nn.functional.cross_entropy`:
/// log-softmax over the class dimension followed by the negative log-likelihood.
///
/// Shapes (C classes): input (C), (N, C) or (N, C, d₁, …) holds unnormalized logits. The target
/// is either
/// - **class indices**, shape (), (N) or (N, d₁, …), integer-valued floats (Loom has no integer
///   dtype). Positions equal to `ignoreIndex` contribute nothing, also to the mean's denominator:
///
///       ℓₙ = (1 − ε) · (−w[yₙ] log pₙ[yₙ]) + (ε / C) · (−Σ_c w[c] log pₙ[c])
///       mean = Σₙ ℓₙ / Σₙ w[yₙ]       (over the targets not ignored)
///
/// - **probabilities**, the same shape as the input (soft labels); `ignoreIndex` is not used:
///
///       ℓₙ = −Σ_c w[c] · t̃ₙ[c] · log pₙ[c],   t̃ = (1 − ε) t + ε / C
///       mean = Σₙ ℓₙ / (N · d₁ · …)
///
/// where p = softmax(input) over the class dimension (dimension 1, or 0 for an unbatched input),
/// w the optional per-class `weight` (C) (a constant, no gradient) and ε = `labelSmoothing` in
/// [0, 1]. The form of the target is told by its shape. `.none` returns ℓ in the shape (N, d₁, …).
public func crossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                         reduction: Reduction = .mean, labelSmoothing: Double = 0) -> Tensor {
    precondition(input.rank >= 1, "crossEntropy: input must have a class dimension, got shape \(input.shape)")
    precondition(labelSmoothing >= 0 && labelSmoothing <= 1,
                 "crossEntropy: labelSmoothing must be in [0, 1], got \(labelSmoothing)")
    let classDim = input.rank >= 2 ? 1 : 0
    let classes = input.shape[classDim]
    let logProbs = input.logSoftmax(dim: classDim)
    // The per-class weight shaped to broadcast along the class dimension: (1, C, 1, …).
    let classWeight: Tensor? = weight.map { w in
        precondition(w.shape == [classes],
                     "crossEntropy: weight must have shape [\(classes)] (one per class of input \(input.shape)), got \(w.shape)")
        var shape = [Int](repeating: 1, count: input.rank)
        shape[classDim] = classes
        return w.detach().to(input.dtype).reshape(shape)
    }

    if target.shape == input.shape {
        precondition(target.dtype == input.dtype,
                     "crossEntropy: probability targets (\(target.dtype), shape \(target.shape)) must have the input's dtype \(input.dtype)")
        let smoothed = labelSmoothing > 0 ? target * (1 - labelSmoothing) + labelSmoothing / Double(classes) : target
        var product = logProbs * smoothed
        if let classWeight { product = product * classWeight }
        let losses = -product.sum(dim: classDim)
        switch reduction {
        case .none: return losses
        case .sum: return losses.sum()
        case .mean: return losses.sum() / Double(input.count / Swift.max(classes, 1))
        }
    }

    let targets = ClassIndexTargets(input: input, target: target, weight: weight, ignoreIndex: ignoreIndex,
                                    function: "crossEntropy")
    let nll = targets.negativeLogLikelihood(logProbs, reduction: reduction)
    guard labelSmoothing > 0 else { return nll }
    let weighted = classWeight.map { logProbs * $0 } ?? logProbs
    let kept = Tensor(shape: targets.shape, scalars: targets.classOf.map { $0 == nil ? 0.0 : 1.0 }).to(input.dtype)
    let smooth = -weighted.sum(dim: classDim) * kept
    let reduced: Tensor
    switch reduction {
    case .none: reduced = smooth
    case .sum: reduced = smooth.sum()
    case .mean: reduced = smooth.sum() / targets.totalWeight
    }
    return nll * (1 - labelSmoothing) + reduced * (labelSmoothing / Double(classes))
}

/// Module form of ``crossEntropy(_:_:weight:ignoreIndex:reduction:labelSmoothing:)``
/// (`torch.nn.CrossEntropyLoss`).
public final class CrossEntropyLoss: Module {
    public let weight: Tensor?
    public let ignoreIndex: Int
    public let reduction: Reduction
    public let labelSmoothing: Double

    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean,
                labelSmoothing: Double = 0) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
        self.labelSmoothing = labelSmoothing
        super.init()
    }

    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        crossEntropy(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction,
                     labelSmoothing: labelSmoothing)
    }
}
