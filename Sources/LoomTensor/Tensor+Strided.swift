/// The one data-moving primitive behind transpose, permute, expand, slicing and indexing:
/// read the input through an arbitrary (shape, strides, offset) view into a new contiguous
/// tensor. Its backward scatters (adds) the gradient through the same view, which also
/// accumulates correctly where a view repeats elements (expand).
extension Tensor {
    func gathered(shape outShape: [Int], strides: [Int], offset: Int, name: String) -> Tensor {
        precondition(outShape.count == strides.count)
        let y = Tensor(uninitialized: outShape, dtype: dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let src = storage.pointer(T.self), dst = y.storage.pointer(T.self)
            if let (rows, cols, ld) = Tensor.transposedMatrix(outShape, strides) {
                Tensor.transposeCopy(src + offset, rows: rows, cols: cols, ld: ld, into: dst)
                return
            }
            if let (a, b, inner) = Tensor.swappedBlocks(outShape, strides) {
                // Two outer dimensions over contiguous inner blocks (batch-first ↔ time-first):
                // plain nested loops, no per-block call.
                var d = dst
                for r in 0..<a.size {
                    for q in 0..<b.size {
                        let s = src + offset + r * a.stride + q * b.stride
                        for k in 0..<inner { d[k] = s[k] }
                        d += inner
                    }
                }
                return
            }
            Tensor.walkRuns(outShape, strides, offset) { o, i, length, step in
                if step == 1 && length <= 64 {
                    // Short contiguous runs (a transpose of (T, B, H) copies runs of H): an inline
                    // loop, where a memcpy call per run cost more than the copy.
                    let d = dst + o, s = src + i
                    for k in 0..<length { d[k] = s[k] }
                } else if step == 1 {
                    (dst + o).update(from: src + i, count: length)
                } else {
                    for k in 0..<length { dst[o + k] = src[i + k * step] }
                }
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let inputShape = shape, dt = dtype
        return Tensor.record(name, y, inputs: [self]) { g in
            [Tensor.scattered(g, into: inputShape, dtype: dt, strides: strides, offset: offset)]
        }
    }

    /// Zeros of `shape` with `g` added through the view (strides, offset). Recorded, so that
    /// double backward through views works.
    static func scattered(_ g: Tensor, into shape: [Int], dtype: DType, strides: [Int], offset: Int) -> Tensor {
        let out = Tensor.zeros(shape, dtype: dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let src = g.storage.pointer(T.self), dst = out.storage.pointer(T.self)
            Tensor.walkRuns(g.shape, strides, offset) { o, i, length, step in
                if step == 1 {
                    let d = dst + i, s = src + o           // contiguous run: a vectorized loop
                    for k in 0..<length { d[k] += s[k] }
                } else {
                    for k in 0..<length { dst[i + k * step] += src[o + k] }
                }
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return Tensor.record("ScatterBackward", out, inputs: [g]) { gg in
            [gg.gathered(shape: g.shape, strides: strides, offset: offset, name: "GatherBackward")]
        }
    }

    /// When a view is two outer dimensions over a contiguous inner block of at most 64 elements
    /// (after dropping size-1 dimensions and merging the block's own dimensions), returns them.
    static func swappedBlocks(_ shape: [Int], _ strides: [Int]) -> ((size: Int, stride: Int), (size: Int, stride: Int), Int)? {
        var dims: [(size: Int, stride: Int)] = []
        for d in 0..<shape.count where shape[d] != 1 {
            if let last = dims.last, last.stride == strides[d] * shape[d] {
                dims[dims.count - 1] = (last.size * shape[d], strides[d])
            } else {
                dims.append((shape[d], strides[d]))
            }
        }
        guard dims.count == 3, dims[2].stride == 1, dims[2].size <= 64 else { return nil }
        return (dims[0], dims[1], dims[2].size)
    }

    /// When a view reads a row-major (cols × rows) matrix (leading dimension `ld`) column by
    /// column — a matrix transpose, possibly after dropping size-1 dimensions — returns
    /// (rows, cols, ld) of the output; nil for any other view.
    static func transposedMatrix(_ shape: [Int], _ strides: [Int]) -> (Int, Int, Int)? {
        var dims: [(size: Int, stride: Int)] = []
        for d in 0..<shape.count where shape[d] != 1 { dims.append((shape[d], strides[d])) }
        guard dims.count == 2, dims[0].stride == 1, dims[1].stride >= dims[0].size, dims[1].size >= 8, dims[0].size >= 8 else {
            return nil
        }
        return (dims[0].size, dims[1].size, dims[1].stride)
    }

    /// dst (rows × cols, row-major) = transpose of src (cols × rows, leading dimension ld),
    /// in tiles so that both sides stay in cache.
    static func transposeCopy<T>(_ src: UnsafeMutablePointer<T>, rows: Int, cols: Int, ld: Int, into dst: UnsafeMutablePointer<T>) {
        let tile = 16
        var i0 = 0
        while i0 < rows {
            let i1 = Swift.min(i0 + tile, rows)
            var j0 = 0
            while j0 < cols {
                let j1 = Swift.min(j0 + tile, cols)
                for j in j0..<j1 {
                    let s = src + j * ld
                    for i in i0..<i1 { dst[i * cols + j] = s[i] }
                }
                j0 = j1
            }
            i0 = i1
        }
    }

    /// Visits a view in row-major order as runs of its innermost (coalesced) dimension:
    /// `body(outputIndex, inputIndex, length, inputStep)` covers outputs `outputIndex ..<
    /// outputIndex + length`, read from `inputIndex + k·inputStep`. Dimensions of size 1 are
    /// dropped and neighbours that are contiguous with each other merged first, so a slice of
    /// whole rows is one run; the visiting order is the same as element by element.
    @inline(__always)
    static func walkRuns(_ shape: [Int], _ strides: [Int], _ offset: Int, _ body: (Int, Int, Int, Int) -> Void) {
        let n = elementCount(shape)
        if n == 0 { return }
        // Coalesce: (size, stride) pairs from the outermost dimension inwards.
        var dims: [(size: Int, stride: Int)] = []
        dims.reserveCapacity(shape.count)
        for d in 0..<shape.count where shape[d] != 1 {
            if let last = dims.last, last.stride == strides[d] * shape[d] {
                dims[dims.count - 1] = (last.size * shape[d], strides[d])
            } else {
                dims.append((shape[d], strides[d]))
            }
        }
        guard let inner = dims.popLast() else { body(0, offset, 1, 1); return }
        if dims.isEmpty { body(0, offset, inner.size, inner.stride); return }
        if dims.count == 1 {
            let outer = dims[0]
            for r in 0..<outer.size { body(r * inner.size, offset + r * outer.stride, inner.size, inner.stride) }
            return
        }
        if dims.count == 2 {            // e.g. swapping the first two dimensions of a 3-d tensor
            let (a, b) = (dims[0], dims[1])
            var o = 0
            for r in 0..<a.size {
                let base = offset + r * a.stride
                for q in 0..<b.size {
                    body(o, base + q * b.stride, inner.size, inner.stride)
                    o += inner.size
                }
            }
            return
        }
        let rank = dims.count
        var index = [Int](repeating: 0, count: rank)
        var base = offset
        var o = 0
        while o < n {
            body(o, base, inner.size, inner.stride)
            o += inner.size
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                base += dims[d].stride
                if index[d] < dims[d].size { break }
                base -= dims[d].stride * dims[d].size
                index[d] = 0
                d -= 1
            }
            if d < 0 { break }
        }
    }

    /// Swaps two dimensions (a copy). Backward: the same swap.
    public func transpose(_ dim0: Int, _ dim1: Int) -> Tensor {
        let a = normalizedDim(dim0), b = normalizedDim(dim1)
        if a == b { return self }
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return permute(order)
    }

    /// The matrix transpose of a 2-d tensor (1-d and 0-d are returned as is).
    public func t() -> Tensor {
        precondition(rank <= 2, "t(): expects a tensor with ≤ 2 dimensions, got shape \(shape)")
        return rank < 2 ? self : transpose(0, 1)
    }

    /// Reorders dimensions: result dimension i is input dimension `order[i]`.
    public func permute(_ order: [Int]) -> Tensor {
        let o = order.map { normalizedDim($0) }
        var seen = [Bool](repeating: false, count: rank)
        for d in o where d < rank { seen[d] = true }
        precondition(o.count == rank && !seen.contains(false),
                     "permute: \(order) is not a permutation of the \(rank) dimensions of shape \(shape)")
        if o.enumerated().allSatisfy({ $0.offset == $0.element }) { return self }
        let st = strides
        // The copy, gathered from a detached view (no node of its own; the node is added below).
        let y = detach().gathered(shape: o.map { shape[$0] }, strides: o.map { st[$0] }, offset: 0, name: "PermuteBackward")
        // Backward: the inverse permutation, a gather like the forward (no zero fill and add).
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in o.enumerated() { inverse[d] = i }
        return Tensor.record("PermuteBackward", y, inputs: [self]) { g in [g.permute(inverse)] }
    }

    public func permute(_ order: Int...) -> Tensor { permute(order) }

    /// Repeats size-1 dimensions (and adds leading ones) to reach `target`; -1 keeps a size.
    public func expand(_ target: [Int]) -> Tensor {
        precondition(target.count >= rank,
                     "expand: the target \(target) has fewer dimensions than the tensor's shape \(shape)")
        let lead = target.count - rank
        var resolved = target
        for i in 0..<rank {
            let t = target[lead + i]
            if t == -1 { resolved[lead + i] = shape[i]; continue }
            precondition(shape[i] == t || shape[i] == 1,
                         "expand: the expanded size \(t) must match the existing size \(shape[i]) at dimension \(lead + i) (shape \(shape) → \(target))")
        }
        if resolved == shape { return self }
        return gathered(shape: resolved, strides: Tensor.broadcastStrides(shape, to: resolved), offset: 0,
                        name: "ExpandBackward")
    }

    public func expand(_ dims: Int...) -> Tensor { expand(dims) }

    /// A copy of this tensor with the shape of `other`, broadcasting as needed.
    public func expand(as other: Tensor) -> Tensor { expand(other.shape) }

    /// `length` elements along `dim` starting at `start` (negative start counts from the end).
    public func narrow(_ dim: Int, start: Int, length: Int) -> Tensor {
        let d = normalizedDim(dim)
        let s = start < 0 ? start + shape[d] : start
        precondition(s >= 0 && length >= 0 && s + length <= shape[d],
                     "narrow: range \(start)..<\(start + length) is out of bounds for dimension \(dim) of size \(shape[d]) (shape \(shape))")
        var outShape = shape
        outShape[d] = length
        let st = strides
        return gathered(shape: outShape, strides: st, offset: s * st[d], name: "SliceBackward")
    }

    /// The sub-tensor at `index` along `dim`, with that dimension removed.
    public func select(_ dim: Int, _ index: Int) -> Tensor {
        let d = normalizedDim(dim)
        let i = index < 0 ? index + shape[d] : index
        precondition(i >= 0 && i < shape[d],
                     "index \(index) is out of bounds for dimension \(d) with size \(shape[d]) (shape \(shape))")
        var outShape = shape, st = strides
        let offset = i * st[d]
        outShape.remove(at: d)
        st.remove(at: d)
        return gathered(shape: outShape, strides: st, offset: offset, name: "SelectBackward")
    }

    /// A copy with its own contiguous storage (storage is always contiguous; kept for PyTorch
    /// code that calls `.contiguous()`).
    public func contiguous() -> Tensor { self }
}
