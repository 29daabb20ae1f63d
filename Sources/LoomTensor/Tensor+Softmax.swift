/// softmax, logSoftmax and oneHot.
extension Tensor {
    /// exp(x − max) / Σ exp(x − max) along `dim`.
    /// Backward: y · (g − Σ g·y).
    public func softmax(dim: Int = -1) -> Tensor {
        let d = normalizedDim(dim)
        let y = withNoGrad { () -> Tensor in
            let shifted = self - self.max(dim: d, keepDim: true).values
            let e = shifted.exp()
            return e / e.sum(dim: d, keepDim: true)
        }
        return Tensor.record("SoftmaxBackward", y, inputs: [self]) { g in
            [y * (g - (g * y).sum(dim: d, keepDim: true))]
        }
    }

    /// x − max − log Σ exp(x − max) along `dim` (stable).
    /// Backward: g − softmax · Σ g.
    public func logSoftmax(dim: Int = -1) -> Tensor {
        let d = normalizedDim(dim)
        let y = withNoGrad { () -> Tensor in
            let shifted = self - self.max(dim: d, keepDim: true).values
            return shifted - shifted.exp().sum(dim: d, keepDim: true).log()
        }
        return Tensor.record("LogSoftmaxBackward", y, inputs: [self]) { g in
            [g - y.exp() * g.sum(dim: d, keepDim: true)]
        }
    }

    /// log Σ exp(x) along `dim` (stable).
    public func logSumExp(dim: Int, keepDim: Bool = false) -> Tensor {
        let m = withNoGrad { self.max(dim: dim, keepDim: true).values }
        let r = (self - m).exp().sum(dim: dim, keepDim: true).log() + m
        return keepDim ? r : r.squeeze(dim)
    }

    /// One-hot encoding of integer class indices (stored as floats): shape (…) → (…, numClasses).
    public static func oneHot(_ indices: Tensor, numClasses: Int, dtype: DType = .float32) -> Tensor {
        let idx = indices.doubleScalars
        let out = Tensor.zeros(indices.shape + [numClasses], dtype: dtype)
        for (i, v) in idx.enumerated() {
            let c = Int(v)
            precondition(Double(c) == v && c >= 0 && c < numClasses,
                         "oneHot: class index \(v) at position \(i) is outside 0..<\(numClasses)")
            out.setScalar(1, at: i * numClasses + c)
        }
        return out
    }

    /// One-hot encoding of integer class indices given as Swift integers: shape `shape` → (…, numClasses).
    public static func oneHot(_ indices: [Int], shape: [Int]? = nil, numClasses: Int, dtype: DType = .float32) -> Tensor {
        let s = shape ?? [indices.count]
        precondition(s.reduce(1, *) == indices.count, "oneHot: shape \(s) does not hold \(indices.count) indices")
        let out = Tensor.zeros(s + [numClasses], dtype: dtype)
        for (i, c) in indices.enumerated() {
            precondition(c >= 0 && c < numClasses, "oneHot: class index \(c) at position \(i) is outside 0..<\(numClasses)")
            out.setScalar(1, at: i * numClasses + c)
        }
        return out
    }

    /// Picks `self[i, index[i]]` along `dim` (PyTorch's `gather` with an index of the same rank).
    /// `index` holds integer positions stored as floats. Backward: scatter-add into the positions.
    public func gather(dim: Int, index: Tensor) -> Tensor {
        let d = normalizedDim(dim)
        precondition(index.rank == rank, "gather: index has shape \(index.shape), expected \(rank) dimensions like \(shape)")
        for i in 0..<rank where i != d {
            precondition(index.shape[i] <= shape[i], "gather: index shape \(index.shape) exceeds input shape \(shape) at dimension \(i)")
        }
        let st = strides
        let idxStrides = Tensor.contiguousStrides(index.shape)
        let positions: [Int] = index.doubleScalars.enumerated().map { flat, v in
            let k = Int(v)
            precondition(Double(k) == v && k >= 0 && k < shape[d],
                         "gather: index \(v) is out of bounds for dimension \(d) with size \(shape[d])")
            var rem = flat, src = 0
            for j in 0..<rank {
                let c = rem / idxStrides[j]
                rem %= idxStrides[j]
                src += (j == d ? k : c) * st[j]
            }
            return src
        }
        let y = Tensor.zeros(index.shape, dtype: dtype)
        for (o, src) in positions.enumerated() { y.setScalar(scalar(at: src), at: o) }
        let inputShape = shape, dt = dtype
        return Tensor.record("GatherBackward", y, inputs: [self]) { g in
            let grad = Tensor.zeros(inputShape, dtype: dt)
            for (o, src) in positions.enumerated() { grad.setScalar(grad.scalar(at: src) + g.scalar(at: o), at: src) }
            return [grad]
        }
    }
}
