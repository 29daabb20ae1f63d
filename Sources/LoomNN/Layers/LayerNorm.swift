/// Layer normalization over the last dimensions, like `torch.nn.LayerNorm`.
///
/// Shapes: input (*, normalizedShape…) → the same shape. Over the trailing `normalizedShape`
/// dimensions of each sample:
///
///     y = (x − E[x]) / √(Var[x] + ε) · γ + β        (Var biased, as PyTorch)
///
/// γ (`weight`, ones) and β (`bias`, zeros) have shape `normalizedShape` when
/// `elementwiseAffine` (and `bias`) are true. Composed from differentiable ops.
public final class LayerNorm: Module, Layer {
    @OptionalParameter public var weight: Tensor?
    @OptionalParameter public var bias: Tensor?
    public let normalizedShape: [Int]
    public let eps: Double

    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true,
                dtype: DType = .float32) {
        precondition(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 },
                     "LayerNorm: normalizedShape must be non-empty and positive, got \(normalizedShape)")
        self.normalizedShape = normalizedShape
        self.eps = eps
        _weight = OptionalParameter(wrappedValue: elementwiseAffine ? Tensor.ones(normalizedShape, dtype: dtype) : nil)
        _bias = OptionalParameter(wrappedValue: elementwiseAffine && bias ? Tensor.zeros(normalizedShape, dtype: dtype) : nil)
        super.init()
    }

    /// Normalizing over the last dimension of size `normalizedShape`.
    public convenience init(_ normalizedShape: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true) {
        self.init([normalizedShape], eps: eps, elementwiseAffine: elementwiseAffine)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let k = normalizedShape.count
        precondition(input.rank >= k && Array(input.shape.suffix(k)) == normalizedShape,
                     "LayerNorm: expected input with trailing shape \(normalizedShape), got shape \(input.shape)")
        let dims = Array((input.rank - k)..<input.rank)
        let centered = input - input.mean(dims: dims, keepDim: true)
        let variance = (centered * centered).mean(dims: dims, keepDim: true)
        var y = centered / (variance + eps).sqrt()
        if let weight { y = y * weight }
        if let bias { y = y + bias }
        return y
    }

    public override var extraDescription: String {
        let shape = normalizedShape.count == 1 ? "(\(normalizedShape[0]),)" : "(\(normalizedShape.map(String.init).joined(separator: ", ")))"
        return "\(shape), eps=\(eps == 1e-5 ? "1e-05" : "\(eps)"), elementwise_affine=\(weight != nil ? "True" : "False")"
    }
}
