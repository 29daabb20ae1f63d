import Foundation

/// Binary cross-entropy on logits, like `torch.nn.functional.binary_cross_entropy_with_logits`:
/// a sigmoid and a BCE in one numerically stable step.
///
///     ℓᵢ = wᵢ · [ (1 − tᵢ) xᵢ + lᵢ · softplus(−xᵢ) ],   lᵢ = 1 + (pᵢ − 1) tᵢ
///     softplus(−x) = log(1 + e^(−|x|)) + max(−x, 0)
///
/// which equals −wᵢ [pᵢ tᵢ log σ(xᵢ) + (1 − tᵢ) log(1 − σ(xᵢ))].
/// Shapes: input and target (*) must be the same (as PyTorch, which refuses other shapes here);
/// `weight` (rescales each element) and `posWeight` (p, the weight of positive examples, usually
/// shape (C) for C classes in the last dimension) broadcast to them. Targets may be soft (any value in [0, 1]).
/// Gradients: ∂/∂x = w [(1 − t) − l σ(−x)], ∂/∂t = w [−x + (p − 1) softplus(−x)].
/// `weight` and `posWeight` are constants (no gradient flows into them).
public func bceWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, posWeight: Tensor? = nil,
                          reduction: Reduction = .mean) -> Tensor {
    PointwiseLoss.checkShapes("bceWithLogits", input, target)
    let shape = input.shape
    let p: [Double]? = posWeight.map { pw in
        precondition(Tensor.broadcastShape(pw.shape, shape) == shape,
                     "bceWithLogits: posWeight of shape \(pw.shape) does not broadcast to the input shape \(shape)")
        return PointwiseLoss.expanded(pw, to: shape)
    }
    func softplusOfNegative(_ x: Double) -> Double { Foundation.log1p(Foundation.exp(-Swift.abs(x))) + Swift.max(-x, 0) }
    return PointwiseLoss(
        value: { x, t, i in
            let l = 1 + ((p?[i] ?? 1) - 1) * t
            return (1 - t) * x + l * softplusOfNegative(x)
        },
        derivatives: { x, t, i in
            let pw = p?[i] ?? 1
            let l = 1 + (pw - 1) * t
            let sigmoidOfNegative = 1 / (1 + Foundation.exp(x))
            return ((1 - t) - l * sigmoidOfNegative, -x + (pw - 1) * softplusOfNegative(x))
        }
    )("bceWithLogits", "BinaryCrossEntropyWithLogitsBackward", input, target, weight: weight, reduction: reduction)
}

/// Alias of ``bceWithLogits(_:_:weight:posWeight:reduction:)`` with PyTorch's function name.
public func binaryCrossEntropyWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                         posWeight: Tensor? = nil, reduction: Reduction = .mean) -> Tensor {
    bceWithLogits(input, target, weight: weight, posWeight: posWeight, reduction: reduction)
}

/// Module form of ``bceWithLogits(_:_:weight:posWeight:reduction:)`` (`torch.nn.BCEWithLogitsLoss`).
public final class BCEWithLogitsLoss: Module {
    public let weight: Tensor?
    public let posWeight: Tensor?
    public let reduction: Reduction

    public init(weight: Tensor? = nil, reduction: Reduction = .mean, posWeight: Tensor? = nil) {
        self.weight = weight
        self.posWeight = posWeight
        self.reduction = reduction
        super.init()
    }

    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        bceWithLogits(input, target, weight: weight, posWeight: posWeight, reduction: reduction)
    }
}
