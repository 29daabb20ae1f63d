/// Fully connected layer y = x·Wᵀ + b, like `torch.nn.Linear`.
///
/// Shapes: input (…, I) → output (…, O). `weight` is (O, I) and `bias` (O), as in PyTorch, so
/// state dicts load unchanged. Default initialization (PyTorch's): W and b ~ U(−1/√I, 1/√I).
public final class Linear: Module, Layer {
    @Parameter public var weight: Tensor
    @OptionalParameter public var bias: Tensor?
    public let inFeatures: Int
    public let outFeatures: Int

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float32) {
        precondition(inFeatures > 0 && outFeatures > 0,
                     "Linear: sizes must be positive, got inFeatures=\(inFeatures), outFeatures=\(outFeatures)")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = 1 / Double(inFeatures).squareRoot()
        _weight = Parameter(Tensor.uniform([outFeatures, inFeatures], low: -bound, high: bound, dtype: dtype))
        _bias = OptionalParameter(wrappedValue: bias ? Tensor.uniform([outFeatures], low: -bound, high: bound, dtype: dtype) : nil)
        super.init()
    }

    /// PyTorch's keyword spelling.
    public convenience init(inFeatures: Int, outFeatures: Int, bias: Bool = true) {
        self.init(inFeatures, outFeatures, bias: bias)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(input.rank >= 1 && input.shape.last == inFeatures,
                     "Linear: expected input with last dimension \(inFeatures), got shape \(input.shape)")
        let y = input.matmul(weight.t())
        guard let bias else { return y }
        return y + bias
    }

    public override var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias != nil ? "True" : "False")"
    }
}
