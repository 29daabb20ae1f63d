/// Selecting whole slices by a list of indices (PyTorch's `index_select`), and the padded
/// variant used to pack and unpack sequences.
extension Tensor {
    /// Slices `indices` (negative allowed, repeats allowed) along `dim`, in that order.
    /// Backward: each slice's gradient is added back at its index.
    public func indexSelect(_ dim: Int, _ indices: [Int]) -> Tensor {
        let d = normalizedDim(dim)
        let n = shape[d]
        let resolved: [Int?] = indices.map { i in
            let j = i < 0 ? i + n : i
            precondition(j >= 0 && j < n, "indexSelect: index \(i) is out of bounds for dimension \(d) with size \(n) (shape \(shape))")
            return j
        }
        return slices(along: d, resolved, padding: 0)
    }

    /// Slices along dimension 0 by `rows`; `nil` produces a slice filled with `padding` that
    /// receives no gradient.
    public func selectRows(_ rows: [Int?], padding: Double = 0) -> Tensor {
        precondition(rank >= 1, "selectRows: needs at least 1 dimension, got a scalar")
        for r in rows.compactMap({ $0 }) {
            precondition(r >= 0 && r < shape[0], "selectRows: row \(r) is out of bounds for size \(shape[0]) (shape \(shape))")
        }
        return slices(along: 0, rows, padding: padding)
    }

    private func slices(along d: Int, _ indices: [Int?], padding: Double) -> Tensor {
        let (outer, n, inner) = splitAround(d)
        var outShape = shape
        outShape[d] = indices.count
        let y = Tensor(zeros: outShape, dtype: dtype)
        if padding != 0 { y.fill(padding) }
        let bytes = dtype.byteSize
        for a in 0..<outer {
            for (k, src) in indices.enumerated() {
                guard let src else { continue }
                (y.storage.raw + ((a * indices.count + k) * inner) * bytes)
                    .copyMemory(from: storage.raw + ((a * n + src) * inner) * bytes, byteCount: inner * bytes)
            }
        }
        let inputShape = shape, dt = dtype
        return Tensor.record("IndexSelectBackward", y, inputs: [self]) { g in
            let grad = Tensor.zeros(inputShape, dtype: dt)
            func run<T: TensorScalar>(_: T.Type) {
                let pg = g.storage.pointer(T.self), pd = grad.storage.pointer(T.self)
                for a in 0..<outer {
                    for (k, src) in indices.enumerated() {
                        guard let src else { continue }
                        let from = pg + (a * indices.count + k) * inner, to = pd + (a * n + src) * inner
                        for j in 0..<inner { to[j] += from[j] }
                    }
                }
            }
            if dt == .float32 { run(Float.self) } else { run(Double.self) }
            return [grad]
        }
    }
}
