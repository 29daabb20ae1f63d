/// Joining and splitting: cat, stack, chunk, split.
extension Tensor {
    /// Concatenates tensors along `dim`; all other dimensions must agree.
    /// Backward: each input receives its slice of the gradient.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "cat: expects a non-empty list of tensors")
        let first = tensors[0]
        let d = first.normalizedDim(dim)
        for (k, t) in tensors.enumerated() {
            precondition(t.rank == first.rank && t.dtype == first.dtype,
                         "cat: tensor \(k) has shape \(t.shape) (\(t.dtype)), expected \(first.rank) dimensions and \(first.dtype) like tensor 0 (shape \(first.shape))")
            for i in 0..<first.rank where i != d {
                precondition(t.shape[i] == first.shape[i],
                             "cat: sizes must match except in dimension \(d); tensor \(k) has shape \(t.shape), tensor 0 has \(first.shape)")
            }
        }
        var outShape = first.shape
        outShape[d] = tensors.reduce(0) { $0 + $1.shape[d] }
        let y = Tensor(uninitialized: outShape, dtype: first.dtype)
        let outer = first.shape[..<d].reduce(1, *)
        let inner = first.shape[(d + 1)...].reduce(1, *)
        let rowOut = outShape[d] * inner
        let bytes = first.dtype.byteSize
        var column = 0
        for t in tensors {
            let rowIn = t.shape[d] * inner
            for a in 0..<outer {
                (y.storage.raw + (a * rowOut + column) * bytes)
                    .copyMemory(from: t.storage.raw + a * rowIn * bytes, byteCount: rowIn * bytes)
            }
            column += rowIn
        }
        let sizes = tensors.map { $0.shape[d] }
        return record("CatBackward", y, inputs: tensors) { g in
            var start = 0
            return sizes.map { n in
                defer { start += n }
                return g.narrow(d, start: start, length: n)
            }
        }
    }

    /// Stacks equally shaped tensors along a new dimension `dim`.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: expects a non-empty list of tensors")
        for (k, t) in tensors.enumerated() {
            precondition(t.shape == tensors[0].shape,
                         "stack: expects each tensor to be equal size, but got \(tensors[0].shape) at entry 0 and \(t.shape) at entry \(k)")
        }
        let first = tensors[0], count = tensors.count
        for (k, t) in tensors.enumerated() where t.dtype != first.dtype {
            preconditionFailure("stack: tensor \(k) is \(t.dtype), tensor 0 is \(first.dtype)")
        }
        let d = first.normalizedDim(dim, inserting: true)
        // One op (not an unsqueeze per input and a cat): the pieces interleave in blocks of the
        // trailing dimensions' size.
        var outShape = first.shape
        outShape.insert(count, at: d)
        let y = Tensor(uninitialized: outShape, dtype: first.dtype)
        let outer = first.shape[..<d].reduce(1, *), inner = first.shape[d...].reduce(1, *)
        let bytes = first.dtype.byteSize
        for (k, t) in tensors.enumerated() {
            for a in 0..<outer {
                (y.storage.raw + ((a * count + k) * inner) * bytes)
                    .copyMemory(from: t.storage.raw + a * inner * bytes, byteCount: inner * bytes)
            }
        }
        return record("StackBackward", y, inputs: tensors) { g in (0..<count).map { g.select(d, $0) } }
    }

    /// Splits into pieces of `size` along `dim` (the last may be smaller), like `torch.split`.
    public func split(_ size: Int, dim: Int = 0) -> [Tensor] {
        precondition(size > 0, "split: size must be positive, got \(size)")
        let d = normalizedDim(dim)
        return stride(from: 0, to: shape[d], by: size).map { narrow(d, start: $0, length: Swift.min(size, shape[d] - $0)) }
    }

    /// Splits into pieces of the given sizes along `dim`; the sizes must add up to the dimension.
    public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
        let d = normalizedDim(dim)
        precondition(sizes.reduce(0, +) == shape[d] && sizes.allSatisfy { $0 >= 0 },
                     "split: sizes \(sizes) must be non-negative and sum to \(shape[d]) (dimension \(dim) of shape \(shape))")
        var start = 0
        return sizes.map { n in defer { start += n }; return narrow(d, start: start, length: n) }
    }

    /// Splits into `chunks` nearly equal pieces along `dim`, like `torch.chunk`.
    public func chunk(_ chunks: Int, dim: Int = 0) -> [Tensor] {
        precondition(chunks > 0, "chunk: chunks must be positive, got \(chunks)")
        let d = normalizedDim(dim)
        let size = Swift.max(1, (shape[d] + chunks - 1) / chunks)
        return split(size, dim: d)
    }

    /// The sub-tensors along `dim`, like `torch.unbind`.
    public func unbind(_ dim: Int = 0) -> [Tensor] {
        let d = normalizedDim(dim)
        return (0..<shape[d]).map { select(d, $0) }
    }
}

extension Tensor {
    /// Cuts a 1-d tensor into consecutive pieces that share its memory (no copy), reshaped to
    /// `shapes`; the pieces' element counts must add up to `count`. For ops that compute several
    /// outputs as one recorded result (a fused recurrence's output, h_n and c_n). Backward of a
    /// piece: its gradient placed at its offset in zeros of the whole.
    package func windows(_ shapes: [[Int]]) -> [Tensor] {
        precondition(rank == 1, "windows: expects a 1-d tensor, got shape \(shape)")
        let counts = shapes.map(Tensor.elementCount)
        precondition(counts.reduce(0, +) == count, "windows: pieces \(shapes) do not add up to \(count) elements")
        var pieces: [Tensor] = []
        var offset = 0
        let whole = count, dt = dtype
        for (pieceShape, n) in zip(shapes, counts) {
            let piece = Tensor(shape: pieceShape, storage: TensorStorage(window: storage, offset: offset, count: n))
            let at = offset
            pieces.append(Tensor.record("SplitBackward", piece, inputs: [self]) { g in
                [Tensor.placed(g, at: at, inWhole: whole, dtype: dt)]
            })
            offset += n
        }
        return pieces
    }

    /// Zeros of `whole` elements with `g`'s elements copied in at `offset`.
    private static func placed(_ g: Tensor, at offset: Int, inWhole whole: Int, dtype: DType) -> Tensor {
        let out = Tensor.zeros([whole], dtype: dtype)
        (out.storage.raw + offset * dtype.byteSize).copyMemory(from: g.storage.raw, byteCount: g.count * dtype.byteSize)
        let pieceShape = g.shape
        return Tensor.record("PlaceBackward", out, inputs: [g]) { gg in
            [gg.narrow(0, start: offset, length: Tensor.elementCount(pieceShape)).reshape(pieceShape)]
        }
    }
}
