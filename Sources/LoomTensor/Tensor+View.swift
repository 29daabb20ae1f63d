/// Shape operations that keep the element order and share storage: reshape/view, flatten,
/// squeeze, unsqueeze.
extension Tensor {
    /// The same elements with a new shape; one dimension may be -1 (inferred).
    /// Shares storage with `self` (a view). Backward: reshape back.
    public func reshape(_ newShape: [Int]) -> Tensor {
        let target = resolveShape(newShape)
        if target == shape { return self }
        let source = shape
        let y = Tensor(shape: target, storage: storage)
        return Tensor.record("ViewBackward", y, inputs: [self]) { g in [g.reshape(source)] }
    }

    /// Alias of ``reshape(_:)-([Int])`` (storage is always contiguous, so every reshape is a view).
    public func view(_ newShape: [Int]) -> Tensor { reshape(newShape) }
    public func reshape(_ dims: Int...) -> Tensor { reshape(dims) }
    public func view(_ dims: Int...) -> Tensor { reshape(dims) }

    private func resolveShape(_ newShape: [Int]) -> [Int] {
        // One pass, no temporary arrays: reshape runs for every view the fused ops hand out.
        var unknown = -1, known = 1, valid = true
        for (d, size) in newShape.enumerated() {
            if size == -1 {
                if unknown >= 0 { valid = false }
                unknown = d
            } else if size < 0 {
                valid = false
            } else {
                known *= size
            }
        }
        precondition(valid, "reshape: only one dimension can be -1 and no size below -1, got \(newShape)")
        if unknown < 0 {
            precondition(known == count, "reshape: shape \(newShape) is invalid for input of size \(count) (shape \(shape))")
            return newShape
        }
        precondition(known > 0 && count % known == 0,
                     "reshape: shape \(newShape) is invalid for input of size \(count) (shape \(shape))")
        var target = newShape
        target[unknown] = count / known
        return target
    }

    /// Flattens dimensions `startDim...endDim` into one.
    public func flatten(startDim: Int = 0, endDim: Int = -1) -> Tensor {
        if rank == 0 { return reshape([1]) }
        let s = normalizedDim(startDim), e = normalizedDim(endDim)
        precondition(s <= e, "flatten: startDim \(startDim) comes after endDim \(endDim) for shape \(shape)")
        let merged = shape[s...e].reduce(1, *)
        return reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }

    /// Removes every dimension of size 1.
    public func squeeze() -> Tensor { reshape(shape.filter { $0 != 1 }) }

    /// Removes dimension `dim` if it has size 1 (otherwise returns self, like PyTorch).
    public func squeeze(_ dim: Int) -> Tensor {
        if rank == 0 { return self }
        let d = normalizedDim(dim)
        guard shape[d] == 1 else { return self }
        var s = shape
        s.remove(at: d)
        return reshape(s)
    }

    /// Removes the given (normalized, size-1) dimensions.
    func squeezing(_ dims: [Int]) -> Tensor {
        let drop = Set(dims)
        return reshape(shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element))
    }

    /// Inserts a dimension of size 1 at `dim` (negative counts from the end of the result).
    public func unsqueeze(_ dim: Int) -> Tensor {
        let d = normalizedDim(dim, inserting: true)
        var s = shape
        s.insert(1, at: d)
        return reshape(s)
    }
}
