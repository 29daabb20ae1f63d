/// A lookup table of `numEmbeddings` vectors of size `embeddingDim`, like `torch.nn.Embedding`.
///
/// Shapes: indices (*) holding integer-valued floats (Loom has no integer dtype) → (*, E).
/// `weight` is (N, E), initialized N(0, 1) as in PyTorch. With `paddingIdx`, that row starts at
/// zero and never receives a gradient. Backward: each looked-up row's gradient is added to its
/// row of ∂weight (rows used twice accumulate).
public final class Embedding: Module, Layer {
    @Parameter public var weight: Tensor
    public let numEmbeddings: Int
    public let embeddingDim: Int
    public let paddingIdx: Int?

    public init(numEmbeddings: Int, embeddingDim: Int, paddingIdx: Int? = nil, dtype: DType = .float32) {
        precondition(numEmbeddings > 0 && embeddingDim > 0,
                     "Embedding: sizes must be positive, got numEmbeddings=\(numEmbeddings), embeddingDim=\(embeddingDim)")
        let resolved = paddingIdx.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        precondition(resolved.map { $0 >= 0 && $0 < numEmbeddings } ?? true,
                     "Embedding: paddingIdx \(paddingIdx!) must be within the \(numEmbeddings) embeddings")
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        self.paddingIdx = resolved
        let w = Tensor.randn([numEmbeddings, embeddingDim], dtype: dtype)
        if let row = resolved { for j in 0..<embeddingDim { w.setScalar(0, at: row * embeddingDim + j) } }
        _weight = Parameter(w)
        super.init()
    }

    /// PyTorch's positional spelling: `Embedding(10, 3)`.
    public convenience init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIdx: Int? = nil) {
        self.init(numEmbeddings: numEmbeddings, embeddingDim: embeddingDim, paddingIdx: paddingIdx)
    }

    public func callAsFunction(_ indices: Tensor) -> Tensor {
        let rows: [Int] = indices.doubleScalars.enumerated().map { position, v in
            let r = Int(exactly: v)
            precondition(r != nil && r! >= 0 && r! < numEmbeddings,
                         "Embedding: index \(v) at position \(position) is out of range for \(numEmbeddings) embeddings (indices shape \(indices.shape))")
            return r!
        }
        let e = embeddingDim, weight = self.weight, padding = paddingIdx
        let out = Tensor(uninitialized: indices.shape + [e], dtype: weight.dtype)
        let bytes = weight.dtype.byteSize
        for (k, r) in rows.enumerated() {
            (out.storage.raw + k * e * bytes).copyMemory(from: weight.storage.raw + r * e * bytes, byteCount: e * bytes)
        }
        return Tensor.record("EmbeddingBackward", out, inputs: [weight]) { g in
            let grad = Tensor.zeros(weight.shape, dtype: g.dtype)
            for (k, r) in rows.enumerated() where r != padding {
                for j in 0..<e { grad.setScalar(grad.scalar(at: r * e + j) + g.scalar(at: k * e + j), at: r * e + j) }
            }
            return [grad]
        }
    }

    public override var extraDescription: String {
        "\(numEmbeddings), \(embeddingDim)" + (paddingIdx.map { ", padding_idx=\($0)" } ?? "")
    }
}
