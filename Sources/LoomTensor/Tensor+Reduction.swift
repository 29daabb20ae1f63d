/// Reductions: sum, mean, max, min, argmax — over all elements or over dimensions.
extension Tensor {
    /// Sum of all elements (0-d). Backward: g broadcast to the input's shape.
    public func sum() -> Tensor {
        let y: Tensor
        switch dtype {
        case .float32:
            // Accumulate in Double: a long Float sum drifts from PyTorch's pairwise sum.
            var acc = 0.0
            for v in storage.buffer(Float.self) { acc += Double(v) }
            y = Tensor(shape: [], scalars: [Float(acc)])
        case .float64:
            y = Tensor(shape: [], scalars: [storage.buffer(Double.self).reduce(0, +)])
        }
        let shape = self.shape
        return Tensor.record("SumBackward", y, inputs: [self]) { g in [g.expand(shape)] }
    }

    /// Mean of all elements (0-d).
    public func mean() -> Tensor { sum() / Double(Swift.max(count, 1)) }

    /// Sum over `dims` (negative allowed); `keepDim` keeps them with size 1.
    public func sum(dims: [Int], keepDim: Bool = false) -> Tensor {
        let ds = Set(dims.map { normalizedDim($0) }).sorted(by: >)
        var y = self
        for d in ds { y = y.sumAlong(d) }     // keeps each dim with size 1
        if !keepDim { y = y.squeezing(ds) }
        return y
    }

    /// Sum over one dimension.
    public func sum(dim: Int, keepDim: Bool = false) -> Tensor { sum(dims: [dim], keepDim: keepDim) }

    /// Mean over `dims`.
    public func mean(dims: [Int], keepDim: Bool = false) -> Tensor {
        let n = Set(dims.map { normalizedDim($0) }).reduce(1) { $0 * shape[$1] }
        return sum(dims: dims, keepDim: keepDim) / Double(Swift.max(n, 1))
    }

    /// Mean over one dimension.
    public func mean(dim: Int, keepDim: Bool = false) -> Tensor { mean(dims: [dim], keepDim: keepDim) }

    /// Views `shape` as (outer, n, inner) around dimension `d`.
    func splitAround(_ d: Int) -> (outer: Int, n: Int, inner: Int) {
        (shape[..<d].reduce(1, *), shape[d], shape[(d + 1)...].reduce(1, *))
    }

    /// Sum along dimension `d`, keeping it with size 1.
    private func sumAlong(_ d: Int) -> Tensor {
        let (outer, n, inner) = splitAround(d)
        var outShape = shape
        outShape[d] = 1
        func run<T: TensorScalar>(_: T.Type) -> Tensor {
            let out = Tensor(zeros: outShape, dtype: dtype)
            let s = storage.pointer(T.self), o = out.storage.pointer(T.self)
            for a in 0..<outer {
                for k in 0..<n {
                    let src = s + (a * n + k) * inner
                    let dst = o + a * inner
                    for j in 0..<inner { dst[j] += src[j] }
                }
            }
            return out
        }
        let y = dtype == .float32 ? run(Float.self) : run(Double.self)
        let shape = self.shape
        return Tensor.record("SumBackward", y, inputs: [self]) { g in [g.expand(shape)] }
    }

    /// Sums a broadcast gradient back down to `target` (the inverse of broadcasting).
    public func sumTo(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        precondition(lead >= 0, "sumTo: cannot reduce shape \(shape) to the larger shape \(target)")
        var dims: [Int] = Array(0..<lead)
        for (i, t) in target.enumerated() where t == 1 && shape[lead + i] != 1 { dims.append(lead + i) }
        let reduced = dims.isEmpty ? self : sum(dims: dims, keepDim: true)
        return reduced.reshape(target)
    }

    // MARK: max / min / argmax

    /// Largest element (0-d). Backward: the gradient goes to the first maximal element.
    public func max() -> Tensor {
        precondition(count > 0, "max(): the tensor is empty (shape \(shape))")
        return flatten().max(dim: 0).values
    }

    /// Smallest element (0-d).
    public func min() -> Tensor {
        precondition(count > 0, "min(): the tensor is empty (shape \(shape))")
        return flatten().min(dim: 0).values
    }

    /// Maximum over `dim` and the index of the first maximum (indices stored as floats).
    public func max(dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        extremum(dim: dim, keepDim: keepDim, largest: true)
    }

    /// Minimum over `dim` and the index of the first minimum.
    public func min(dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        extremum(dim: dim, keepDim: keepDim, largest: false)
    }

    /// Index of the maximum over `dim` (as floats), or over all elements when `dim` is nil.
    public func argmax(dim: Int? = nil, keepDim: Bool = false) -> Tensor {
        guard let dim else { return flatten().max(dim: 0).indices }
        return max(dim: dim, keepDim: keepDim).indices
    }

    /// Index of the minimum over `dim`, or over all elements when `dim` is nil.
    public func argmin(dim: Int? = nil, keepDim: Bool = false) -> Tensor {
        guard let dim else { return flatten().min(dim: 0).indices }
        return min(dim: dim, keepDim: keepDim).indices
    }

    private func extremum(dim: Int, keepDim: Bool, largest: Bool) -> (values: Tensor, indices: Tensor) {
        let d = normalizedDim(dim)
        let (outer, n, inner) = splitAround(d)
        precondition(n > 0, "max/min: dimension \(dim) of shape \(shape) is empty")
        var outShape = shape
        outShape[d] = 1
        let values = Tensor(zeros: outShape, dtype: dtype)
        let indices = Tensor(zeros: outShape, dtype: dtype)
        var flatIndex = [Int](repeating: 0, count: outer * inner)   // source offsets for backward
        func run<T: TensorScalar>(_: T.Type) {
            let s = storage.pointer(T.self), v = values.storage.pointer(T.self), ix = indices.storage.pointer(T.self)
            for a in 0..<outer {
                for j in 0..<inner {
                    var best = s[a * n * inner + j], bestK = 0
                    if !best.isNaN {
                        for k in 1..<Swift.max(n, 1) {
                            let x = s[(a * n + k) * inner + j]
                            if x.isNaN { best = x; bestK = k; break }   // NaN propagates, as PyTorch
                            if largest ? x > best : x < best { best = x; bestK = k }
                        }
                    }
                    v[a * inner + j] = best
                    ix[a * inner + j] = T(bestK)
                    flatIndex[a * inner + j] = (a * n + bestK) * inner + j
                }
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let inputShape = shape, dt = dtype
        var out = Tensor.record(largest ? "MaxBackward" : "MinBackward", values, inputs: [self]) { g in
            let grad = Tensor.zeros(inputShape, dtype: dt)
            for (o, src) in flatIndex.enumerated() { grad.setScalar(grad.scalar(at: src) + g.scalar(at: o), at: src) }
            return [grad]
        }
        var idx = indices
        if !keepDim {
            out = out.squeeze(d)
            idx = idx.squeeze(d)
        }
        return (out, idx)
    }
}
