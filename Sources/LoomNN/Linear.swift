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
        return linear(input, weight: weight, bias: bias)
    }

    public override var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias != nil ? "True" : "False")"
    }
}

/// y = x·Wᵀ + b (PyTorch's `F.linear`): input (…, in), weight (out, in), bias (out) → (…, out).
///
/// One autograd op, like PyTorch's addmm: the product reads W as it is stored (no transposed
/// copy), the bias is added to each row, and backward computes dx = dy·W, dW = dyᵀ·x and
/// db = Σ_rows dy directly. Leading axes of the input fold into the rows of one product.
public func linear(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(weight.rank == 2, "linear: weight must be 2-d (out, in), got shape \(weight.shape)")
    precondition(input.rank >= 1 && input.shape.last == weight.shape[1],
                 "linear: expected input with last dimension \(weight.shape[1]) (weight \(weight.shape)), got shape \(input.shape)")
    precondition(bias == nil || bias!.shape == [weight.shape[0]],
                 "linear: bias must have shape \([weight.shape[0]]), got \(bias!.shape)")
    for t in [weight] + (bias.map { [$0] } ?? []) {
        precondition(t.dtype == input.dtype, "linear: input is \(input.dtype) but a parameter is \(t.dtype)")
    }
    return input.dtype == .float32 ? affine(Float.self, input, weight, bias) : affine(Double.self, input, weight, bias)
}

private func affine<T: TensorScalar>(_: T.Type, _ x: Tensor, _ w: Tensor, _ b: Tensor?) -> Tensor {
    let n = w.shape[0], k = w.shape[1], rows = k == 0 ? 0 : x.count / k
    let y = Tensor(uninitialized: Array(x.shape.dropLast()) + [n], dtype: x.dtype)
    let p = { (t: Tensor) in t.storage.pointer(T.self) }
    BLAS.gemm(T.self, transA: false, transB: true, m: rows, n: n, k: k, a: p(x), lda: k, b: p(w), ldb: k, c: p(y), ldc: n)
    RowVectors.addBiases(T.self, p(y), rows: rows, cols: n, b, nil)
    return Tensor.record("AddmmBackward", y, inputs: b.map { [x, w, $0] } ?? [x, w]) { g in
        var grads: [Tensor?] = [nil, nil]
        if x.requiresGrad {
            let dx = Tensor(uninitialized: x.shape, dtype: x.dtype)
            BLAS.gemm(T.self, transA: false, transB: false, m: rows, n: k, k: n, a: p(g), lda: n, b: p(w), ldb: k,
                      c: p(dx), ldc: k)
            grads[0] = dx
        }
        if w.requiresGrad {
            let dw = Tensor(uninitialized: w.shape, dtype: w.dtype)
            BLAS.gemm(T.self, transA: true, transB: false, m: n, n: k, k: rows, a: p(g), lda: n, b: p(x), ldb: k,
                      c: p(dw), ldc: k)
            grads[1] = dw
        }
        if let b { grads.append(b.requiresGrad ? RowVectors.columnSums(T.self, g) : nil) }
        return grads
    }
}
